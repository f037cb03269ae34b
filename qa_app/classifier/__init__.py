"""Weak-outcome classifier: which section E outcomes are weak, why, and whether a plan
should be flagged.

    load_model()            the shipped model, cached for the process
    classify_outcomes(...)  list of OutcomeVerdict(weak, p_weak, reasons)
    plan_flag(...)          plan-level rule -> PlanFlag(flagged, reason)
"""

from qa_app.classifier.plan_flag import PlanFlag, plan_flag, plan_flag_from_settings
from qa_app.classifier.reasons import REASON_CODES, REASON_HINTS
from qa_app.classifier.shipped import ModelUnavailable, ShippedModel, classify_outcomes, load_model
from qa_app.classifier.verdicts import OutcomeVerdict

__all__ = [
    "REASON_CODES",
    "REASON_HINTS",
    "ModelUnavailable",
    "OutcomeVerdict",
    "PlanFlag",
    "ShippedModel",
    "classify_outcomes",
    "load_model",
    "plan_flag",
    "plan_flag_from_settings",
]
