"""Two ``streamlit run`` processes on different ports against one PostgreSQL, as
docs/deployment.md describes: both serve the app and see the same data; two auditors
working at once through different servers lose nothing; two QA leads on the same
moderation cannot overwrite each other."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from qa_app.benchmarks import workload
from qa_app.services.health import readiness
from qa_app.store.engine import session_scope
from qa_app.store.models import CriterionScore, Moderation
from tests.support import browser as ui

pytestmark = pytest.mark.postgres

LEVELS = ("4 · Outstanding", "3 · Good")
SCORED = 6


def _levels(url: str, audit_id: int) -> Counter:
    with session_scope(url) as session:
        return Counter(
            session.scalars(select(CriterionScore.score).where(CriterionScore.audit_id == audit_id))
        )


def test_both_servers_are_live_and_the_database_is_ready(two_servers, floor_url):
    assert two_servers[0].port != two_servers[1].port
    assert all(server.healthy() for server in two_servers)
    assert readiness(floor_url).ready


@pytest.mark.browser
def test_two_auditors_on_two_servers_lose_nothing_and_see_the_same_data(
    browser, two_servers, floor, floor_url
):
    first_server, second_server = two_servers
    pages = []
    for server, username, password in (
        (first_server, workload.FIRST_AUDITOR, workload.PASSWORD),
        (second_server, workload.SECOND_AUDITOR, workload.PASSWORD),
    ):
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        ui.sign_in(page, server.base_url, username, password)
        ui.open_first_audit(page)
        pages.append(page)

    for index in range(SCORED):
        for offset, page in enumerate(pages):
            ui.choose_level(page, index, LEVELS[(index + offset) % 2])

    first_audit = floor.drafts[floor.first_auditor.user_id]
    second_audit = floor.drafts[floor.second_auditor.user_id]
    assert "audit=" in pages[0].url and "audit=" in pages[1].url
    assert _levels(floor_url, first_audit) == Counter({4: SCORED // 2, 3: SCORED // 2})
    assert _levels(floor_url, second_audit) == Counter({3: SCORED // 2, 4: SCORED // 2})

    # The second auditor's work, read back through the other server.
    elsewhere = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    ui.sign_in(elsewhere, first_server.base_url, workload.SECOND_AUDITOR, workload.PASSWORD)
    ui.open_first_audit(elsewhere)
    for index in range(SCORED):
        expect(ui.level_radio(elsewhere, index, LEVELS[(index + 1) % 2])).to_be_checked()
    for page in [*pages, elsewhere]:
        page.context.close()


@pytest.mark.browser
def test_the_later_stale_save_on_one_moderation_is_refused_with_a_clear_message(
    browser, two_servers, floor, floor_url
):
    pages = []
    for server, username, password in (
        (two_servers[0], workload.LEAD, workload.PASSWORD),
        (two_servers[1], workload.SECOND_LEAD, workload.PASSWORD),
    ):
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        ui.sign_in(page, server.base_url, username, password)
        ui.go_to_page(page, "Moderation")
        ui.select_row(page, "moderation_pairs", 0)
        page.get_by_text("Agreed overall grade").first.wait_for()
        pages.append(page)
    first, later = pages

    ui.choose_option(first, "Agreed overall grade", "Good")
    ui.choose_option(later, "Agreed overall grade", "Outstanding")

    refusal = later.get_by_text("Someone else saved this moderation")
    refusal.first.wait_for(timeout=ui.TIMEOUT_MS)
    assert later.get_by_test_id("stException").count() == 0
    assert first.get_by_text("Someone else saved this moderation").count() == 0
    with session_scope(floor_url) as session:
        assert (
            session.scalar(
                select(Moderation.overall_grade).where(Moderation.id == floor.moderation_id)
            )
            == 3
        )
    for page in pages:
        page.context.close()
