"""Keeping identifiers out of reports.

Every string written into a report passes through ``Scrubber.clean``: the redaction
patterns (e-mails, NHS numbers, postcodes, phones, UPNs, dates of birth) and the known
names of the tool's users are replaced by tags.

Free text written by people (auditors' notes, outcome statements) also passes through
``Scrubber.clean_free_text``, which masks words that look like personal names. Stored
plans are redacted at import, but a name can still slip in: a sibling not named in the
header, or a child's name typed into an auditor's note. A capitalised word is kept only
when the word is known to be ordinary: written in lower case in the shipped texts
(rubrics, labelled outcomes) or elsewhere in the text being reported, or an acronym the
shipped texts use. Anything else becomes ``[name]``: masking a rare word is a small loss,
printing a child's name is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from qa_app.domain.redaction import Redactor
from qa_app.settings import PROJECT_ROOT

NAME_TAG = "[name]"

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_TAG = re.compile(r"\[[a-z_]+\]")


def _shipped_texts() -> Iterable[str]:
    for path in sorted((PROJECT_ROOT / "rubrics").glob("*.y*ml")):
        yield path.read_text(encoding="utf-8")
    dataset = PROJECT_ROOT / "data" / "outcomes" / "outcomes.csv"
    if dataset.exists():
        yield dataset.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Words the shipped texts write in lower case, and the acronyms they use."""
    lower: set[str] = set()
    acronyms: set[str] = set()
    for text in _shipped_texts():
        for word in _WORD.findall(text):
            if word.islower():
                lower.add(word)
            elif word.isupper() and len(word) >= 2:
                acronyms.add(word)
    return frozenset(lower), frozenset(acronyms)


class Scrubber:
    """Cleans the strings of one report.

    ``known_names`` are names the database holds (users' display names) that must never
    appear; ``corpus`` is the free text of the report, whose lower-case words count as
    ordinary words.
    """

    def __init__(self, known_names: Iterable[str] = (), corpus: Iterable[str] = ()):
        names = sorted({" ".join(name.split()) for name in known_names if name and name.strip()}, key=len, reverse=True)
        # Whole names only: the parts of "Demo training lead" are ordinary words.
        patterns = [r"\s+".join(re.escape(word) for word in name.split()) for name in names]
        self._names = (
            re.compile("|".join(rf"(?<!\w){pattern}(?!\w)" for pattern in patterns), re.IGNORECASE)
            if patterns
            else None
        )
        self._redactor = Redactor()
        lower, self._acronyms = shipped_vocabulary()
        seen_lower = {word for text in corpus for word in _WORD.findall(text or "") if word.islower()}
        self._ordinary = lower | seen_lower

    def clean(self, text: str) -> str:
        text = self._redactor.redact(text or "")
        return self._names.sub(NAME_TAG, text) if self._names else text

    def clean_free_text(self, text: str) -> str:
        return self._mask_unknown_capitalised(self.clean(text))

    def _is_ordinary(self, word: str) -> bool:
        if word in self._acronyms:
            return True
        parts = [part for part in re.split(r"['\-]", word) if part]
        return all(part.lower() in self._ordinary or part.lower() == "s" for part in parts)

    def _mask_unknown_capitalised(self, text: str) -> str:
        tags = [match.span() for match in _TAG.finditer(text)]

        def replace(match: re.Match[str]) -> str:
            word = match.group()
            inside_tag = any(start <= match.start() < end for start, end in tags)
            if inside_tag or word.islower() or self._is_ordinary(word):
                return word
            return NAME_TAG

        masked = _WORD.sub(replace, text)
        return re.sub(rf"{re.escape(NAME_TAG)}(?:\s+{re.escape(NAME_TAG)})+", NAME_TAG, masked)
