"""The reader on council-style layouts: every section, outcome and provision item found."""

from __future__ import annotations

from datetime import date

import pytest

from qa_app.ingest import read_plan
from qa_app.ingest.outcomes import NEED_AREA_CODES
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import E_INTRO, LAYOUTS, STEPS

AUDIT_DATE = date(2026, 3, 1)


def child(text: str) -> str:
    """The corpus names the child Sam in its header, so the reader writes [child]."""
    return text.replace("Sam", "[child]")


@pytest.fixture(params=LAYOUTS, ids=lambda layout: layout.__name__)
def layout_and_plan(request):
    layout = request.param()
    return layout, read_plan(build_docx(layout.items), f"{layout.name}.docx", AUDIT_DATE)


def test_finds_every_section_with_its_own_text(layout_and_plan):
    layout, plan = layout_and_plan
    assert list(plan.sections) == layout.sections
    content = layout.content
    for letter, text in plan.sections.items():
        if letter in content:
            assert child(content[letter]) in text
        others = [child(content[o]) for o in content if o != letter and o in plan.sections]
        assert not any(other in text for other in others), letter


def test_section_titles_are_not_kept_as_content(layout_and_plan):
    _, plan = layout_and_plan
    assert all("Section" not in text and "Part " not in text for text in plan.sections.values())


def test_reads_every_outcome_with_area_and_timescale(layout_and_plan):
    layout, plan = layout_and_plan
    expected = [(child(text), area, when) for area, text, when in layout.outcomes]
    assert [(o.text, o.area, o.timescale) for o in plan.outcomes] == expected


def test_intro_text_and_steps_are_not_outcomes(layout_and_plan):
    _, plan = layout_and_plan
    texts = [o.text for o in plan.outcomes]
    assert child(E_INTRO) not in texts
    assert not any(child(step) in texts for step in STEPS)


def test_interim_steps_are_kept_with_their_outcome(layout_and_plan):
    layout, plan = layout_and_plan
    expected = [tuple(child(step) for step in steps) for steps in layout.outcome_steps]
    assert [o.steps for o in plan.outcomes] == expected


def test_every_outcome_has_a_need_area_code(layout_and_plan):
    layout, plan = layout_and_plan
    codes = [o.need_area for o in plan.outcomes]
    if layout.name == "national_template":  # health and social care outcomes are in no SEN area
        assert codes == ["communication_interaction", "cognition_learning", "semh", None, None]
    elif layout.outcomes[0][0] in NEED_AREA_CODES or not layout.outcomes[0][0]:
        assert codes == ["cognition_learning", "communication_interaction", "semh"]


def test_reads_every_provision_item_with_its_section(layout_and_plan):
    layout, plan = layout_and_plan
    expected = [("F", child(p)) for p in layout.provision] + layout.other_provision
    assert [(p.section, p.text) for p in plan.provision] == expected


def test_warns_only_about_combined_h(layout_and_plan):
    layout, plan = layout_and_plan
    expected = ["sections H1 and H2 are combined in one section H"] if layout.combined_h else []
    assert plan.warnings == expected


def test_reads_metadata_when_the_header_gives_it(layout_and_plan):
    layout, plan = layout_and_plan
    found = plan.metadata.to_json()
    assert {key: found[key] for key in layout.metadata} == layout.metadata
    assert plan.metadata.setting == layout.setting
