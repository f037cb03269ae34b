"""What the provision check says about one provision item."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.classifier.provision.reasons import missing_sentence
from qa_app.classifier.verdicts import Verdict


@dataclass(frozen=True)
class ProvisionVerdict(Verdict):
    @property
    def missing(self) -> str:
        """What the item lacks, in words for the auditor ("" for a specified item)."""
        return missing_sentence(self.reasons) if self.weak else ""
