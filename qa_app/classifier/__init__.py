"""Weak-outcome classifier: which section E outcomes are weak, why, and whether a plan
should be flagged.

    load_model()            the shipped model, cached for the process
    classify_outcomes(texts, timescales=None)
                            list of OutcomeVerdict(weak, p_weak, reasons); each
                            timescale is the outcome's own "by when" field, if any
    explain_outcomes(texts, timescales=None), smart_parts(text, timescale=None)
                            SmartParts(who, action, condition, criterion, timescale)
    plan_flag(...)          plan-level rule -> PlanFlag(flagged, reason)
"""

from qa_app.classifier.plan_flag import PlanFlag, plan_flag, plan_flag_from_settings
from qa_app.classifier.reasons import REASON_CODES, REASON_HINTS
from qa_app.classifier.shipped import (
    ModelUnavailable,
    ShippedModel,
    classify_outcomes,
    explain_outcomes,
    load_model,
)
from qa_app.classifier.smart import PART_NAMES, SmartParts, smart_parts
from qa_app.classifier.verdicts import OutcomeVerdict

__all__ = [
    "PART_NAMES",
    "REASON_CODES",
    "REASON_HINTS",
    "ModelUnavailable",
    "OutcomeVerdict",
    "PlanFlag",
    "ShippedModel",
    "SmartParts",
    "classify_outcomes",
    "explain_outcomes",
    "load_model",
    "plan_flag",
    "plan_flag_from_settings",
    "smart_parts",
]
