"""A whole audit with the keyboard alone, in real headless Chromium against ``streamlit
run``: sign in, land on the main heading, open the audit from My audits, score every
criterion, submit and confirm in the dialog that asks first. No mouse event is sent. Prints
the number of Tab presses it took, and holds it to a bound: a level chosen keeps the focus
through the save's rerun, and the next criterion is at most three Tabs on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.store.engine import engine_for, session_scope
from qa_app.store.models import Audit, CriterionScore, Plan, PlanSection
from tests.support import browser as ui
from tests.support.app_server import serving
from tests.support.seeding import account, assign_by_hand

pytestmark = pytest.mark.browser

PASSWORD = "keyboard only, no mouse"
TAB_LIMIT = 60  # Tabs between one control and the next before the test gives up
# Two frames after a Tab the browser has drawn the focus move (and scrolled the rubric's
# column to it). A Tab pressed sooner, faster than anyone types, can skip a criterion's
# level radios: without this wait the count varied from run to run (77, 94, 105).
DRAWN = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
FOCUSED = """() => {
  const el = document.activeElement;
  const keyed = el.closest("[class*='st-key-']");
  const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : '';
  return {tag: el.tagName, type: el.type || '', role: el.getAttribute('role') || '',
          label: el.getAttribute('aria-label') || el.innerText || '', key: key, checked: !!el.checked};
}"""


@pytest.fixture
def keyboard_audit(sqlite_url, tmp_path):
    if ui.chromium_path() is None:
        pytest.skip("browser test skipped: chromium is not installed")
    url = sqlite_url
    with session_scope(url) as session:
        auditor = account(
            "keys", "Keyboard Auditor", "auditor", password=PASSWORD, agency="education"
        )
        lead = account("lead", "Lead", "qa_lead")
        plan = Plan(
            reference="PLN-KEYS1",
            year_group=4,
            key_stage="KS2",
            primary_need="SLCN",
            plan_type="new",
            sections=[PlanSection(letter="A", position=0, text="Enjoys drawing.")],
        )
        session.add_all([auditor, lead, plan])
        session.flush()
        audit_id = assign_by_hand(session, lead, auditor, [plan], "Keys").audit_ids[0]
    engine_for(url).dispose()
    with serving(url, tmp_path, environment={"QA_DEMO": "0"}) as base_url:
        yield url, audit_id, base_url
    engine_for(url).dispose()


class Keyboard:
    """Presses keys on the page and counts the Tabs."""

    def __init__(self, page):
        self.page, self.tabs = page, 0

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, wanted, what: str) -> dict:
        passed = []
        for _ in range(TAB_LIMIT):
            self.page.keyboard.press("Tab")
            self.tabs += 1
            self.page.evaluate(DRAWN)
            focused = self.focused()
            if wanted(focused):
                return focused
            passed.append(focused["key"] or focused["label"][:20])
        raise AssertionError(f"{what} not reached with {TAB_LIMIT} Tabs; focus passed {passed}")

    def press(self, key: str, settle: bool = True) -> None:
        self.page.keyboard.press(key)
        if settle:
            ui.settle(self.page)


def test_a_whole_audit_with_the_keyboard_alone(keyboard_audit):
    from playwright.sync_api import sync_playwright

    url, audit_id, base = keyboard_audit
    with sync_playwright() as playwright:
        browser = ui.launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        keys = Keyboard(page)
        page.goto(base)
        ui.settle(page)
        page.get_by_role("textbox", name="Password").wait_for(timeout=ui.TIMEOUT_MS)

        keys.tab_to(lambda f: f["tag"] == "INPUT" and f["type"] == "text", "the username box")
        page.keyboard.type("keys")
        keys.tab_to(lambda f: f["type"] == "password", "the password box")
        page.keyboard.type(PASSWORD)
        keys.press("Enter")
        page.get_by_role("heading", name="My audits").wait_for(timeout=ui.TIMEOUT_MS)
        page.wait_for_function(
            "document.activeElement && document.activeElement.tagName === 'H1'",
            timeout=ui.TIMEOUT_MS,
        )
        assert keys.focused()["label"].startswith("My audits")
        # The heading takes the focus as soon as it is drawn; the rest of the page may still
        # be coming, and a Tab pressed before it comes would pass the place it will be.
        page.get_by_role("combobox", name="Open an audit").wait_for(timeout=ui.TIMEOUT_MS)
        ui.settle(page)

        keys.tab_to(
            lambda f: f["role"] == "combobox" and f["key"] == "my_audits_open",
            "the Open an audit box",
        )
        keys.press("ArrowDown", settle=False)
        keys.press("Enter")
        page.get_by_role("heading", name="Audit of plan PLN-KEYS1").wait_for(timeout=ui.TIMEOUT_MS)
        page.get_by_test_id("stRadio").first.wait_for(timeout=ui.TIMEOUT_MS)
        ui.settle(page)
        prefix = f"audit-{audit_id}-level-"
        criteria = [
            c.split(prefix, 1)[1].split()[0]
            for c in page.locator(f"[class*='st-key-{prefix}']").evaluate_all(
                "els => els.map(e => e.className)"
            )
        ]
        assert len(criteria) > 20

        steps = []
        for criterion_id in criteria:
            start = keys.tabs
            keys.tab_to(
                lambda f, c=criterion_id: f["type"] == "radio" and f["key"] == prefix + c,
                f"criterion {criterion_id}",
            )
            steps.append(keys.tabs - start)
            keys.press("ArrowDown")  # from 4 Outstanding (focused, not chosen) to 3 Good, chosen
            group = page.locator(f".st-key-{prefix}{criterion_id}")
            assert group.get_by_role("radio", name="3 · Good").is_checked(), criterion_id
            # The save reruns the page; the focus stays on the level just chosen.
            after = keys.focused()
            assert after["key"] == prefix + criterion_id and after["checked"], after
        # From one criterion's level to the next: its evidence note, and the heading of a
        # new section where one starts; nothing else on the way.
        assert max(steps[1:]) <= 3, steps

        keys.tab_to(
            lambda f: f["tag"] == "BUTTON" and f["label"].strip().startswith("Submit audit"),
            "Submit audit",
        )
        keys.press("Enter")
        page.get_by_role("dialog").get_by_text("Submitting locks").wait_for(timeout=ui.TIMEOUT_MS)
        keys.tab_to(
            lambda f: f["tag"] == "BUTTON" and f["label"].strip() == "Submit and lock",
            "Submit and lock",
        )
        keys.press("Enter")
        page.get_by_text("The audit is submitted and locked.").wait_for(timeout=ui.TIMEOUT_MS)
        browser.close()

    print(
        f"\nkeyboard-only audit of {len(criteria)} criteria: {keys.tabs} Tab presses "
        f"({steps[0]} from the audit's heading to the first criterion)"
    )
    # Signing in, opening the audit, reaching the first criterion (past the summary, the plan
    # and what the family said) and submitting take about 35 Tabs; each further criterion 2
    # or 3 (90 in all for 25 criteria when this was written).
    assert keys.tabs <= 30 + 3 * len(criteria), keys.tabs
    with session_scope(url) as session:
        assert session.get(Audit, audit_id).status == "submitted"
        scores = {
            s.criterion_id: s.score
            for s in session.scalars(
                select(CriterionScore).where(CriterionScore.audit_id == audit_id)
            )
        }
        assert set(scores) == set(criteria) and set(scores.values()) == {3}
    engine_for(url).dispose()
