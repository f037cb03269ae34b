"""Alembic environment: runs on the connection handed over by ``qa_app.store.engine``,
or on the URL in the config when run from the ``alembic`` command line."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from qa_app.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_on(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as own_connection:
        run_on(own_connection)
