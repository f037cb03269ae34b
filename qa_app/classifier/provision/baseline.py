"""Keyword rules the provision model has to beat: each reason fires on its cue, and an
item is weak when any reason fires (probability 1 or 0)."""

from __future__ import annotations

from qa_app.classifier.provision.cues import cue_flags
from qa_app.classifier.provision.reasons import PROVISION_REASON_CODES
from qa_app.classifier.provision.verdicts import ProvisionVerdict


def keyword_reasons(text: str) -> tuple[str, ...]:
    cues = cue_flags(text)
    fired = {
        "no_frequency": not cues["frequency"],
        "no_duration_or_amount": not cues["duration_or_amount"],
        "no_deliverer": not cues["deliverer"],
        "hedged_wording": cues["hedge"],
        "no_group_size": cues["group_named"] and not cues["group_size"],
        "not_provision": cues["outcome_or_need"],
    }
    return tuple(code for code in PROVISION_REASON_CODES if fired[code])


class ProvisionKeywordBaseline:
    """Nothing to learn; ``fit`` exists so it is evaluated like the model."""

    def get_params(self, deep: bool = True) -> dict:
        return {}

    def set_params(self, **params):
        return self

    def fit(self, texts, targets):
        return self

    def verdicts(self, texts) -> list[ProvisionVerdict]:
        verdicts = []
        for text in texts:
            reasons = keyword_reasons(text)
            verdicts.append(ProvisionVerdict(bool(reasons), float(bool(reasons)), reasons))
        return verdicts
