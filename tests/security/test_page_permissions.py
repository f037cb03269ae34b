"""Every role against every page, rendered directly as if someone typed its address:
pages outside the role refuse and show no plan text; hostile HTML in plan text and
notes is shown as text, never as markup; SQL injection strings in every text field and
filter are only text."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from qa_app.services import typed_text
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, EventLogEntry, Plan, PlanSection, User

PAGES = {
    "plans": {"qa_lead", "auditor"},
    "plan": {"qa_lead", "auditor"},
    "my_audits": {"qa_lead", "auditor"},
    "audit": {"qa_lead", "auditor"},
    "assign": {"qa_lead"},
    "moderation": {"qa_lead"},
    "exports": {"qa_lead"},
    "import_plan": {"qa_lead"},
    "rubrics": {"qa_lead", "auditor", "training", "admin"},
    "event_log": {"qa_lead", "admin"},
    "admin_users": {"admin"},
    "reports": {"qa_lead", "training"},
    "evidence_pack": {"qa_lead"},
    "dashboard": {"qa_lead", "training"},
    "actions": {"qa_lead", "auditor", "training"},
    "accessibility": {"qa_lead", "auditor", "training", "admin"},
}
PAGES_SHOWING_PLANTED_TEXT = {"plan", "audit"}
REFUSALS = ("does not allow", "Only QA leads", "not one of yours")
REFUSED_KINDS = (
    "qa_app.services.errors.PermissionDenied",
    "qa_app.services.errors.NotFound",
)
INJECTIONS = (
    "' OR '1'='1",
    "'; DROP TABLE plans; --",
    '" OR 1=1 --',
    "%' UNION SELECT password_hash FROM users --",
)


def query_for(page: str, planted) -> dict:
    return {"plan": {"plan": str(planted.plan_id)}, "audit": {"audit": str(planted.audit_id)}}.get(
        page, {}
    )


def everything_shown(at: AppTest) -> str:
    return "\n".join(str(getattr(node, "proto", "")) for node in at._tree)


def refusal_shown(at: AppTest) -> bool:
    """The page says it refuses, or a service's refusal escaped it, which Streamlit shows
    by its kind alone (``client.showErrorDetails``); the menu never leads there."""
    messages = [e.value for e in (*at.error, *at.info, *at.warning)]
    return any(refusal in message for message in messages for refusal in REFUSALS) or any(
        e.proto.type in REFUSED_KINDS for e in at.exception
    )


# Components whose script puts the text they are given only into a textarea's value or
# an element's textContent, never into markup (qa_app/ui/components/autosave.py).
TEXT_ONLY_COMPONENTS = ('component_name: "qa_autosave_text"',)


def html_elements(at: AppTest) -> list[str]:
    """Everything the page lets the browser treat as HTML."""
    return [
        str(node.proto)
        for node in at._tree
        if (
            getattr(getattr(node, "proto", None), "allow_html", False)
            or type(node).__name__ in ("Html", "UnknownElement")
        )
        and not any(marker in str(node.proto) for marker in TEXT_ONLY_COMPONENTS)
    ]


@pytest.mark.parametrize("role", ["qa_lead", "auditor", "training", "admin"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_role_against_every_page(app_settings, run_page, page, role):
    planted = app_settings
    at = run_page(page, planted.actors[role], query_for(page, planted))
    shown = everything_shown(at)
    marker = planted.marker
    if role in PAGES[page]:
        assert not at.exception, [e.message for e in at.exception]
        assert not refusal_shown(at)
        if page in PAGES_SHOWING_PLANTED_TEXT:
            assert marker in shown
    else:
        assert refusal_shown(at)
        assert marker not in shown
    assert not any(marker in element for element in html_elements(at))


def test_an_auditor_typing_another_plans_address_sees_nothing_of_it(app_settings, run_page):
    planted = app_settings
    at = run_page("plan", planted.actors["auditor"], {"plan": str(planted.other_plan_id)})
    assert refusal_shown(at) and planted.marker not in everything_shown(at)
    at = run_page("audit", planted.actors["auditor"], {"audit": str(planted.other_audit_id)})
    assert refusal_shown(at) and planted.marker not in everything_shown(at)


def _fingerprint(url: str) -> tuple:
    with session_factory(url)() as session:
        return (
            session.scalar(select(func.count()).select_from(Plan)),
            session.scalar(select(func.count()).select_from(PlanSection)),
            session.scalar(select(func.count()).select_from(User)),
            session.scalar(select(func.max(User.id))),
        )


@pytest.mark.parametrize(
    ("page", "role"),
    [("plans", "qa_lead"), ("assign", "qa_lead"), ("event_log", "admin"), ("admin_users", "admin")],
)
def test_sql_injection_strings_in_every_text_field_are_only_text(
    app_settings, run_page, page, role
):
    planted = app_settings
    query = {"audit": str(planted.draft_audit_id)} if page == "audit" else query_for(page, planted)
    before = _fingerprint(planted.url)
    for payload in INJECTIONS:
        at = run_page(page, planted.actors[role], query)
        boxes = [box for box in (*at.text_input, *at.text_area) if not box.proto.disabled]
        assert boxes
        for box in boxes:
            box.input(payload)
        at = at.run()
        assert not at.exception, [e.message for e in at.exception]
    assert _fingerprint(planted.url) == before
    with session_factory(planted.url)() as session:
        assert session.scalar(select(func.count()).select_from(EventLogEntry)) > 0


def test_sql_injection_strings_typed_into_an_audit_are_only_text(app_settings, run_page):
    """The audit page's typed fields save through ``typed_text`` as they are typed (a
    browser component AppTest cannot type into), so the strings go through that path."""
    planted = app_settings
    before = _fingerprint(planted.url)
    auditor = planted.actors["auditor"]
    for payload in INJECTIONS:
        with session_factory(planted.url)() as session:
            version = session.get(Audit, planted.draft_audit_id).version
            typed_text.save_typed(
                session,
                auditor,
                typed_text.TypedField("text", planted.draft_audit_id, "strengths"),
                payload,
                expected_version=version,
            )
            session.commit()
        at = run_page("audit", auditor, {"audit": str(planted.draft_audit_id)})
        assert not at.exception, [e.message for e in at.exception]
    assert _fingerprint(planted.url) == before
    with session_factory(planted.url)() as session:
        assert session.get(Audit, planted.draft_audit_id).strengths == INJECTIONS[-1]


def test_every_page_module_is_in_the_matrix():
    pages_dir = importlib.import_module("qa_app.ui.pages").__path__[0]
    from pathlib import Path

    modules = {p.stem for p in Path(pages_dir).glob("*.py")} - {"__init__", "sign_in"}
    assert modules - set(PAGES) == set(), "add new pages to the role matrix"
