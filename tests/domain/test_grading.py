"""Grading: unit cases and properties (monotone, N/A drops out, weights respected)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.domain import grading
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
    assert any(
        r.startswith("capped at Requires improvement") and critical.title in r
        for r in result.reasons
    )


def test_outstanding_needs_outcomes_and_provision_good():
    outcome = next(
        c for c in CORE.criteria if c.section == "E" and not c.critical and c.applies_when is None
    )
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
@given(
    scores=scores_strategy,
    which=st.sampled_from([c.id for c in CORE.criteria]),
    year=st.integers(-1, 16),
)
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


# -- the compiled grader against a plain reading of the rules --------------------------------


def _reference_grade(rubric, scores, plan):
    """The grading rules read straight off the rubric, criterion by criterion, with no
    compilation: the compiled grader must agree with it on every input."""
    applicable = [c for c in rubric.criteria if c.applies_to(plan)]
    given = {c.id: scores[c.id] for c in applicable if c.id in scores}

    def to_grade(mean):
        if mean is None:
            return None
        for boundary in sorted(rubric.boundaries, key=lambda b: b.min, reverse=True):
            if mean >= boundary.min - 1e-9:
                return boundary.grade
        return min(level.value for level in rubric.scale)

    totals = {s.id: [0.0, 0.0] for s in rubric.sections}
    for c in applicable:
        if isinstance(given.get(c.id), int):
            totals[c.section][0] += given[c.id] * c.weight
            totals[c.section][1] += c.weight
    sections = {sid: to_grade(t / w if w else None) for sid, (t, w) in totals.items()}
    total = weight = 0.0
    for section_total, section_weight in totals.values():  # section by section, in order
        total += section_total
        weight += section_weight
    mean = total / weight if weight else None
    overall, reasons = to_grade(mean), []
    for limit in rubric.limits if overall is not None else []:
        selector = limit.if_any or limit.requires_all
        picked = [
            c for c in rubric.criteria if selector.picks(c) and isinstance(given.get(c.id), int)
        ]
        if limit.if_any is not None:
            hits = [c for c in picked if given[c.id] <= limit.score_at_most]
            if hits and limit.cap_at < overall:
                overall = limit.cap_at
                reasons.append(
                    f"capped at {rubric.label(overall)}: "
                    + "; ".join(f"{c.title} is {rubric.label(given[c.id])}" for c in hits)
                )
        elif overall >= limit.for_grade:
            short = [c for c in picked if given[c.id] < limit.score_at_least]
            if short:
                overall = max(
                    [lv.value for lv in rubric.scale if lv.value < limit.for_grade],
                    default=limit.for_grade,
                )
                need = limit.description or (
                    f"{rubric.label(limit.for_grade)} needs these criteria at "
                    f"{rubric.label(limit.score_at_least)} or better"
                )
                reasons.append(
                    f"capped at {rubric.label(overall)}: {need} ("
                    + "; ".join(f"{c.title} is {rubric.label(given[c.id])}" for c in short)
                    + ")"
                )
    return (
        overall,
        rubric.label(overall),
        round(mean, 3) if mean is not None else None,
        sections,
        reasons,
    )


def _as_compared(result):
    return (result.overall, result.overall_label, result.mean, result.sections, result.reasons)


RUBRIC_FILES = sorted((PROJECT_ROOT / "rubrics").glob("*.yaml"))
RUBRICS = [load_rubric_text(path.read_text(encoding="utf-8")) for path in RUBRIC_FILES]
PLAN_VALUES = {
    "year_group": [None, -1, 0, 5, 8, 9, 10, 14, 16],
    "plan_type": [None, "new", "annual_review", "amended"],
    "primary_need": [None, "ASD", "SEMH", "SLCN"],
    "setting_type": [None, "mainstream", "special"],
    "key_stage": [None, "KS2", "KS4"],
}
plans_strategy = st.fixed_dictionaries(
    {name: st.sampled_from(values) for name, values in PLAN_VALUES.items()}
)


def test_every_rubric_file_is_covered():
    assert {path.name for path in RUBRIC_FILES} >= {
        "annual_review.yaml",
        "ehcp_core.yaml",
        "health_advice.yaml",
    }


@settings(max_examples=300, deadline=None)
@given(data=st.data(), which=st.sampled_from(range(len(RUBRICS))), plan=plans_strategy)
def test_compiled_grading_agrees_with_the_rules_read_plainly(data, which, plan):
    rubric = RUBRICS[which]
    levels = st.one_of(st.sampled_from([lv.value for lv in rubric.scale]), st.just(NOT_APPLICABLE))
    scores = data.draw(st.dictionaries(st.sampled_from([c.id for c in rubric.criteria]), levels))
    assert _as_compared(grade(rubric, scores, plan)) == _reference_grade(rubric, scores, plan)


def _random_audits(rubric, rng, count):
    """Score sets as audits give them: each criterion at a level, N/A or not yet scored,
    with some audits complete and some mostly empty."""
    levels = [lv.value for lv in rubric.scale]
    for _ in range(count):
        gaps = rng.choice([0.0, 0.0, 0.1, 0.5, 0.9])
        scores = {}
        for c in rubric.criteria:
            if rng.random() < gaps:
                continue
            scores[c.id] = NOT_APPLICABLE if rng.random() < 0.1 else rng.choice(levels)
        plan = {name: rng.choice(values) for name, values in PLAN_VALUES.items()}
        yield scores, plan


@pytest.mark.parametrize("rubric", RUBRICS, ids=[path.stem for path in RUBRIC_FILES])
def test_thousands_of_random_audits_grade_as_the_rules_say(rubric):
    rng = random.Random(f"grading {rubric.id}")
    for scores, plan in _random_audits(rubric, rng, 3000):
        assert _as_compared(grade(rubric, scores, plan)) == _reference_grade(rubric, scores, plan)


@pytest.mark.parametrize("rubric", RUBRICS, ids=[path.stem for path in RUBRIC_FILES])
def test_every_level_of_every_criterion_grades_as_the_rules_say(rubric):
    values = [lv.value for lv in rubric.scale] + [NOT_APPLICABLE, None]
    for plan in ({"year_group": 5}, {"year_group": 12}, {}):
        for base in [lv.value for lv in rubric.scale]:
            for criterion in rubric.criteria:
                for value in values:
                    scores = {c.id: base for c in rubric.criteria}
                    if value is None:
                        del scores[criterion.id]
                    else:
                        scores[criterion.id] = value
                    expected = _reference_grade(rubric, scores, plan)
                    assert _as_compared(grade(rubric, scores, plan)) == expected


def test_tables_that_forget_still_grade_by_the_rules(monkeypatch):
    # A freshly parsed rubric is compiled afresh, here with tables of eight entries, so
    # that they are emptied over and over while these audits are graded.
    monkeypatch.setattr(grading, "TABLE_ENTRIES", 8)
    rubric = load_rubric_text(
        (PROJECT_ROOT / "rubrics" / "ehcp_core.yaml").read_text(encoding="utf-8")
    )
    rng = random.Random("forgetful tables")
    audits = list(_random_audits(rubric, rng, 500))
    for scores, plan in audits + audits:
        assert _as_compared(grade(rubric, scores, plan)) == _reference_grade(rubric, scores, plan)


def test_a_result_is_the_callers_own():
    scores = all_at(3)
    first = grade(CORE, scores, SECONDARY)
    first.sections["A"] = 1
    first.reasons.append("changed by the caller")
    again = grade(CORE, scores, SECONDARY)
    assert again.sections["A"] == 3
    assert again.reasons == []


def test_every_kind_of_plan_is_graded_by_its_own_criteria():
    pfa = next(c for c in CORE.criteria if c.applies_when is not None)
    scores = {pfa.id: 1}
    assert grade(CORE, scores, {"year_group": 5}).overall is None
    assert grade(CORE, scores, {"year_group": 10}).overall == 1
    assert grade(CORE, scores, {"year_group": 5}).overall is None
