"""An app server killed with SIGKILL mid-scoring, and the database restarted or gone in
the middle of a session: nothing saved is lost, and no save is lost silently."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from qa_app.benchmarks import workload
from qa_app.benchmarks.postgres import PostgresUnavailable, ThrowawayPostgres
from qa_app.services import audits
from qa_app.services.rubrics import rubric_of
from qa_app.store.engine import engine_for, session_scope, upgrade
from qa_app.store.models import Audit, CriterionScore
from tests.support import browser as ui
from tests.support.app_server import AppServer

pytestmark = [pytest.mark.postgres, pytest.mark.browser]

OUTAGE = "The database cannot be reached just now"


class Database:
    """A PostgreSQL server of this module's own, so stopping it disturbs no other test."""

    def __init__(self, server: ThrowawayPostgres):
        self.server = server
        self.data = str(server.root / "data")

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        self.server._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def start(self) -> None:
        # With a log file the server does not hold on to pg_ctl's output pipes.
        options = f"-p {self.server.port} -k {self.server.root} -c listen_addresses=127.0.0.1"
        self.server._run(
            "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            str(self.server.root / "server.log"),
            "-w",
            "start",
        )


@pytest.fixture(scope="module")
def database():
    try:
        server = ThrowawayPostgres().start()
    except PostgresUnavailable as reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    yield Database(server)
    server.stop()


@pytest.fixture(scope="module")
def floor_url(database):
    from qa_app.services import rubrics
    from qa_app.services.access import SYSTEM
    from qa_app.settings import PROJECT_ROOT

    url = database.server.create_database("crash")
    upgrade(url)
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")
    yield url
    engine_for(url).dispose()


@pytest.fixture(scope="module")
def floor(floor_url) -> workload.Floor:
    with session_scope(floor_url) as session:
        return workload.open_floor(session)


@pytest.fixture
def server(floor_url, floor, tmp_path):
    app = AppServer(floor_url, log_dir=tmp_path).start()
    yield app
    app.stop()


def _stored_levels(url: str, audit_id: int) -> dict[str, int | None]:
    with session_scope(url) as session:
        return dict(
            session.execute(
                select(CriterionScore.criterion_id, CriterionScore.score).where(
                    CriterionScore.audit_id == audit_id
                )
            ).all()
        )


def _criteria_on_page(url: str, actor, audit_id: int) -> list[str]:
    """Criterion ids in the order the audit page shows them: by rubric section."""
    with session_scope(url) as session:
        view = audits.open_audit(session, actor, audit_id)
        rubric = rubric_of(session.get(Audit, audit_id).rubric_version)
    order = [section.id for section in rubric.sections]
    return [c.id for c in sorted(view.criteria, key=lambda c: order.index(c.section))]


def _page(browser):
    return browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()


def test_everything_saved_before_a_sigkill_is_there_after_restart(
    browser, server, floor, floor_url
):
    audit_id = floor.drafts[floor.first_auditor.user_id]
    page = _page(browser)
    ui.sign_in(page, server.base_url, workload.FIRST_AUDITOR, workload.PASSWORD)
    ui.open_first_audit(page)
    saved = ["4 · Outstanding", "3 · Good", "4 · Outstanding", "3 · Good"]
    for index, label in enumerate(saved):
        ui.choose_level(page, index, label)
    ui.choose_level(page, len(saved), "4 · Outstanding", wait=False)
    server.kill()
    page.context.close()

    criteria = _criteria_on_page(floor_url, floor.first_auditor, audit_id)
    stored = _stored_levels(floor_url, audit_id)
    assert [stored.get(cid) for cid in criteria[: len(saved)]] == [4, 3, 4, 3]

    restarted = AppServer(floor_url, port=server.port, log_dir=server.log_path.parent).start()
    try:
        page = _page(browser)
        ui.sign_in(page, restarted.base_url, workload.FIRST_AUDITOR, workload.PASSWORD)
        ui.open_first_audit(page)
        for index, label in enumerate(saved):
            expect(ui.level_radio(page, index, label)).to_be_checked()
        page.context.close()
    finally:
        restarted.stop()


def test_a_database_restart_mid_session_loses_no_save_silently(
    browser, server, database, floor, floor_url
):
    auditor = floor.second_auditor
    audit_id = floor.drafts[auditor.user_id]
    criteria = _criteria_on_page(floor_url, auditor, audit_id)
    page = _page(browser)
    ui.sign_in(page, server.base_url, workload.SECOND_AUDITOR, workload.PASSWORD)
    ui.open_first_audit(page)
    ui.choose_level(page, 0, "3 · Good")

    database.restart()
    ui.choose_level(page, 1, "4 · Outstanding")
    assert _stored_levels(floor_url, audit_id).get(criteria[1]) == 4
    assert page.get_by_text(OUTAGE).count() == 0

    database.stop()
    try:
        ui.choose_level(page, 2, "3 · Good")
        expect(page.get_by_text(OUTAGE).first).to_be_visible(timeout=ui.TIMEOUT_MS)
        assert page.get_by_test_id("stException").count() == 0
        # The page stays, with the value that could not be saved still chosen.
        expect(page.get_by_role("heading", name="Audit of plan")).to_be_visible()
        expect(ui.level_radio(page, 2, "3 · Good")).to_be_checked()
        expect(page.get_by_text("shown but not saved")).to_be_visible()
    finally:
        database.start()

    # The page notices the database is back: the outage banner goes, and the change it
    # could not save is still on screen, marked unsaved, until the auditor saves it.
    expect(page.get_by_text(OUTAGE)).to_have_count(0, timeout=ui.TIMEOUT_MS)
    page.get_by_role("heading", name="Audit of plan").wait_for(timeout=ui.TIMEOUT_MS)
    ui.settle(page)
    expect(page.get_by_text("The database is back.")).to_be_visible()
    expect(page.get_by_text("shown but not saved")).to_be_visible()
    assert page.get_by_role("button", name="Save my changes over theirs").count() == 0
    assert _stored_levels(floor_url, audit_id).get(criteria[2]) is None
    page.get_by_role("button", name="Try saving again").click()
    ui.settle(page)
    assert _stored_levels(floor_url, audit_id) == {criteria[0]: 3, criteria[1]: 4, criteria[2]: 3}
    assert page.get_by_text("shown but not saved").count() == 0
    page.context.close()
