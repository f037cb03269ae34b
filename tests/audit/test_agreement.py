"""Agreement statistics against published values and an independent implementation."""

from __future__ import annotations

import random

import pytest
from sklearn.metrics import cohen_kappa_score

from qa_app.domain.agreement import (
    RatedPair,
    exact_agreement,
    gwet_ac1,
    krippendorff_alpha_ordinal,
    quadratic_weighted_kappa,
    summarise,
    within_one_agreement,
)

LEVELS = [1, 2, 3, 4]


def test_ordinal_alpha_matches_krippendorffs_worked_example():
    # Four coders, twelve units, gaps where a coder gave no value (Krippendorff 2011,
    # "Computing Krippendorff's alpha-reliability"); the published ordinal alpha is 0.815.
    units = [
        [1, 1, 1],
        [2, 2, 3, 2],
        [3, 3, 3, 3],
        [3, 3, 3, 3],
        [2, 2, 2, 2],
        [1, 2, 3, 4],
        [4, 4, 4, 4],
        [1, 1, 2, 1],
        [2, 2, 2, 2],
        [5, 5, 5],
        [1, 1],
        [3],
    ]
    assert krippendorff_alpha_ordinal(units) == pytest.approx(0.815, abs=0.0005)


def test_quadratic_kappa_matches_scikit_learn():
    rng = random.Random(5)
    for _ in range(20):
        pairs = [
            (rng.randint(1, 4), rng.choice([1, 2, 3, 4, 4])) for _ in range(rng.randint(5, 60))
        ]
        a, b = zip(*pairs)
        expected = cohen_kappa_score(a, b, weights="quadratic", labels=LEVELS)
        assert quadratic_weighted_kappa(pairs, LEVELS) == pytest.approx(expected)


def test_ac1_stays_high_where_kappa_collapses_because_most_scores_are_good():
    pairs = [(3, 3)] * 18 + [(3, 2), (2, 3)]
    assert exact_agreement(pairs) == 0.9
    assert quadratic_weighted_kappa(pairs, LEVELS) < 0
    assert gwet_ac1(pairs, LEVELS) == pytest.approx(0.8967, abs=0.0001)


def test_ac1_by_hand():
    # pa = 3/4; category shares over both raters: level 4 3/8, level 1 5/8;
    # pe = (3/8 * 5/8 + 5/8 * 3/8) / 3 = 0.15625; AC1 = (0.75 - 0.15625) / (1 - 0.15625).
    pairs = [(4, 4), (1, 1), (4, 1), (1, 1)]
    assert gwet_ac1(pairs, LEVELS) == pytest.approx((0.75 - 0.15625) / 0.84375)


def test_within_one_counts_adjacent_levels():
    assert within_one_agreement([(1, 2), (4, 2), (3, 3), (1, 4)]) == 0.5


def test_undefined_statistics_are_none_not_zero():
    assert exact_agreement([]) is None
    assert (
        quadratic_weighted_kappa([(3, 3), (3, 3)], LEVELS) is None
    )  # no variation: chance is everything
    assert krippendorff_alpha_ordinal([[3, 3], [3, 3]]) is None
    assert krippendorff_alpha_ordinal([[3]]) is None


def test_summary_gives_alpha_only_with_more_than_two_raters():
    two = [RatedPair("a", "b", 3, 3), RatedPair("a", "b", 2, 3), RatedPair("a", "b", 1, 1)]
    three = two + [RatedPair("a", "c", 4, 4)]
    assert summarise(two, LEVELS).alpha is None
    assert summarise(two, LEVELS).raters == 2
    assert summarise(three, LEVELS).alpha == pytest.approx(
        krippendorff_alpha_ordinal([(3, 3), (2, 3), (1, 1), (4, 4)])
    )
    assert summarise(three, LEVELS).pairs == 4
