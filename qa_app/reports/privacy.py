"""Keeping identifiers out of reports.

Every string written into a report passes through ``Scrubber.clean``: the redaction
patterns (e-mails, NHS numbers, postcodes, phones, UPNs, dates of birth) and the known
names of the tool's users are replaced by tags.

Free text written by people (auditors' notes, outcome statements) also passes through
``Scrubber.clean_free_text``, which masks words that look like personal names. Stored
plans are redacted at import, but a name can still slip in: a sibling not named in the
header, or a child's name typed into an auditor's note. A capitalised word is kept only
when the word is known to be ordinary: in the frozen list of words the shipped texts
(rubrics, demo phrases) write in lower case (``known_words.txt``), or written in lower case
elsewhere in the text being reported, or an acronym those texts use. A word opening a sentence may also be any English word that the
dictionary lists only in lower case (so "Excellent" stays, "Jamie" does not). Anything
else becomes ``[name]``: masking a rare word is a small loss, printing a child's name is
not. Names that are also ordinary words ("Will", "Rose") cannot be told apart this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from english_words import get_english_words_set

from qa_app.domain.redaction import Redactor
from qa_app.reports.known_words import known_words

NAME_TAG = "[name]"

# Capitalised words plans use that are not people: the calendar, school subjects and
# well-known programmes and communication systems.
PROPER_WORDS = frozenset(
    {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Easter",
        "Christmas",
        "Whitsun",
        "English",
        "Maths",
        "Mathematics",
        "Science",
        "PSHE",
        "PE",
        "RE",
        "Reception",
        "Nursery",
        "Lego",
        "Makaton",
        "PECS",
        "Braille",
        "SENCO",
        "SENCo",
        "SENDCo",
        "CAMHS",
        "SALT",
        "NHS",
        "EHCP",
        "EHC",
        "PfA",
        "GCSE",
        "GCSEs",
        "BTEC",
    }
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_TAG = re.compile(r"\[[a-z_]+\]")


def shipped_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Words the shipped texts write in lower case, and the acronyms they use: the frozen
    list in ``known_words.txt``, which does not change with the classifier's data."""
    return known_words()


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """English words the dictionary lists in lower case and never as a proper noun."""
    words = get_english_words_set(["web2"], alpha=True, lower=False)
    proper = {word.lower() for word in words if word[:1].isupper()}
    return frozenset(word for word in words if word.islower() and word not in proper)


def _stems(word: str) -> list[str]:
    stems = [word]
    for ending in ("s", "es", "ed", "ing", "ly"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stems.append(word[: -len(ending)])
    return stems


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t'\"(\u2018\u201c")
    return not before or before[-1] in ".!?:;\n"


class Scrubber:
    """Cleans the strings of one report.

    ``known_names`` are names the database holds (users' display names) that must never
    appear; ``corpus`` is the free text of the report, whose lower-case words count as
    ordinary words.
    """

    def __init__(self, known_names: Iterable[str] = (), corpus: Iterable[str] = ()):
        names = sorted(
            {" ".join(name.split()) for name in known_names if name and name.strip()},
            key=len,
            reverse=True,
        )
        # Whole names only: the parts of "Demo training lead" are ordinary words.
        patterns = [r"\s+".join(re.escape(word) for word in name.split()) for name in names]
        self._names = (
            re.compile("|".join(rf"(?<!\w){pattern}(?!\w)" for pattern in patterns), re.IGNORECASE)
            if patterns
            else None
        )
        self._redactor = Redactor()
        lower, self._acronyms = shipped_vocabulary()
        # Read the corpus after redaction: "jamie" in jamie@example.com is no ordinary word.
        seen_lower = {
            word
            for text in set(corpus)
            for word in _WORD.findall(self.clean(text))
            if word.islower()
        }
        self._ordinary = lower | seen_lower

    def clean(self, text: str) -> str:
        text = self._redactor.redact(text or "")
        return self._names.sub(NAME_TAG, text) if self._names else text

    def clean_free_text(self, text: str) -> str:
        return self._mask_unknown_capitalised(self.clean(text))

    def _is_ordinary(self, word: str, opens_sentence: bool) -> bool:
        if word in self._acronyms or word in PROPER_WORDS:
            return True
        parts = [part.lower() for part in re.split(r"['\-]", word) if part]
        if all(part in self._ordinary or part == "s" for part in parts):
            return True
        dictionary = dictionary_words()
        return opens_sentence and all(
            part == "s" or any(stem in dictionary for stem in _stems(part)) for part in parts
        )

    def _mask_unknown_capitalised(self, text: str) -> str:
        tags = [match.span() for match in _TAG.finditer(text)]

        def replace(match: re.Match[str]) -> str:
            word = match.group()
            inside_tag = any(start <= match.start() < end for start, end in tags)
            if (
                inside_tag
                or word.islower()
                or self._is_ordinary(word, _opens_sentence(text, match.start()))
            ):
                return word
            return NAME_TAG

        masked = _WORD.sub(replace, text)
        return re.sub(rf"{re.escape(NAME_TAG)}(?:\s+{re.escape(NAME_TAG)})+", NAME_TAG, masked)
