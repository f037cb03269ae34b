"""The plan's header block: labelled values that identify the child, and plan metadata.

Labelled values are read from anywhere in the document, because templates put the
"personal details" box before section A, inside it, or in a table at the end:

* ``Label: value`` paragraphs;
* table rows whose first cell is a label and whose next cell holds the value;
* tables with a row of labels above a row of values.

Identifier values feed the redactor and are never returned. Only facts derived from them
leave this module: the date of birth gives an age and a year group, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from qa_app.domain.plan_facts import PRIMARY_NEEDS, key_stage_for_year_group
from qa_app.domain.redaction import parse_date
from qa_app.ingest.blocks import Block, Paragraph, Table

_ROLES = (
    r"parent|carer|mother|father|mum|dad|guardian|case\s*worker|case\s+officer|co-?ordinator"
    r"|key\s*worker|social\s+worker|senco|plan\s+writer|author|lead\s+professional"
    r"|psychologist|named\s+person|contact\s+person|main\s+contact|emergency\s+contact|head\s*teacher|officer|manager"
)
_CHILD = r"(?:child|young\s+person|child\s+or\s+young\s+person|child/young\s+person|pupil|learner|student)"

# Ordered: the first label pattern that matches decides what the value is.
_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("dob", re.compile(r"^(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\.?|birth\s*date)$")),
    ("nhs", re.compile(r"^nhs\s*(?:number|no\.?|num)?$")),
    (
        "upn",
        re.compile(
            r"^(?:upn|uln|upn\s*/\s*uln|uln\s*/\s*upn|unique\s+(?:pupil|learner)\s+number)\b"
        ),
    ),
    ("email", re.compile(r"\be-?mail\b")),
    ("phone", re.compile(r"\b(?:tele)?phone\b|\btel\b|\bmobile\b|contact\s+(?:number|no)")),
    ("postcode", re.compile(r"^post\s?code$")),
    ("address", re.compile(r"\baddress\b")),
    (
        "year_group",
        re.compile(
            r"^(?:current\s+)?(?:nc\s+|national\s+curriculum\s+|school\s+)?year(?:\s+group)?$"
        ),
    ),
    (
        "primary_need",
        re.compile(
            r"^(?:primary|main|principal|predominant)\b.{0,30}\bneed|^primary\s+send?\b"
            r"|^(?:category|type)\s+of\s+(?:sen\s+|send\s+)?need|^(?:sen|send)\s+need(?:\s+type)?$"
        ),
    ),
    (
        "setting",
        re.compile(
            r"^(?:current\s+|name\s+of\s+(?:the\s+)?)?(?:school|setting|educational?\s+setting|school\s*/\s*setting"
            r"|setting\s*/\s*school|nursery|college|education\s+provider)(?:\s+name)?$"
        ),
    ),
    ("other_name", re.compile(rf"\b(?:{_ROLES})")),
    (
        "preferred_name",
        re.compile(
            r"^(?:preferred\s+name|known\s+as|likes\s+to\s+be\s+called|name\s+i\s+like\s+to\s+be\s+called)\b"
        ),
    ),
    ("first_name", re.compile(r"^(?:first|fore|given|christian)\s*names?$")),
    ("surname", re.compile(r"^(?:surname|last\s+name|family\s+name)$")),
    (
        "child_name",
        re.compile(
            rf"^(?:full\s+)?name(?:\s+of\s+(?:the\s+)?{_CHILD})?$|^{_CHILD}(?:['’]s)?(?:\s+full)?\s+name$|^{_CHILD}$"
        ),
    ),
]
_IDENTIFIER_KINDS = {
    "child_name": "child",
    "first_name": "child",
    "surname": "child",
    "preferred_name": "child",
    "other_name": "name",
    "dob": "dob",
    "nhs": "nhs",
    "upn": "upn",
    "email": "email",
    "phone": "phone",
    "postcode": "postcode",
    "address": "address",
}
_EMPTY_VALUES = {
    "",
    "-",
    "–",
    "n/a",
    "na",
    "none",
    "not known",
    "unknown",
    "tbc",
    "tba",
    "not applicable",
}
_MAX_VALUE_CHARS = 200
_KNOWN_AS = re.compile(r"\(\s*(?:known\s+as|preferred\s+name:?)\s+([^)]+)\)", re.IGNORECASE)
_NEED_WORDS = [
    ("ASD", r"autis|\basc\b|\basd\b"),
    ("SLCN", r"speech|\bslcn\b"),
    ("SEMH", r"social,?\s+emotional|\bsemh\b"),
    ("PMLD", r"profound|\bpmld\b"),
    ("SLD", r"severe\s+learning|\bsld\b"),
    ("MLD", r"moderate\s+learning|\bmld\b"),
    ("SpLD", r"specific\s+learning|dyslexi|dyspraxi|dyscalculi|\bspld\b"),
    ("MSI", r"multi-?\s?sensory|\bmsi\b"),
    ("HI", r"hearing|deaf|\bhi\b"),
    ("VI", r"visual|blind|\bvi\b"),
    ("PD", r"physical|\bpd\b"),
    ("NSA", r"no\s+specialist\s+assessment|\bnsa\b"),
    ("OTH", r"\bother\b|\both\b"),
]
_SETTING_WORDS = [
    (
        "alternative_provision",
        _ALTERNATIVE
        := r"alternative\s+provision|pupil\s+referral|\bpru\b|\bap\s+(?:academy|centre|setting)|hospital\s+school|medical\s+needs\s+(?:service|provision)",
    ),
    ("resourced_provision", r"resourced|\barp\b|\bunit\b|enhanced\s+provision"),
    ("special", r"special\s+school|\bspecial\b|\bspecialist\b|\bsss\b"),
    ("independent", r"independent|non-?maintained"),
    ("fe_college", r"college|\bfe\b|sixth\s+form\s+college"),
    (
        "mainstream",
        r"primary|secondary|academy|school|infant|junior|nursery|high|\bcofe\b|\bce\b|\brc\b",
    ),
]


# Section I names the placement in a sentence, where "special" may be part of "special
# educational needs": only words that name a kind of setting count there.
_PLACEMENT_WORDS = [
    ("alternative_provision", _ALTERNATIVE),
    (
        "resourced_provision",
        r"resourced|\barp\b|specialist\s+(?:resource\s+)?(?:base|unit)|enhanced\s+(?:resource\s+)?provision",
    ),
    (
        "special",
        r"special\s+(?:school|academy|free\s+school)|specialist\s+(?:school|setting|academy|college|provision)|\bsss\b",
    ),
    ("independent", r"independent|non-?maintained"),
    (
        "fe_college",
        r"college|\bfe\b|sixth\s+form|post-?16\s+(?:provider|setting)|supported\s+internship|traineeship",
    ),
    (
        "mainstream",
        r"mainstream|primary|secondary|academy|infant|junior|nursery|high\s+school|\bcofe\b|\bce\b|\brc\b|\bschool\b",
    ),
]
# Section B states the primary need in words such as "Sam's primary need is autism".
_NEED_SENTENCE = re.compile(
    r"\b(?:primary|main|principal|predominant)\s+(?:area\s+of\s+|category\s+of\s+|type\s+of\s+)?"
    r"(?:sen\s+|send\s+)?need\s*(?:is|:|-|–|was\s+identified\s+as)\s*(?P<need>[^.;\n]{2,80})",
    re.IGNORECASE,
)
# A child who is this old on 31 August has left the school year groups (Year 13 is the last).
_LAST_YEAR_GROUP = 13


@dataclass(frozen=True)
class HeaderFacts:
    """What the header says: identifier values (for redaction only) and raw metadata."""

    identifiers: dict[str, list[str]]
    year_group: int | None
    birth_date: date | None
    primary_need: str | None
    setting: str | None


def label_kind(label: str) -> str | None:
    if len(label) > 80:
        return None
    label = re.sub(r"[\s*:]+$", "", re.sub(r"\s+", " ", label.strip().lower()))
    label = label.replace("’", "'")
    if not label or len(label) > 60:
        return None
    for kind, pattern in _LABELS:
        if pattern.search(label):
            return kind
    return None


def labelled_values(blocks: list[Block]) -> list[tuple[str, str]]:
    """(kind, value) for every labelled value found in the blocks, nested tables included."""
    found: list[tuple[str, str]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            label, sep, value = block.text.partition(":")
            if not sep:
                label, sep, value = block.text.partition("\t")
            kind = label_kind(label) if sep else None
            if kind and value.strip():
                found.append((kind, value.strip()))
        else:
            found.extend(_table_values(block))
    return found


def _table_values(table: Table) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    rows = [row for row in table.rows if row]
    for index, row in enumerate(rows):
        texts = [cell.text.strip() for cell in row]
        for position in range(len(row) - 1):
            kind = label_kind(texts[position])
            if kind and texts[position + 1] and label_kind(texts[position + 1]) is None:
                found.append((kind, texts[position + 1]))
        header_kinds = [label_kind(text) for text in texts]
        if index + 1 < len(rows) and sum(kind is not None for kind in header_kinds) >= 2:
            below = [cell.text.strip() for cell in rows[index + 1]]
            for kind, value in zip(header_kinds, below):
                if kind and value and label_kind(value) is None:
                    found.append((kind, value))
        for cell in row:
            found.extend(labelled_values(list(cell.blocks)))
    return found


def read_header(blocks: list[Block]) -> HeaderFacts:
    identifiers: dict[str, list[str]] = {}
    year_group = birth_date = primary_need = setting = None
    for kind, value in labelled_values(blocks):
        if value.strip().lower() in _EMPTY_VALUES:
            continue
        if kind in ("child_name", "first_name", "surname", "preferred_name"):
            known_as = _KNOWN_AS.search(value)
            if known_as:
                identifiers.setdefault("child", []).append(known_as[1].strip())
                value = _KNOWN_AS.sub(" ", value)
        if _IDENTIFIER_KINDS.get(kind) in ("child", "name") and not _looks_like_name(value):
            continue
        if kind in _IDENTIFIER_KINDS and len(value) <= _MAX_VALUE_CHARS:
            identifiers.setdefault(_IDENTIFIER_KINDS[kind], []).append(value)
        if kind == "dob" and birth_date is None:
            birth_date = parse_date(value)
        elif kind == "year_group" and year_group is None:
            year_group = parse_year_group(value)
        elif kind == "primary_need" and primary_need is None:
            primary_need = primary_need_code(value)
        elif kind == "setting" and setting is None:
            setting = value.splitlines()[0].strip()
    return HeaderFacts(identifiers, year_group, birth_date, primary_need, setting)


def _looks_like_name(value: str) -> bool:
    """Names are short runs of capitalised words; a sentence after "Mum:" is not a name."""
    words = [w for w in re.split(r"[\s,]+", value.strip()) if w and w.lower() not in ("and", "&")]
    return (
        0 < len(words) <= 8
        and len(value) <= 80
        and all(w[0].isupper() or w[0] in "(\"'" for w in words)
        and not any(ch.isdigit() for ch in value)
    )


def parse_year_group(text: str) -> int | None:
    text = text.strip().lower()
    if re.match(r"^(?:reception|rec\b|r$|yr?\s*r\b|fs2)", text):
        return 0
    if re.match(r"^(?:nursery|pre-?school|fs1|early\s+years)", text):
        return -1
    match = re.match(r"^(?:nc\s+)?(?:year|yr|y)?\s*(\d{1,2})\b", text)
    if match and 1 <= int(match[1]) <= 14:
        return int(match[1])
    return None


def primary_need_code(text: str) -> str | None:
    stripped = text.strip()
    for code in PRIMARY_NEEDS:
        if re.search(rf"\b{re.escape(code)}\b", stripped):
            return code
    lowered = stripped.lower()
    for code, pattern in _NEED_WORDS:
        if re.search(pattern, lowered):
            return code
    return None


def setting_type(setting: str) -> str | None:
    lowered = setting.lower()
    for kind, pattern in _SETTING_WORDS:
        if re.search(pattern, lowered):
            return kind
    return None


def placement_setting_type(placement: str) -> str | None:
    """The setting type that section I names, from its first lines."""
    lowered = " ".join(placement.lower().splitlines()[:6])[:1000]
    for kind, pattern in _PLACEMENT_WORDS:
        if re.search(pattern, lowered):
            return kind
    return None


def primary_need_in(needs_text: str) -> str | None:
    """The primary need a section B sentence states ("Her primary need is autism")."""
    match = _NEED_SENTENCE.search(needs_text[:20000])
    return primary_need_code(match["need"]) if match else None


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def year_group_from_birth_date(birth_date: date, audit_date: date) -> int:
    """English year group: a child is in year N in the school year that starts on the
    1 September after they turn N + 4 (so Reception, year 0, holds the fours)."""
    start_year = audit_date.year if audit_date.month >= 9 else audit_date.year - 1
    return age_on(birth_date, date(start_year, 8, 31)) - 4


@dataclass(frozen=True)
class PlanMetadata:
    audit_date: date
    age: int | None
    year_group: int | None
    key_stage: str | None
    primary_need: str | None
    setting: str | None
    setting_type: str | None

    def to_json(self) -> dict:
        return {
            "audit_date": self.audit_date.isoformat(),
            "age": self.age,
            "year_group": self.year_group,
            "key_stage": self.key_stage,
            "primary_need": self.primary_need,
            "setting": self.setting,
            "setting_type": self.setting_type,
        }


def plan_metadata(
    facts: HeaderFacts,
    audit_date: date,
    redacted_setting: str | None,
    placement: str = "",
    needs: str = "",
) -> PlanMetadata:
    """Metadata from the header, with section I (placement) naming the setting type and
    section B the primary need where the header does not.

    A year group is worked out from the date of birth only within the school years: a
    young person past Year 13 has no year group, and is post-16 until they turn 19."""
    age = year_group = key_stage = None
    if facts.birth_date is not None and facts.birth_date <= audit_date:
        age = age_on(facts.birth_date, audit_date)
        year_group = year_group_from_birth_date(facts.birth_date, audit_date)
        if year_group > _LAST_YEAR_GROUP:
            year_group, key_stage = None, "Post-19" if age >= 19 else "Post-16"
    if facts.year_group is not None:
        year_group = facts.year_group
    kind = placement_setting_type(placement) if placement else None
    if kind is None and facts.setting:
        kind = setting_type(facts.setting)
    return PlanMetadata(
        audit_date=audit_date,
        age=age,
        year_group=year_group,
        key_stage=key_stage_for_year_group(year_group) if year_group is not None else key_stage,
        primary_need=facts.primary_need or (primary_need_in(needs) if needs else None),
        setting=redacted_setting,
        setting_type=kind,
    )
