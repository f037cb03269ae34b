"""The models declare every table, column and index the migrations make: Alembic's
comparison of a freshly migrated database with the models' metadata finds nothing."""

from __future__ import annotations

import re
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for
from qa_app.store.models import Base


def test_a_freshly_migrated_database_matches_the_models(db_url):
    with engine_for(db_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_models_alone_declare_every_table_the_migrations_make(sqlite_url):
    """In a fresh interpreter, so no other module has added tables to the metadata."""
    declared = subprocess.run(
        [
            sys.executable,
            "-c",
            "from qa_app.store.models import Base; print(' '.join(sorted(Base.metadata.tables)))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    ).stdout.split()
    with engine_for(sqlite_url).connect() as connection:
        made = set(inspect(connection).get_table_names()) - {"alembic_version"}
    assert sorted(made) == declared


# Revisions made before the naming scheme; their ids are stored in databases, so they stay.
OLDER_IDS = {"0001_initial_schema": "0001", "0002_dashboard_summary": "0002_dashboard"}


def test_revisions_are_named_by_number_and_subject_in_one_line():
    """Each revision file is NNNN_subject.py, its id is the file's name, and each follows
    the one numbered before it (docs/architecture.md, "Adding a migration")."""
    files = sorted(
        (PROJECT_ROOT / "qa_app" / "store" / "migrations" / "versions").glob("[0-9]*.py")
    )
    previous = None
    for number, path in enumerate(files, start=1):
        text = path.read_text(encoding="utf-8")
        assert re.fullmatch(rf"{number:04d}_[a-z0-9_]+", path.stem), path.name
        assert re.search(
            rf"^revision = ['\"]{OLDER_IDS.get(path.stem, path.stem)}['\"]$", text, re.MULTILINE
        ), path.name
        assert re.search(
            rf"^down_revision = {repr(previous) if previous else 'None'}$".replace("'", "['\"]"),
            text,
            re.MULTILINE,
        ), path.name
        previous = OLDER_IDS.get(path.stem, path.stem)
