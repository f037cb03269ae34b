import numpy as np
import pytest

from qa_app.classifier.evaluation import score_verdicts
from qa_app.classifier.verdicts import OutcomeVerdict


def test_scores_count_reasons_only_on_statements_judged_weak():
    # columns: weak, provision, not_measurable, no_timescale, vague, aspiration
    targets = np.array(
        [
            [1, 1, 0, 1, 0, 0],
            [1, 0, 1, 0, 0, 0],
            [0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0],
        ]
    )
    verdicts = [
        OutcomeVerdict(True, 0.9, ("provision_not_outcome",)),
        OutcomeVerdict(False, 0.4, ()),
        OutcomeVerdict(True, 0.6, ("not_measurable",)),
        OutcomeVerdict(False, 0.1, ()),
    ]
    scores = score_verdicts(verdicts, targets)
    assert scores["n"] == 4
    assert scores["weak"]["precision"] == 0.5
    assert scores["weak"]["recall"] == 0.5
    assert scores["weak"]["brier"] == pytest.approx((0.01 + 0.36 + 0.36 + 0.01) / 4)
    assert scores["reasons"]["provision_not_outcome"]["f1"] == 1.0
    assert scores["reasons"]["not_measurable"]["precision"] == 0.0
    assert scores["reasons"]["no_timescale"]["recall"] == 0.0
    assert scores["reasons"]["no_timescale"]["support"] == 1
