"""Getting a database ready: migrations, rubric registration and, for the embedded demo
default, synthetic data on first start."""

from __future__ import annotations

import logging

from qa_app.services import accounts, demo, rubrics
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
        _, errors = rubrics.register_rubric_files(session, SYSTEM, settings.rubrics_dir)
        if settings.seed_demo_on_start and not demo.has_data(session):
            summary = demo.seed_demo(session, SYSTEM)
            log.info("seeded synthetic demo data: %s", summary)
        if settings.seed_demo_on_start:
            accounts.open_demo_accounts(session)
        else:
            accounts.close_demo_accounts(session)
    return [str(error) for error in errors]
