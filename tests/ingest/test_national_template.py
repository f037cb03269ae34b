"""The national template: numbered need-provision-outcome links kept, its personal-details
labels redacted, and the same reading from Word, from PDF and through ``qa-app ingest``."""

from __future__ import annotations

import json
from datetime import date

import pytest

from qa_app.cli import main
from qa_app.ingest import read_plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import NATIONAL_OUTCOMES, NATIONAL_TEXTS, national_template

AUDIT_DATE = date(2026, 3, 1)
IDENTIFIERS = ["Sam", "Sammy", "Carter", "Jane", "Tom", "12 Elm Road", "14/02/2015"]


@pytest.fixture(scope="module")
def plan():
    return read_plan(build_docx(national_template().items), "national.docx", AUDIT_DATE)


def test_outcomes_carry_their_area_and_numbered_link(plan):
    assert [(o.area, o.link) for o in plan.outcomes] == [
        (area, link) for area, _, _, link in NATIONAL_OUTCOMES
    ]


def test_provision_and_needs_carry_the_same_links(plan):
    assert [(p.section, p.link) for p in plan.provision] == [
        ("F", "communication_interaction:1"),
        ("F", "cognition_learning:1"),
        ("F", "semh:1"),
        ("G", "health:1"),
        ("H1", "social_care:1"),
        ("H2", "social_care:1"),
    ]
    assert [(n.section, n.link) for n in plan.needs] == [
        ("B", "communication_interaction:1"),
        ("B", "cognition_learning:1"),
        ("B", "semh:1"),
        ("C", "health:1"),
        ("D", "social_care:1"),
    ]
    assert plan.needs[0].text == NATIONAL_TEXTS["ci_need"].replace("Sam", "[child]")


def test_every_link_pairs_a_need_with_its_provision_and_outcome(plan):
    links = {n.link for n in plan.needs}
    assert links == {o.link for o in plan.outcomes} == {p.link for p in plan.provision}


def test_personal_details_are_redacted_everywhere(plan):
    reading = json.dumps(plan.to_json())
    assert not [value for value in IDENTIFIERS if value in reading]
    assert "[name] says [child] loved trains" in plan.sections["A"]
    assert "Mother" not in plan.sections["A"] and "[name]" not in plan.sections["I"]


def test_the_pdf_of_the_national_template_reads_the_same(plan, pdf_corpus):
    pdf = read_plan(pdf_corpus["national_template"], "national.pdf", AUDIT_DATE)
    assert pdf.outcomes == plan.outcomes
    assert pdf.provision == plan.provision
    assert pdf.needs == plan.needs
    assert list(pdf.sections) == list(plan.sections)


def test_ingest_json_shows_links_and_sections(tmp_path, capsys):
    path = tmp_path / "national.docx"
    path.write_bytes(build_docx(national_template().items))
    assert main(["ingest", str(path), "--json", "--audit-date", "2026-03-01"]) == 0
    reading = json.loads(capsys.readouterr().out)
    assert [o["link"] for o in reading["outcomes"]] == [link for *_, link in NATIONAL_OUTCOMES]
    assert [p["section"] for p in reading["provision"]] == ["F", "F", "F", "G", "H1", "H2"]
    assert all(p["link"] and p["area"] for p in reading["provision"])
    assert reading["metadata"]["year_group"] == 6
