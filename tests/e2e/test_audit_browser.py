"""A whole audit in a real headless Chromium against ``streamlit run``: a refused submit
links to what is missing, every criterion is scored through the page, a reload finds
everything still there, submit asks first, and the finished audit links to the next one.
Typed text survives a reload pressed at once and a tab closed at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.store.engine import engine_for, session_scope
from qa_app.store.models import Audit, CriterionScore, Outcome, Plan, PlanSection
from tests.support import browser as ui
from tests.support.app_server import serving
from tests.support.seeding import account, assign_by_hand
from tests.support.stored import wait_until_stored

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def assigned_audit(sqlite_url):
    """A fresh database with one auditor and two plans, each an audit assigned to them;
    yields the first plan's audit."""
    url = sqlite_url
    with session_scope(url) as session:
        auditor = account(
            "auditor", "Browser Auditor", "auditor", password=PASSWORD, agency="education"
        )
        lead = account("lead", "Browser Lead", "qa_lead")
        plan = Plan(
            reference="PLN-BROWSER1",
            year_group=5,
            key_stage="KS2",
            primary_need="SLCN",
            plan_type="new",
            sections=[
                PlanSection(letter="A", position=0, text="Likes music and buses."),
                PlanSection(letter="E", position=1, text="Outcomes"),
            ],
            outcomes=[
                Outcome(
                    position=0,
                    text="[child] will be supported with reading.",
                    weak=True,
                    p_weak=0.92,
                    reasons="provision written as an outcome",
                )
            ],
        )
        later = Plan(
            reference="PLN-BROWSER2",
            year_group=6,
            key_stage="KS2",
            primary_need="SLCN",
            plan_type="new",
            sections=[PlanSection(letter="A", position=0, text="Likes trains.")],
        )
        session.add_all([auditor, lead, plan, later])
        session.flush()
        assign_by_hand(session, lead, auditor, [plan, later], "Browser")
        audit_id = session.scalar(select(Audit.id).where(Audit.plan_id == plan.id))
    engine_for(url).dispose()
    yield url, audit_id
    engine_for(url).dispose()


@pytest.fixture
def app_server(assigned_audit, tmp_path):
    with serving(assigned_audit[0], tmp_path, environment={"QA_DEMO": "0"}) as base_url:
        yield base_url


@pytest.fixture
def page():
    with ui.chromium_page() as page:
        yield page


def _open_audit_signed_in(page, base: str, audit_id: int) -> None:
    """Go to the audit's address; sign in when asked; the app brings the auditor back to it."""
    page.goto(f"{base}/audit?audit={audit_id}")
    ui.settle(page)
    if page.get_by_role("textbox", name="Password").count():
        page.keyboard.press("Escape")  # "page not found" notice while signed out
        ui.submit_sign_in(page, "auditor", PASSWORD)
    _audit_shown(page)


def _audit_shown(page) -> None:
    page.get_by_role("heading", name="Audit of plan PLN-BROWSER1").wait_for(timeout=60_000)
    page.get_by_test_id("stRadio").first.wait_for(timeout=60_000)


def _criterion_keys(page, audit_id: int) -> list[str]:
    prefix = f"st-key-audit-{audit_id}-level-"
    classes = page.locator(f"[class*='{prefix}']").evaluate_all("els => els.map(e => e.className)")
    return [
        next(c for c in names.split() if c.startswith(prefix))[len(prefix) :] for names in classes
    ]


