"""Rubric loading: the shipped rubrics are valid; broken ones report every problem."""

from __future__ import annotations

import textwrap

import pytest

from qa_app.domain.rubric import RubricError, load_rubric_text
from qa_app.settings import PROJECT_ROOT

SMALL = textwrap.dedent("""\
    id: small
    title: Small rubric
    version: 1
    boundaries:
      - {grade: 4, min: 3.5}
      - {grade: 3, min: 2.5}
      - {grade: 2, min: 1.5}
      - {grade: 1, min: 0}
    sections:
      - {id: E, title: Outcomes}
      - {id: F, title: Provision}
    criteria:
      - id: outcomes_measurable
        section: E
        title: Outcomes measurable
        question: Are outcomes measurable?
        descriptors: {4: all, 3: most, 2: some, 1: none}
        weight: 2
        critical: true
      - id: provision_quantified
        section: F
        title: Provision quantified
        question: Is provision quantified?
        descriptors: {4: all, 3: most, 2: some, 1: none}
        agency: education
    limits:
      - id: critical_inadequate
        if_any: {critical: true}
        score_at_most: 1
        cap_at: 2
""")


@pytest.mark.parametrize("name", ["ehcp_core.yaml", "health_advice.yaml"])
def test_shipped_rubrics_load(name):
    rubric = load_rubric_text((PROJECT_ROOT / "rubrics" / name).read_text(encoding="utf-8"), name)
    for criterion in rubric.criteria:
        assert set(criterion.descriptors) == {4, 3, 2, 1}
    assert rubric.limits


def test_core_rubric_covers_the_whole_plan():
    rubric = load_rubric_text(
        (PROJECT_ROOT / "rubrics" / "ehcp_core.yaml").read_text(encoding="utf-8")
    )
    assert len(rubric.criteria) >= 25
    sections = {c.section for c in rubric.criteria}
    assert {"A", "B", "E", "F"} <= sections
    assert {c.agency for c in rubric.criteria} >= {"education", "health", "social_care", "any"}
    assert any(c.critical for c in rubric.criteria)
    pfa = [c for c in rubric.criteria if c.applies_when and c.applies_when.year_group_at_least == 9]
    assert pfa, "Preparing for Adulthood criteria apply from Year 9"
    assert not any(c.applies_to({"year_group": 5}) for c in pfa)


def test_small_rubric_loads_with_default_scale():
    rubric = load_rubric_text(SMALL)
    assert [lv.label for lv in rubric.levels_high_to_low] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    assert rubric.version == "1"


def test_a_scale_other_than_the_four_ofsted_levels_is_refused_naming_file_and_line():
    five_levels = SMALL.replace(
        "title:",
        "scale:\n  - {value: 5, label: Exceptional}\n  - {value: 4, label: Outstanding}\n"
        "  - {value: 3, label: Good}\n  - {value: 2, label: Requires improvement}\n"
        "  - {value: 1, label: Inadequate}\ntitle:",
        1,
    )
    renamed = SMALL.replace(
        "title:",
        "scale:\n  - {value: 4, label: Excellent}\n  - {value: 3, label: Good}\n"
        "  - {value: 2, label: Requires improvement}\n  - {value: 1, label: Inadequate}\ntitle:",
        1,
    )
    for text in (five_levels, renamed):
        with pytest.raises(RubricError) as caught:
            load_rubric_text(text, "scaled.yaml")
        line = text.splitlines().index("scale:") + 1
        assert (
            f"scaled.yaml:{line}: the grade scale must be the four Ofsted-style levels: 4 Outstanding, 3 Good"
            in str(caught.value)
        )


def test_every_problem_is_reported_with_line_and_criterion():
    broken = (
        SMALL.replace("section: F", "section: Z")
        .replace(
            "descriptors: {4: all, 3: most, 2: some, 1: none}\n    weight: 2",
            "descriptors: {4: all, 3: most}\n    weight: 2",
        )
        .replace("agency: education", "agency: police")
    )
    with pytest.raises(RubricError) as caught:
        load_rubric_text(broken, "broken.yaml")
    rendered = str(caught.value).splitlines()
    assert len(rendered) >= 2
    assert any(
        ("criterion provision_quantified" in line and "police" not in line) or "agency" in line
        for line in rendered
    )
    for line in rendered:
        assert line.startswith("broken.yaml:")
        assert int(line.split(":")[1]) > 1


def test_schema_and_consistency_problems_each_name_the_criterion():
    broken = SMALL.replace("section: F", "section: Z").replace(
        "descriptors: {4: all, 3: most, 2: some, 1: none}\n    weight: 2",
        "descriptors: {4: all, 3: most}\n    weight: 2",
    )
    with pytest.raises(RubricError) as caught:
        load_rubric_text(broken, "broken.yaml")
    problems = caught.value.problems
    by_criterion = {p.criterion: p.message for p in problems}
    assert (
        "no descriptor for Requires improvement, Inadequate" in by_criterion["outcomes_measurable"]
    )
    assert "section 'Z' is not declared" in by_criterion["provision_quantified"]
    line_of_section_z = broken.splitlines().index("    section: Z") + 1
    assert any(p.line == line_of_section_z for p in problems)


def test_unknown_keys_are_refused():
    with pytest.raises(RubricError) as caught:
        load_rubric_text(SMALL.replace("weight: 2", "weight: 2\n    colour: red"), "r.yaml")
    assert any(
        "unknown key 'colour'" in p.message and p.criterion == "outcomes_measurable"
        for p in caught.value.problems
    )


def test_yaml_syntax_error_is_a_problem_not_a_traceback():
    with pytest.raises(RubricError) as caught:
        load_rubric_text("id: x\ncriteria: [\n  - {", "bad.yaml")
    [problem] = caught.value.problems
    assert "YAML syntax error" in problem.message
    assert problem.line >= 2


def test_limit_naming_unknown_criterion_is_a_problem():
    broken = SMALL.replace("if_any: {critical: true}", "if_any: {criteria: [nope]}")
    with pytest.raises(RubricError) as caught:
        load_rubric_text(broken)
    assert any("unknown criterion 'nope'" in p.message for p in caught.value.problems)
