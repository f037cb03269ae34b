"""outcome steps and need-area codes; numbered need-provision-outcome links

Revision ID: 0005_outcome_steps_and_links
Revises: 0004_outcome_judgements
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_outcome_steps_and_links"
down_revision = "0004_outcome_judgements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outcomes") as table:
        table.add_column(sa.Column("steps", sa.Text(), nullable=True))
        table.add_column(sa.Column("need_area", sa.String(length=30), nullable=True))
        table.add_column(sa.Column("link", sa.String(length=40), nullable=True))
    with op.batch_alter_table("provision_items") as table:
        table.add_column(sa.Column("link", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("provision_items") as table:
        table.drop_column("link")
    with op.batch_alter_table("outcomes") as table:
        table.drop_column("link")
        table.drop_column("need_area")
        table.drop_column("steps")