def test_an_audit_done_in_the_browser_survives_a_reload_and_submits(
    assigned_audit, app_server, page
):
    url, audit_id = assigned_audit
    _open_audit_signed_in(page, app_server, audit_id)
    assert page.get_by_text("[child] will be supported with reading.").is_visible()
    criteria = _criterion_keys(page, audit_id)
    assert len(criteria) > 20 and "c_health_needs" not in criteria

    page.get_by_role("button", name="Submit audit").click()
    ui.settle(page)
    refusal = page.get_by_test_id("stAlertContentError")
    assert refusal.get_by_role("link").count() == len(criteria)
    refusal.get_by_role("link").nth(3).click()  # moves the focus to that criterion's levels
    page.wait_for_function(
        "key => document.activeElement.closest(`.st-key-${key}`) !== null",
        arg=f"audit-{audit_id}-level-{criteria[3]}",
        timeout=ui.TIMEOUT_MS,
    )

    weak = "f_provision_quantified"
    for criterion_id in criteria:
        label = "1 · Inadequate" if criterion_id == weak else "3 · Good"
        page.locator(f".st-key-audit-{audit_id}-level-{criterion_id}").get_by_text(
            label, exact=True
        ).click()
        ui.settle(page)
    note_key, strengths_key = (
        f"audit-{audit_id}-note-{weak}-autosave",
        f"audit-{audit_id}-text-strengths-autosave",
    )
    note = ui.typed_field(page, note_key)
    note.fill("Therapy is 'regular' with no hours or provider named.")
    ui.wait_until_saved(page, note_key)
    strengths = ui.typed_field(page, strengths_key)
    strengths.fill("Clear account of communication needs.")
    ui.wait_until_saved(page, strengths_key)
    ui.settle(page)
    assert page.get_by_text("capped at Requires improvement", exact=False).first.is_visible()

    page.reload()
    ui.settle(page)
    _audit_shown(page)
    for criterion_id in criteria:
        expected = "1 · Inadequate" if criterion_id == weak else "3 · Good"
        group = page.locator(f".st-key-audit-{audit_id}-level-{criterion_id}")
        assert group.get_by_role("radio", name=expected).is_checked(), criterion_id
    assert note.input_value() == "Therapy is 'regular' with no hours or provider named."
    assert strengths.input_value() == "Clear account of communication needs."

    page.get_by_role("button", name="Submit audit").click()
    asked = page.get_by_role("dialog")
    asked.get_by_text("Submitting locks your audit of plan PLN-BROWSER1").wait_for(
        timeout=ui.TIMEOUT_MS
    )
    assert asked.get_by_text("1 evidence note(s)", exact=False).is_visible()
    with session_scope(url) as session:
        assert session.get(Audit, audit_id).status == "draft"  # nothing locked until confirmed
    asked.get_by_role("button", name="Submit and lock").click()
    page.get_by_text("The audit is submitted and locked.").wait_for(timeout=ui.TIMEOUT_MS)
    ui.settle(page)
    with session_scope(url) as session:
        audit = session.get(Audit, audit_id)
        assert audit.status == "submitted" and audit.overall_grade == 2
        scores = {
            s.criterion_id: s.score
            for s in session.scalars(
                select(CriterionScore).where(CriterionScore.audit_id == audit_id)
            )
        }
        assert scores[weak] == 1 and set(scores) == set(criteria)
    engine_for(url).dispose()

    page.get_by_role("link", name="Next audit: plan PLN-BROWSER2").first.click()
    page.get_by_role("heading", name="Audit of plan PLN-BROWSER2").wait_for(timeout=ui.TIMEOUT_MS)


TYPED = "Provision says 'as needed' — no hours, no provider, no review date."


def _stored_strengths(url: str, audit_id: int) -> str | None:
    with session_scope(url) as session:
        return session.get(Audit, audit_id).strengths


def _wait_for_stored(url: str, audit_id: int, text: str) -> None:
    wait_until_stored(lambda: _stored_strengths(url, audit_id), text)


def test_text_typed_then_reloaded_at_once_is_kept(assigned_audit, app_server, page):
    url, audit_id = assigned_audit
    _open_audit_signed_in(page, app_server, audit_id)
    key = f"audit-{audit_id}-text-strengths-autosave"
    ui.type_then_reload_at_once(page, key, TYPED)
    _audit_shown(page)
    _wait_for_stored(url, audit_id, TYPED)
    ui.settle(page)
    ui.wait_for_field_text(page, key, TYPED)
    engine_for(url).dispose()


def test_text_typed_then_the_tab_closed_at_once_is_kept(assigned_audit, app_server, page):
    url, audit_id = assigned_audit
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    _open_audit_signed_in(tab, app_server, audit_id)
    tab.on("dialog", lambda dialog: dialog.accept())
    key = f"audit-{audit_id}-text-strengths-autosave"
    ui.typed_field(tab, key).click()
    tab.keyboard.type(TYPED)
    tab.close(run_before_unload=True)
    _wait_for_stored(url, audit_id, TYPED)
    again = context.new_page()
    _open_audit_signed_in(again, app_server, audit_id)
    ui.settle(again)
    assert ui.typed_field(again, key).input_value() == TYPED
    context.close()
    engine_for(url).dispose()
