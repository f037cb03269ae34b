"""Provision check: is each provision item (sections F, G, H1, H2) specified and
quantified, and if not, what does it lack.

    load_provision_model()     the shipped model, cached for the process
    classify_provision(texts)  list of ProvisionVerdict(weak, p_weak, reasons)
"""

from qa_app.classifier.provision.reasons import (
    PROVISION_REASON_CODES,
    PROVISION_REASON_HINTS,
    missing_sentence,
)
from qa_app.classifier.provision.shipped import (
    ShippedProvisionModel,
    classify_provision,
    load_provision_model,
)
from qa_app.classifier.provision.verdicts import ProvisionVerdict

__all__ = [
    "PROVISION_REASON_CODES",
    "PROVISION_REASON_HINTS",
    "ProvisionVerdict",
    "ShippedProvisionModel",
    "classify_provision",
    "load_provision_model",
    "missing_sentence",
]
