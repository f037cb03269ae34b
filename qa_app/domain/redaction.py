"""Personal identifiers in plan text, and their replacement by typed tags.

Two kinds of evidence find an identifier:

* **known values** read from a plan's header block (the child's name, parents' names, the
  date of birth, the address ...), matched wherever they recur in the text;
* **patterns** that need no prior knowledge: e-mail addresses, NHS numbers whose mod-11
  check digit holds, UPNs, UK postcodes, UK telephone numbers and dates written next to a
  "date of birth" label.

Each identifier becomes a tag naming its kind, so the text keeps its meaning
("[child] will read ...") without the person:

    >>> redact("Sam Smith (NHS 943 476 5919) lives at 4 High St.",
    ...        {"child": ["Sam Smith"], "address": ["4 High St"]})
    '[child] (NHS [nhs]) lives at [address].'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

__all__ = [
    "KINDS",
    "Identifier",
    "Redactor",
    "find_identifiers",
    "nhs_number_is_valid",
    "parse_date",
    "redact",
]

KINDS = ("child", "name", "dob", "nhs", "upn", "postcode", "phone", "email", "address")

KnownIdentifiers = Mapping[str, Iterable[str]]

_NAME_WORDS_KEPT = {"mr", "mrs", "ms", "miss", "mx", "dr", "and", "or", "&", "the"}

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_PATTERN = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DATE_PATTERN = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_PATTERN}\s*,?\s*\d{{4}}"
    rf"|{_MONTH_PATTERN}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}})"
)

# Ordered: where two patterns overlap, the earlier kind wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")),
    ("nhs", re.compile(r"\d{3}[ \-]?\d{3}[ \-]?\d{4}(?!\w)")),
    ("upn", re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")),
    ("postcode", re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2}\b")),
    (
        "phone",
        re.compile(
            r"(?:\+44\s?(?:\(0\)\s?)?\d{2,4}|\(?0\d{2,4}\)?)[ \-]?\d{3,4}[ \-]?\d{3,4}(?!\d)"
        ),
    ),
    (
        "dob",
        re.compile(
            rf"(?i)\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?)\s*[:\-–]?\s*(?P<value>{_DATE_PATTERN})"
        ),
    ),
]

# Every pattern above needs a digit, or the @ of an e-mail address.
_NEEDS_PATTERNS = re.compile(r"[\d@]")


@dataclass(frozen=True)
class Identifier:
    """One identifier found in a text: its kind and where it lies (``text[start:end]``)."""

    kind: str
    start: int
    end: int

    @property
    def tag(self) -> str:
        return f"[{self.kind}]"


def nhs_number_is_valid(number: str) -> bool:
    """True when ``number`` holds ten digits whose last is the NHS mod-11 check digit."""
    digits = [int(ch) for ch in number if ch.isdigit()]
    if len(digits) != 10:
        return False
    total = sum(digit * weight for digit, weight in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def parse_date(text: str) -> date | None:
    """Read a date written the British way (day first) or as ISO; None when it is not one."""
    text = text.strip().lower().rstrip(".")
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    numeric = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})", text)
    worded = re.fullmatch(
        rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_PATTERN})\s*,?\s*(\d{{4}})", text
    )
    month_first = re.fullmatch(
        rf"({_MONTH_PATTERN})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})", text
    )
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if numeric:
            year = int(numeric[3])
            if len(numeric[3]) == 2:
                year += 2000 if year <= date.today().year % 100 else 1900
            return date(year, int(numeric[2]), int(numeric[1]))
        if worded:
            return date(int(worded[3]), _month_number(worded[2]), int(worded[1]))
        if month_first:
            return date(int(month_first[3]), _month_number(month_first[1]), int(month_first[2]))
    except ValueError:
        return None
    return None


def _month_number(word: str) -> int:
    word = word.rstrip(".")[:3]
    return next(index for index, name in enumerate(_MONTHS, start=1) if name.startswith(word))


def _date_spellings(day: date) -> list[str]:
    month = _MONTHS[day.month - 1].capitalize()
    return [
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}",
        day.isoformat(),
        f"{day.day} {month} {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{month} {day.day} {day.year}",
    ]


def _ordinal_day_pattern(day: date) -> str:
    month = _MONTHS[day.month - 1]
    return rf"0?{day.day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month[:3]}[a-z]*\.?\s*,?\s*{day.year}"


def _name_parts(name: str) -> list[str]:
    words = re.findall(r"[^\s,()]+", name)
    parts = [w for w in words if w.lower().strip(".") not in _NAME_WORDS_KEPT and len(w) >= 2]
    for word in list(parts):
        if "-" in word:
            parts.extend(piece for piece in word.split("-") if len(piece) >= 3)
    return parts


def _address_parts(address: str) -> list[str]:
    segments = [s.strip() for s in re.split(r"[,\n]", address) if s.strip()]
    # A postcode segment is left to the postcode pattern, so it gets its own tag.
    postcode = dict(_PATTERNS)["postcode"]
    kept = [s for s in segments if any(ch.isdigit() for ch in s) and not postcode.fullmatch(s)]
    if segments:
        kept.append(segments[0])
    return kept


def _literal_pattern(literal: str) -> str:
    """The literal as a pattern that ends at a word boundary and takes any run of spaces
    for a space; where it starts is checked by ``_starts_a_word``."""
    return r"\s+".join(re.escape(word) for word in literal.split()) + r"(?!\w)"


def _anchor(literal: str) -> str:
    return literal.split()[0].lower()


def _starts_a_word(text: str, start: int, also: str = "") -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_" or before in also)


class Redactor:
    """Redacts texts with one set of known identifiers; build once per plan, use many times.

    ``known`` maps a kind from ``KINDS`` to the values read for it. Names ("child", "name")
    are matched as wholes and by each of their parts, in their written, Title and UPPER
    case (never lower case, so a parent called Will leaves "will" alone). Other values are
    matched case-insensitively; a date of birth is matched in its usual spellings.
    """

    def __init__(self, known: KnownIdentifiers | None = None):
        # (kind, pattern, anchor): a pattern is tried only on texts whose lower-case form
        # holds its anchor, a plain substring test far cheaper than a regex search.
        self._known: list[tuple[str, re.Pattern[str], str]] = []
        for kind, values in (known or {}).items():
            if kind not in KINDS:
                raise ValueError(f"unknown identifier kind: {kind}")
            for value in values:
                self._known.extend(self._patterns_for(kind, value))

    @staticmethod
    def _patterns_for(kind: str, value: str) -> list[tuple[str, re.Pattern[str], str]]:
        value = value.strip()
        if not value:
            return []
        if kind in ("child", "name"):
            people = [p.strip() for p in re.split(r"\s+(?:and|&)\s+|[,/;]", value) if p.strip()]
            names = [value, *people, *_name_parts(value)]
            spellings = {
                spelling for name in names for spelling in (name, name.title(), name.upper())
            }
            return [(kind, re.compile(_literal_pattern(s)), _anchor(s)) for s in spellings]
        if kind == "dob":
            day = parse_date(value)
            literals = [value, *(_date_spellings(day) if day else [])]
            patterns = [(_literal_pattern(s), _anchor(s)) for s in literals]
            if day:
                patterns.append((_ordinal_day_pattern(day), str(day.day)))
        elif kind == "address":
            patterns = [(_literal_pattern(s), _anchor(s)) for s in [value, *_address_parts(value)]]
        elif kind in ("nhs", "phone", "upn"):
            digits = re.sub(r"[\s\-()]", "", value)
            if len(digits) < 6:
                return []
            patterns = [(r"[\s\-()]?".join(re.escape(ch) for ch in digits), digits[0].lower())]
        else:
            patterns = [(_literal_pattern(value), _anchor(value))]
        return [(kind, re.compile(pattern, re.IGNORECASE), anchor) for pattern, anchor in patterns]

    def find(self, text: str) -> list[Identifier]:
        # Each pattern is searched on its own (a literal prefix lets the regex engine skip
        # fast); of overlapping matches the leftmost wins, then the longest, then the child.
        lowered = text.lower()
        candidates = [
            (match.start(), match.start() - match.end(), kind != "child", kind, match.end())
            for kind, pattern, anchor in self._known
            if anchor in lowered
            for match in pattern.finditer(text)
            if _starts_a_word(text, match.start())
        ]
        found: list[Identifier] = []
        for start, _, _, kind, end in sorted(candidates):
            if not found or start >= found[-1].end:
                found.append(Identifier(kind, start, end))
        if not _NEEDS_PATTERNS.search(text):
            return found
        for kind, pattern in _PATTERNS:
            if kind == "email" and "@" not in text:
                continue
            for match in pattern.finditer(text):
                start, end = match.span("value") if "value" in pattern.groupindex else match.span()
                if not _starts_a_word(text, match.start(), also="+" if kind == "phone" else ""):
                    continue
                if kind == "nhs" and not nhs_number_is_valid(match.group()):
                    continue
                if kind == "phone" and not _looks_like_uk_phone(match.group()):
                    continue
                if not any(start < other.end and other.start < end for other in found):
                    found.append(Identifier(kind, start, end))
        return sorted(found, key=lambda identifier: identifier.start)

    def redact(self, text: str) -> str:
        pieces: list[str] = []
        position = 0
        for identifier in self.find(text):
            pieces.append(text[position : identifier.start])
            pieces.append(identifier.tag)
            position = identifier.end
        pieces.append(text[position:])
        return "".join(pieces)


def _looks_like_uk_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("44"):
        digits = "0" + digits[2:].removeprefix("0")
    return digits.startswith("0") and len(digits) in (10, 11)


def find_identifiers(
    text: str, known_identifiers: KnownIdentifiers | None = None
) -> list[Identifier]:
    """Every identifier in ``text``, in order, none overlapping another."""
    return Redactor(known_identifiers).find(text)


def redact(text: str, known_identifiers: KnownIdentifiers | None = None) -> str:
    """``text`` with each identifier replaced by its tag, e.g. ``[child]`` or ``[nhs]``."""
    return Redactor(known_identifiers).redact(text)
