"""Getting a database ready: migrations, its kind (demo or real) when it is new, rubric
registration and, in a demo database, synthetic data on first start."""

from __future__ import annotations

import logging

from qa_app.services import accounts, database_kind, demo, rubrics
from qa_app.services.access import SYSTEM
from qa_app.settings import Settings
from qa_app.store.engine import require_current, session_scope, upgrade

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> list[str]:
    """Bring the database up to date (or, where the start-up may not migrate, refuse one
    that is behind with ``DatabaseBehind``); return the problems of any broken rubric files."""
    if settings.migrates_on_start:
        upgrade(settings.database_url)
    else:
        require_current(settings.database_url)
    with session_scope(settings.database_url) as session:
        kind = settle_database_kind(session, settings)
        _, errors = rubrics.register_rubric_files(session, SYSTEM, settings.rubrics_dir)
        if kind == database_kind.DEMO:
            summary = demo.fill_demo_database(
                session, SYSTEM, only_if_empty=True, settings=settings
            )
            if summary is not None:
                log.info("seeded synthetic demo data: %s", summary)
        else:
            accounts.close_demo_accounts(session)
    return [str(error) for error in errors]


def settle_database_kind(session, settings: Settings) -> str:
    """The database's kind, recorded now from the settings if the database is new."""
    return database_kind.settle_kind(
        session, database_kind.DEMO if settings.new_database_is_demo else database_kind.REAL
    )
