"""The ``qa-app ingest`` contract: field names, one object or an array, storing plans."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from qa_app.cli import main
from qa_app.settings import Settings
from qa_app.store.engine import session_scope
from qa_app.store.models import EventLogEntry, Plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import bold_titles, heading_styles


@pytest.fixture
def qa_app(capsys):
    """Runs ``qa-app ingest`` in this process; returns (exit code, stdout, stderr)."""

    def run(*args: str, database_url: str | None = None) -> tuple[int, str, str]:
        settings = Settings(database_url=database_url, demo=False) if database_url else None
        code = main(["ingest", *args], settings=settings)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write_plans(tmp_path) -> tuple[str, str]:
    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    first.write_bytes(build_docx(heading_styles().items))
    second.write_bytes(build_docx(bold_titles().items))
    return str(first), str(second)


def test_json_for_one_file_is_one_object_with_the_contract_fields(tmp_path, qa_app):
    first, _ = write_plans(tmp_path)
    code, out, err = qa_app(first, "--json", "--audit-date", "2026-03-01")
    assert code == 0, err
    plan = json.loads(out)
    assert set(plan) == {
        "file",
        "sections",
        "outcomes",
        "provision",
        "metadata",
        "warnings",
        "thread",
    }
    assert plan["file"] == "first.docx"
    assert list(plan["sections"]) == ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    assert all(isinstance(text, str) for text in plan["sections"].values())
    outcome_fields = {
        "text",
        "area",
        "timescale",
        "steps",
        "need_area",
        "weak",
        "p_weak",
        "reasons",
    }
    assert all(set(o) == outcome_fields for o in plan["outcomes"]) and plan["outcomes"]
    assert all(
        isinstance(o["steps"], list) and isinstance(o["reasons"], list) for o in plan["outcomes"]
    )
    assert all(isinstance(o["weak"], bool) and 0 <= o["p_weak"] <= 1 for o in plan["outcomes"])
    assert [o["need_area"] for o in plan["outcomes"]] == [
        "cognition_learning",
        "communication_interaction",
        "semh",
    ]
    assert next(o["area"] for o in plan["outcomes"]) == "Cognition and learning"
    assert all(
        set(p) == {"text", "section", "weak", "p_weak", "reasons"} for p in plan["provision"]
    )
    assert plan["provision"] and all(isinstance(p["weak"], bool) for p in plan["provision"])
    assert [p["section"] for p in plan["provision"]] == ["F", "F", "G"]
    assert plan["metadata"]["key_stage"] == "KS2"
    assert plan["warnings"] == []
    thread = plan["thread"]
    assert set(thread) == {"needs", "links", "gaps"}
    assert len(thread["needs"]) == len(set(thread["needs"]))
    assert [link["outcome"] for link in thread["links"]] == list(range(len(plan["outcomes"])))
    assert all(set(link) == {"outcome", "area", "provision"} for link in thread["links"])
    assert all(
        0 <= j < len(plan["provision"]) for link in thread["links"] for j in link["provision"]
    )
    assert all(set(gap) == {"kind", "area", "detail"} and gap["detail"] for gap in thread["gaps"])


def test_json_for_several_files_is_an_array_in_order_and_missing_sections_are_warned(
    tmp_path, qa_app
):
    first, second = write_plans(tmp_path)
    partial = tmp_path / "partial.docx"
    partial.write_bytes(
        build_docx(
            [
                ("heading", 1, "Section E: Outcomes"),
                ("bullet", "Jo will swim 25 metres by July 2026."),
            ]
        )
    )
    code, out, err = qa_app(first, second, str(partial), "--json")
    assert code == 0, err
    plans = json.loads(out)
    assert [p["file"] for p in plans] == ["first.docx", "second.docx", "partial.docx"]
    assert "H" in plans[1]["sections"] and "H1" not in plans[1]["sections"]
    assert "section A not found" in plans[2]["warnings"]
    assert "section E not found" not in plans[2]["warnings"]


def test_without_json_plans_are_stored_with_a_reference_and_a_log_entry(
    tmp_path, sqlite_url, qa_app
):
    first, second = write_plans(tmp_path)
    refused = tmp_path / "refused.docx"
    refused.write_bytes(b"not a plan")
    code, out, err = qa_app(first, str(refused), second, "--team", "North", database_url=sqlite_url)
    assert code == 1
    lines = out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["first.docx", "second.docx"]
    assert all(" imported as PLN-" in line and line.endswith("flagged") for line in lines)
    assert err.strip() == "refused.docx: refused: not a .docx file (not a zip package)"
    with session_scope(sqlite_url) as session:
        plans = session.scalars(select(Plan).where(Plan.source == "import").order_by(Plan.id)).all()
        assert [p.team for p in plans] == ["North", "North"]
        assert [len(p.sections) for p in plans] == [12, 11]
        assert [len(p.outcomes) for p in plans] == [3, 3]
        assert plans[0].key_stage == "KS2" and plans[0].primary_need == "ASD"
        assert all(
            p.weak_flag is not None and p.weak_flag_reason and p.weak_flag_model for p in plans
        )
        assert all(
            o.model_version == plans[0].weak_flag_model and o.p_weak is not None
            for p in plans
            for o in p.outcomes
        )
        logged = session.scalars(
            select(EventLogEntry).where(EventLogEntry.action == "import")
        ).all()
        assert sorted(int(e.entity_id) for e in logged) == [p.id for p in plans]
        assert all("Sam" not in (p.sections[0].text) for p in plans)


def test_control_characters_in_a_file_or_an_argument_are_cleaned_before_storing(
    tmp_path, sqlite_url, qa_app
):
    """A .docx cannot carry control characters (XML 1.0 forbids them) but a PDF's text and
    a command line can: they reach the database only as the services' text rules allow."""
    from tests.ingest.pdf_writer import text_page_pdf

    plan = tmp_path / "pasted.pdf"
    plan.write_bytes(
        text_page_pdf(
            [
                "Section A: Views",
                "Sam likes\x07 trains\x1b.",
                "Section E: Outcomes",
                "Sam will read 20 words aloud by July 2026.",
            ]
        )
    )
    code, _out, err = qa_app(str(plan), "--team", "North\x0bEast", database_url=sqlite_url)
    assert (code, err) == (0, ""), err
    with session_scope(sqlite_url) as session:
        stored = session.scalars(select(Plan).where(Plan.source == "import")).one()
        assert stored.team == "North East"
        assert stored.sections[0].text == "Sam likes trains."
