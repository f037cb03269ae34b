"""How far two auditors who scored the same plan agree.

Each statistic is computed from *pairs*: the two scores given to one criterion of one
double-rated plan. Scores are ordinal levels (1 = Inadequate ... 4 = Outstanding).

* exact agreement and agreement within one level: plain shares of the pairs;
* Cohen's kappa with quadratic weights: chance-corrected, with near misses counting
  as partial agreement;
* Krippendorff's alpha (ordinal): chance-corrected like kappa, but does not assume the
  same two raters scored every plan, so it is reported when more than two raters took part;
* Gwet's AC1: chance-corrected in a way that stays stable when most scores fall in one
  level. Kappa collapses in that case (the "kappa paradox"): when nearly every plan is
  Good, chance agreement is nearly 1 and a single disagreement makes kappa near zero.

Every figure comes with the number of pairs it rests on; a statistic that is undefined for
the data (for example kappa when every score is the same) is ``None``, never a made-up 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Agreement",
    "RatedPair",
    "exact_agreement",
    "gwet_ac1",
    "krippendorff_alpha_ordinal",
    "quadratic_weighted_kappa",
    "summarise",
    "within_one_agreement",
]


@dataclass(frozen=True)
class RatedPair:
    """Two raters' scores for one criterion of one plan."""

    rater_a: str
    rater_b: str
    score_a: int
    score_b: int


@dataclass(frozen=True)
class Agreement:
    pairs: int
    raters: int
    exact: float | None
    within_one: float | None
    kappa: float | None
    alpha: float | None
    ac1: float | None


def exact_agreement(pairs: Sequence[tuple[int, int]]) -> float | None:
    if not pairs:
        return None
    return sum(a == b for a, b in pairs) / len(pairs)


def within_one_agreement(pairs: Sequence[tuple[int, int]]) -> float | None:
    if not pairs:
        return None
    return sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs)


def quadratic_weighted_kappa(
    pairs: Sequence[tuple[int, int]], levels: Sequence[int]
) -> float | None:
    """Cohen's kappa where a disagreement of d levels costs d squared."""
    if not pairs or len(levels) < 2:
        return None
    levels = sorted(levels)
    span = (levels[-1] - levels[0]) ** 2
    n = len(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    observed = sum((a - b) ** 2 for a, b in pairs) / (n * span)
    expected = sum(first[i] * second[j] * (i - j) ** 2 for i in levels for j in levels) / (
        n * n * span
    )
    if expected == 0:
        return None
    return 1 - observed / expected


def gwet_ac1(pairs: Sequence[tuple[int, int]], levels: Sequence[int]) -> float | None:
    """Gwet's first-order agreement coefficient for two raters over ``levels``."""
    if not pairs or len(levels) < 2:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    counts = Counter(a for a, _ in pairs) + Counter(b for _, b in pairs)
    chance = sum((counts[level] / (2 * n)) * (1 - counts[level] / (2 * n)) for level in levels) / (
        len(levels) - 1
    )
    if chance == 1:
        return None
    return (observed - chance) / (1 - chance)


def krippendorff_alpha_ordinal(units: Iterable[Sequence[int]]) -> float | None:
    """Krippendorff's alpha with the ordinal metric.

    ``units`` holds, for each thing rated, the scores it received (any number of raters;
    units with fewer than two scores carry no information and are skipped).
    """
    coincidences: defaultdict[tuple[int, int], float] = defaultdict(float)
    for values in units:
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidences[(c, k)] += 1 / (m - 1)
    totals: dict[int, float] = {}
    for (c, _), weight in coincidences.items():
        totals[c] = totals.get(c, 0.0) + weight
    n = sum(totals.values())
    if n <= 1:
        return None
    categories = sorted(totals)
    position = {value: index for index, value in enumerate(categories)}

    def distance(c: int, k: int) -> float:
        low, high = sorted((position[c], position[k]))
        between = sum(totals[categories[g]] for g in range(low, high + 1))
        return (between - (totals[c] + totals[k]) / 2) ** 2

    disagreement_observed = sum(w * distance(c, k) for (c, k), w in coincidences.items())
    disagreement_expected = sum(
        totals[c] * totals[k] * distance(c, k) for c in categories for k in categories
    ) / (n - 1)
    if disagreement_expected == 0:
        return None
    return 1 - disagreement_observed / disagreement_expected


def summarise(pairs: Sequence[RatedPair], levels: Sequence[int]) -> Agreement:
    """Every statistic for one set of pairs. Alpha is given only when more than two
    raters took part, since kappa assumes the same two raters throughout."""
    scores = [(p.score_a, p.score_b) for p in pairs]
    raters = {p.rater_a for p in pairs} | {p.rater_b for p in pairs}
    alpha = krippendorff_alpha_ordinal(scores) if len(raters) > 2 else None
    return Agreement(
        pairs=len(pairs),
        raters=len(raters),
        exact=exact_agreement(scores),
        within_one=within_one_agreement(scores),
        kappa=quadratic_weighted_kappa(scores, levels),
        alpha=alpha,
        ac1=gwet_ac1(scores, levels),
    )
