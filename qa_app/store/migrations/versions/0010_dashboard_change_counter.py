"""a change counter the database keeps for the dashboard summary, and indexes for two
plan filters at once

Triggers add one to ``dashboard_changes.changes`` whenever something the dashboards count
changes, whoever writes it: a finished audit added, changed or removed (its status,
version or grade), an agreed moderation, or a plan's weak flag. The dashboard compares
that single number with the one its summary reflects instead of counting every finished
audit on every request. On PostgreSQL inserts and deletes are counted once per statement
(a bulk load is one change), updates once per row that matters, so a draft being scored
never touches the counter.

Revision ID: 0010_dashboard_change_counter
Revises: 0009_actions_and_plan_versions
Create Date: 2026-12-02
"""

import itertools

import sqlalchemy as sa
from alembic import op

revision = "0010_dashboard_change_counter"
down_revision = "0009_actions_and_plan_versions"
branch_labels = None
depends_on = None

PLAN_DIMENSIONS = ("team", "primary_need", "key_stage", "setting_type", "plan_type")
BUMP = "UPDATE dashboard_changes SET changes = changes + 1 WHERE id = 1"
# Comparisons rather than IN lists: PostgreSQL prints an IN list on a varchar with casts
# that read back differently after a dump and restore, which the restore's schema check
# would take for a changed trigger.
FINISHED = "(status = 'submitted' OR status = 'moderated')"
AUDIT_MATTERS = (
    f"({FINISHED.replace('status', 'OLD.status')} OR {FINISHED.replace('status', 'NEW.status')}) AND (OLD.status IS DISTINCT FROM NEW.status"
    " OR OLD.version IS DISTINCT FROM NEW.version OR OLD.overall_grade IS DISTINCT FROM NEW.overall_grade)"
)
MODERATION_MATTERS = (
    "(OLD.status = 'agreed' OR NEW.status = 'agreed') AND (OLD.status IS DISTINCT FROM NEW.status"
    " OR OLD.version IS DISTINCT FROM NEW.version OR OLD.overall_grade IS DISTINCT FROM NEW.overall_grade)"
)
PLAN_MATTERS = "OLD.weak_flag IS DISTINCT FROM NEW.weak_flag"
# table, condition on an inserted or deleted row, condition on an updated row
WATCHED = (
    ("audits", FINISHED, AUDIT_MATTERS),
    ("moderations", "status = 'agreed'", MODERATION_MATTERS),
    ("plans", None, PLAN_MATTERS),
)


def pair_indexes() -> list[tuple[str, list[str]]]:
    return [
        (
            f"ix_dashboard_audit_facts_{first}_{second}",
            [first, second, "rubric_version_id", "month"],
        )
        for first, second in itertools.combinations(PLAN_DIMENSIONS, 2)
    ]


def upgrade() -> None:
    op.create_table(
        "dashboard_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("changes", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO dashboard_changes (id, changes) VALUES (1, 0)")
    for name, columns in pair_indexes():
        op.create_index(name, "dashboard_audit_facts", columns)
    # They served the counting fingerprint the counter replaces; every save paid for the
    # first one (a new version rewrote its entry).
    op.drop_index("ix_audits_status_version", table_name="audits")
    op.drop_index("ix_plans_weak_flag", table_name="plans")
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    for table, row_matters, update_matters in WATCHED:
        op.execute(f"""CREATE TRIGGER dashboard_changes_{table}_update AFTER UPDATE ON {table}
            WHEN {update_matters.replace("IS DISTINCT FROM", "IS NOT")} BEGIN {BUMP}; END""")
        if row_matters is None:
            continue
        for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
            condition = row_matters.replace("status", f"{row}.status")
            op.execute(f"""CREATE TRIGGER dashboard_changes_{table}_{event.lower()} AFTER {event} ON {table}
                WHEN {condition} BEGIN {BUMP}; END""")


def _postgres_triggers() -> None:
    op.execute(f"""
        CREATE FUNCTION dashboard_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {BUMP};
            RETURN NULL;
        END $$""")
    for table, row_matters, update_matters in WATCHED:
        op.execute(f"""CREATE TRIGGER dashboard_changes_{table}_update AFTER UPDATE ON {table}
            FOR EACH ROW WHEN ({update_matters}) EXECUTE FUNCTION dashboard_count_change()""")
        if row_matters is None:
            continue
        for event, rows in (("INSERT", "NEW"), ("DELETE", "OLD")):
            function = f"dashboard_count_{table}_{event.lower()}"
            op.execute(f"""
                CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM changed_rows WHERE {row_matters}) THEN
                        {BUMP};
                    END IF;
                    RETURN NULL;
                END $$""")
            op.execute(f"""CREATE TRIGGER dashboard_changes_{table}_{event.lower()} AFTER {event} ON {table}
                REFERENCING {rows} TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()""")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, row_matters, _ in WATCHED:
        events = ("update",) if row_matters is None else ("update", "insert", "delete")
        for event in events:
            op.execute(
                f"DROP TRIGGER dashboard_changes_{table}_{event}"
                + (f" ON {table}" if postgres else "")
            )
            if postgres and event != "update":
                op.execute(f"DROP FUNCTION dashboard_count_{table}_{event}()")
    if postgres:
        op.execute("DROP FUNCTION dashboard_count_change()")
    op.create_index("ix_plans_weak_flag", "plans", ["weak_flag", "id"])
    op.create_index("ix_audits_status_version", "audits", ["status", "version", "id"])
    for name, _ in pair_indexes():
        op.drop_index(name, table_name="dashboard_audit_facts")
    op.drop_table("dashboard_changes")
