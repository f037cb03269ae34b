import pytest

from qa_app.classifier import OutcomeVerdict, plan_flag, plan_flag_from_settings
from qa_app.settings import Settings


def verdicts(*p_weak_values):
    return [OutcomeVerdict(weak=p >= 0.5, p_weak=p) for p in p_weak_values]


def test_fewer_outcomes_than_the_minimum_flags_the_plan_whatever_their_quality():
    flagged, reason = plan_flag(verdicts(0.1, 0.1), 0.5, 0.5, min_outcomes=3)
    assert flagged
    assert reason == "section E has 2 outcomes, fewer than 3"


def test_no_outcomes_at_all_flags_the_plan():
    assert plan_flag([], 0.5, 0.5, 3) == (True, "section E has 0 outcomes, fewer than 3")


def test_mostly_strong_plan_is_not_flagged():
    flagged, reason = plan_flag(verdicts(0.9, 0.1, 0.1, 0.1), 0.5, 0.5, 3)
    assert not flagged
    assert reason == "1 of 4 outcomes weak (25%); mean p_weak 0.30"


def test_weak_share_at_the_threshold_flags():
    flagged, reason = plan_flag(verdicts(0.9, 0.9, 0.1, 0.1), 0.5, 0.9, 3)
    assert flagged
    assert "weak share reaches 50%" in reason
    assert "mean p_weak" not in reason.split(":")[1]


def test_high_mean_probability_flags_even_when_few_are_over_the_line():
    # Three borderline-strong outcomes: none is weak, but together they are doubtful.
    flagged, reason = plan_flag(verdicts(0.45, 0.45, 0.48), 0.5, 0.4, 3)
    assert flagged
    assert reason.endswith("mean p_weak reaches 0.40")


def test_both_breaches_are_named():
    _, reason = plan_flag(verdicts(0.9, 0.8, 0.7), 0.5, 0.5, 3)
    assert (
        reason
        == "3 of 3 outcomes weak (100%); mean p_weak 0.80: weak share reaches 50% and mean p_weak reaches 0.50"
    )


@pytest.mark.parametrize("share, expected", [(0.3, True), (0.6, False)])
def test_thresholds_come_from_settings(share, expected):
    settings = Settings(weak_share_threshold=share, weak_mean_p_threshold=0.99, min_outcomes=3)
    flag = plan_flag_from_settings(verdicts(0.9, 0.1, 0.1), settings)
    assert flag.flagged is expected
