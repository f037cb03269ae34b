"""Plans of the regression corpus imported as a council would (Word and PDF, through the
Import plans page and through ``qa-app ingest``) are checked on the real path: the Plans
list, the plan page, the audit page, the dashboard and the export all show their flags."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qa_app.benchmarks import workload
from qa_app.cli import main
from qa_app.services import audits
from qa_app.services.access import Actor, actor_for
from qa_app.services.exports import export_period
from qa_app.services.plan_import import read_uploads
from qa_app.store.engine import session_factory
from qa_app.store.models import Plan, User, UserRole
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import (
    heading_styles,
    part_prefix,
)

LEAD = Actor(user_id=None, display_name="Lead", roles=frozenset({"qa_lead"}))


@pytest.fixture
def imported(sqlite_url, point_app_at, pdf_corpus, run_page, tmp_path, capsys, suppression):
    """Two plans saved through the Import plans page (one Word, one PDF) and two through
    ``qa-app ingest`` (Word and PDF); returns the database URL."""
    point_app_at(sqlite_url)
    settings = suppression(1)
    uploads = [
        ("heading_styles.docx", build_docx(heading_styles().items)),
        ("national_template.pdf", pdf_corpus["national_template"]),
    ]
    at = run_page(
        "import_plan", LEAD, state={"import_results": read_uploads(uploads, date(2026, 3, 1))}
    )
    assert at.subheader[0].value == "2 of 2 files read"
    for index in range(2):
        at.button(key=f"import_save_{index}").click()
        at.run()
        assert not at.exception
    saved = [s.value for s in at.success]
    assert len(saved) == 2 and all(
        s.startswith("Saved ") and "as plan **PLN" in s and "flagged\\:" in s.lower() for s in saved
    )

    word = tmp_path / "part_prefix.docx"
    word.write_bytes(build_docx(part_prefix().items))
    pdf = tmp_path / "statutory_wording.pdf"
    pdf.write_bytes(pdf_corpus["statutory_wording"])
    assert (
        main(["ingest", str(word), str(pdf), "--audit-date", "2026-03-01"], settings=settings) == 0
    )
    assert capsys.readouterr().out.count(" imported as PLN-") == 2
    return sqlite_url


def _plans(url):
    with session_factory(url)() as session:
        return session.scalars(select(Plan).order_by(Plan.id)).unique().all()


def test_every_imported_plan_and_outcome_is_checked_and_stored(imported):
    plans = _plans(imported)
    assert len(plans) == 4
    with session_factory(imported)() as session:
        for plan in session.scalars(select(Plan)):
            assert plan.weak_flag is not None and plan.weak_flag_reason and plan.weak_flag_model
            assert plan.outcomes and all(
                o.model_version == plan.weak_flag_model and o.p_weak is not None
                for o in plan.outcomes
            )
            assert plan.setting_type == "mainstream"  # from section I, which every layout fills
        national = session.scalars(select(Plan).order_by(Plan.id)).all()[1]
        assert next(o.link for o in national.outcomes) == "communication_interaction:1"
        assert {p.section for p in national.provision} == {"F", "G", "H1", "H2"}
        stepped = session.scalars(select(Plan).order_by(Plan.id)).all()[2]
        assert all(o.steps for o in stepped.outcomes)


def test_plans_list_and_plan_page_show_the_flags(imported, run_page):
    plans = _plans(imported)
    at = run_page("plans", LEAD)
    assert not at.exception
    listed = at.dataframe[0].value
    column = dict(zip(listed["Reference"], listed["Weak outcomes"]))
    assert {p.reference: ("flagged" if p.weak_flag else "") for p in plans} == {
        ref: column[ref] for ref in (p.reference for p in plans)
    }

    at = run_page("plan", LEAD, query={"plan": plans[0].id})
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Outcome",
        "Area",
        "Timescale",
        "Steps",
        "Weak",
        "p(weak)",
        "Reasons",
    ]
    assert set(table["Weak"]) <= {"Yes", "No"} and table["p(weak)"].notna().all()
    assert not [i.value for i in at.info if "not been checked" in i.value]


def test_audit_page_counts_the_same_flags_in_both_panes_and_the_export_and_dashboard_show_them(
    imported, run_page
):
    with session_factory(imported)() as session:
        auditor_user = User(
            username="edu",
            display_name="Edu",
            agency="education",
            role_rows=[UserRole(role="auditor")],
        )
        lead_user = User(username="lead", display_name="Lead", role_rows=[UserRole(role="qa_lead")])
        session.add_all([auditor_user, lead_user])
        session.flush()
        auditor, lead = actor_for(auditor_user), actor_for(lead_user)
        plans = session.scalars(select(Plan).order_by(Plan.id)).all()
        audit_ids = workload.assign(session, lead, [p.id for p in plans], [auditor])
        session.commit()
        weak = {p.id: sum(bool(o.weak) for o in p.outcomes) for p in plans}
        counts = {p.id: len(p.outcomes) for p in plans}
        flags = {p.reference: p.weak_flag for p in plans}
        audit_plan = {
            a: audits.open_audit(session, auditor, a, log_view=False).plan_id for a in audit_ids
        }
        for audit_id in audit_ids:
            version = workload.fill(session, auditor, audit_id)
            audits.submit(session, auditor, audit_id, expected_version=version)
        session.commit()

    first = audit_ids[0]
    at = run_page("audit", auditor, query={"audit": first})
    assert not at.exception
    plan_id = audit_plan[first]
    expected = f"{counts[plan_id]} outcomes in this plan, {weak[plan_id]} flagged as possibly weak"
    assert any(c.value.startswith(expected) for c in at.caption)
    shown_flags = [m for m in at.markdown if "Flagged as possibly weak" in m.value]
    assert len(shown_flags) == weak[plan_id]

    with session_factory(imported)() as session:
        export = export_period(session, lead, date.today() - timedelta(days=1), date.today(), "csv")
        session.commit()
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert {r["plan_reference"]: r["weak_outcome_flag"] for r in rows} == {
        ref: "yes" if flag else "no" for ref, flag in flags.items()
    }
    assert all(r["weak_outcome_flag_reason"] for r in rows)

    at = run_page("dashboard", lead)
    assert not at.exception
    flagged = next(m for m in at.metric if m.label == "Flagged for weak outcomes")
    share = round(100 * sum(bool(f) for f in flags.values()) / len(flags))
    assert flagged.value.startswith(f"{share}")
