"""Grading: unit cases and properties (monotone, N/A drops out, weights respected)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.domain.grading import NOT_APPLICABLE, grade
from qa_app.domain.rubric import load_rubric_text
from qa_app.settings import PROJECT_ROOT

CORE = load_rubric_text((PROJECT_ROOT / "rubrics" / "ehcp_core.yaml").read_text(encoding="utf-8"))
SECONDARY = {"year_group": 10}


def all_at(value: int) -> dict:
    return {c.id: value for c in CORE.criteria}


def test_uniform_scores_map_to_their_own_grade():
    for value in (1, 2, 3, 4):
        result = grade(CORE, all_at(value), SECONDARY)
        assert result.overall == value
        assert result.mean == value
        assert result.reasons == []


def test_critical_inadequate_caps_overall_with_reason_naming_the_criterion():
    critical = next(c for c in CORE.criteria if c.critical and c.section == "F")
    scores = all_at(4) | {critical.id: 1}
    result = grade(CORE, scores, SECONDARY)
    assert result.overall == 2
    assert any(r.startswith("capped at Requires improvement") and critical.title in r for r in result.reasons)


def test_outstanding_needs_outcomes_and_provision_good():
    outcome = next(c for c in CORE.criteria if c.section == "E" and not c.critical and c.applies_when is None)
    result = grade(CORE, all_at(4) | {outcome.id: 2}, SECONDARY)
    assert result.overall == 3
    assert any("capped at Good" in r for r in result.reasons)


def test_pfa_criteria_do_not_count_below_year_9():
    pfa = [c for c in CORE.criteria if c.applies_when is not None]
    scores = all_at(4) | {c.id: 1 for c in pfa}
    assert grade(CORE, scores, {"year_group": 5}).overall == 4
    assert grade(CORE, scores, SECONDARY).mean < 4


def test_unscored_and_not_applicable_drop_out():
    assert grade(CORE, {}, SECONDARY).overall is None
    optional = next(c for c in CORE.criteria if c.allow_na)
    with_na = all_at(3) | {optional.id: NOT_APPLICABLE}
    assert grade(CORE, with_na, SECONDARY).mean == 3


def test_section_grades_follow_their_own_criteria():
    section = CORE.criteria[0].section
    scores = {c.id: (4 if c.section == section else 1) for c in CORE.criteria}
    result = grade(CORE, scores, SECONDARY)
    assert result.sections[section] == 4
    assert result.overall == 1


scores_strategy = st.fixed_dictionaries({c.id: st.integers(1, 4) for c in CORE.criteria})


@settings(max_examples=150, deadline=None)
@given(scores=scores_strategy, which=st.sampled_from([c.id for c in CORE.criteria]), year=st.integers(-1, 16))
def test_raising_one_score_never_lowers_the_grade(scores, which, year):
    plan = {"year_group": year}
    before = grade(CORE, scores, plan)
    if scores[which] < 4:
        after = grade(CORE, scores | {which: scores[which] + 1}, plan)
        assert after.overall >= before.overall
        assert after.mean >= before.mean


@settings(max_examples=100, deadline=None)
@given(scores=scores_strategy, which=st.sampled_from([c.id for c in CORE.criteria if c.allow_na]))
def test_not_applicable_is_the_same_as_leaving_the_criterion_out(scores, which):
    with_na = scores | {which: NOT_APPLICABLE}
    without = {k: v for k, v in scores.items() if k != which}
    assert grade(CORE, with_na, SECONDARY) == grade(CORE, without, SECONDARY)


@settings(max_examples=100, deadline=None)
@given(low=st.integers(1, 3))
def test_weights_pull_the_mean_toward_heavier_criteria(low):
    heavy = max(CORE.criteria, key=lambda c: c.weight)
    light = min(CORE.criteria, key=lambda c: c.weight)
    assert heavy.weight > light.weight
    heavy_low = grade(CORE, {heavy.id: low, light.id: 4}, SECONDARY).mean
    light_low = grade(CORE, {heavy.id: 4, light.id: low}, SECONDARY).mean
    assert heavy_low < light_low
    expected = (low * heavy.weight + 4 * light.weight) / (heavy.weight + light.weight)
    assert abs(heavy_low - expected) < 1e-3
