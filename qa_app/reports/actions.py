"""Recommended training: each weak criterion's ``training_action`` from the rubric,
merged where criteria share an action, the most widespread weakness first."""

from __future__ import annotations

from qa_app.reports.figures import CriterionFigure, TrainingAction


def training_actions(weak_criteria: list[CriterionFigure]) -> list[TrainingAction]:
    grouped: dict[str, list[CriterionFigure]] = {}
    for criterion in weak_criteria:
        if criterion.training_action.strip() and criterion.below_good:
            grouped.setdefault(" ".join(criterion.training_action.split()), []).append(criterion)
    actions = [
        TrainingAction(
            action=action,
            criteria=tuple(c.title for c in criteria),
            below_good_share=max(c.below_good_share for c in criteria),
        )
        for action, criteria in grouped.items()
    ]
    return sorted(actions, key=lambda a: -a.below_good_share)
