"""The golden thread: need (B, C, D) → outcome (E) → provision (F, G, H1, H2).

Each need, outcome and provision item gets its broad area of need by what it says (a
speech and language therapy block serves communication; a calm-down plan serves social,
emotional and mental health), with a heading's area used for needs and outcomes when the
plan gives one. Provision is linked to the outcomes of its area. Where the plan itself
numbers its needs, outcomes and provision (the national template's "Communication and
interaction need 1 / provision 1 / outcome 1"), those numbers are the links; the gaps are
checked all the same. From Year 9 outcomes are also matched to the Preparing for
Adulthood domains.

Pure Python: no I/O, nothing of ours but the domain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

AREAS = ("communication_interaction", "cognition_learning", "semh", "sensory_physical")
AREA_NAMES = {
    "communication_interaction": "communication and interaction",
    "cognition_learning": "cognition and learning",
    "semh": "social, emotional and mental health",
    "sensory_physical": "sensory and/or physical",
}
PFA = ("employment", "independent_living", "community_inclusion", "health")
GAP_KINDS = (
    "need_without_outcome",
    "need_without_provision",
    "outcome_without_provision",
    "provision_without_need",
    "no_preparing_for_adulthood_outcome",
)
PFA_FROM_YEAR = 9

# Word stems (matched at a word start) and phrases, each with its weight.
_LEXICON: dict[str, dict[str, float]] = {
    "communication_interaction": {
        "speech": 2,
        "language": 2,
        "salt": 2,
        "slt": 2,
        "communicat": 2,
        "talk": 1,
        "vocabulary": 1.5,
        "word": 0.5,
        "sentence": 1,
        "conversation": 2,
        "interact": 2,
        "autis": 1.5,
        "asd": 1.5,
        "slcn": 2,
        "makaton": 2,
        "pecs": 2,
        "aac": 2,
        "sign": 1,
        "listen": 1,
        "attention autism": 2,
        "turn-tak": 1.5,
        "turn tak": 1.5,
        "eye contact": 2,
        "expressive": 2,
        "receptive": 2,
        "social communication": 3,
        "lego": 2,
        "narrative": 1.5,
        "request": 1,
        "greet": 1,
        "social skills": 2,
        "visual timetable": 1.5,
        "instructions": 1,
        "play": 0.5,
        "peers": 0.5,
        "stammer": 2,
        "articulat": 2,
        "verbal": 1.5,
        "question": 0.5,
        "echolal": 2,
        "interview": 1,
        "phrase": 1,
        "elklan": 2,
        "talk boost": 2,
        "express": 1,
        "ask for": 1.5,
        "words together": 2,
        "two words": 1.5,
        "classmate": 1,
        "game": 0.5,
        "start a": 0.5,
        "three-part instruction": 1.5,
        "key words": 1.5,
        "understood": 1,
    },
    "cognition_learning": {
        "read": 2,
        "phonic": 2.5,
        "spell": 2,
        "writing": 1,
        "write": 1,
        "maths": 2,
        "math": 2,
        "number": 1.5,
        "numeracy": 2,
        "literacy": 2,
        "memory": 2,
        "processing": 1.5,
        "learning": 1,
        "dyslexi": 2.5,
        "curriculum": 1,
        "comprehension": 2,
        "count": 1.5,
        "money": 1,
        "budget": 1,
        "functional skills": 2,
        "english": 1,
        "task": 0.5,
        "concentrat": 1,
        "mld": 2,
        "sld": 2,
        "attainment": 1.5,
        "typing": 1.5,
        "times tables": 2,
        "precision teaching": 2,
        "recall": 1,
        "problem-solving": 1.5,
        "problem solving": 1.5,
        "working below": 1.5,
        "age-related": 1.5,
        "letters": 1.5,
        "sounds": 1,
        "decod": 2,
        "calculat": 1.5,
        "qualification": 1,
        "gcse": 1.5,
        "entry level": 1.5,
        "study": 1,
        "checklist": 1.5,
        "three-step": 1,
        "multi-step": 1.5,
        "objects": 0.5,
        "accuracy": 1,
        "colour band": 2,
        "book": 0.5,
    },
    "semh": {
        "anxi": 2,
        "emotion": 2,
        "feeling": 1.5,
        "calm": 2,
        "regulat": 2,
        "behaviour": 2,
        "self-esteem": 2,
        "self esteem": 2,
        "confiden": 1,
        "anger": 2,
        "angry": 2,
        "upset": 1.5,
        "distress": 2,
        "worr": 1.5,
        "friend": 1.5,
        "mental health": 3,
        "camhs": 2,
        "counsell": 2,
        "nurture": 2,
        "elsa": 2,
        "zones of regulation": 3,
        "mentor": 1.5,
        "safe": 1,
        "trust": 1,
        "attachment": 2,
        "trauma": 2,
        "relationship": 1,
        "wellbeing": 1.5,
        "exclu": 1.5,
        "avoid": 1,
        "meet-and-greet": 2,
        "meet and greet": 2,
        "check-in": 2,
        "check in": 1.5,
        "quiet room": 1.5,
        "quiet space": 1.5,
        "low mood": 2,
        "self-harm": 3,
        "transition": 1,
        "overwhelm": 2,
        "meltdown": 2,
        "shutdown": 2,
        "social stor": 1.5,
        "dysregulat": 2,
        "cope": 1.5,
        "coping": 1.5,
        "bullying": 1.5,
        "lonel": 1.5,
        "panic": 2,
        "cbt": 2,
        "cognitive behavioural": 2,
        "sleep": 1,
        "short break": 1,
        "youth club": 1,
        "hurt": 2,
        "attend school": 2,
        "attendance": 2,
        "did well": 2,
        "proud": 1.5,
        "refus": 1,
        "lunchtime": 0.5,
        "key adult": 1.5,
        "named adult": 1,
        "unstructured": 1,
    },
    "sensory_physical": {
        "hearing": 2.5,
        "deaf": 2.5,
        "radio aid": 3,
        "audiolog": 2,
        "vision": 2,
        "visual impair": 3,
        "sight": 2,
        "braille": 3,
        "large print": 2.5,
        "modified print": 2.5,
        "motor": 2,
        "handwriting": 2,
        "pencil": 1.5,
        "physio": 2.5,
        "occupational therap": 2.5,
        "ot ": 2,
        "sensory": 1.5,
        "wheelchair": 2.5,
        "walk": 1.5,
        "mobility": 2,
        "frame": 1,
        "posture": 2,
        "postural": 2,
        "seating": 1.5,
        "toilet": 2,
        "continence": 2.5,
        "personal care": 2,
        "dress": 1.5,
        "feeding": 1.5,
        "eating": 1,
        "swallow": 2,
        "epilep": 2.5,
        "medication": 1.5,
        "seizure": 2.5,
        "hydrotherapy": 2.5,
        "stretch": 2,
        "balance": 1.5,
        "cerebral palsy": 3,
        "movement break": 2,
        "noise": 1,
        "fatigue": 1.5,
        "tired": 1,
        "qtvi": 3,
        "teacher of the deaf": 3,
        "habilitation": 2.5,
        "sloped board": 2,
        "moving and handling": 2.5,
        "hoist": 2.5,
        "splint": 2,
        "stairs": 1.5,
        "cutlery": 1.5,
        "fasten": 1.5,
        "buttons": 1,
        "ball skills": 2,
        "coordination": 2,
        "hearing aid": 3,
        "sensory circuit": 3,
        "sensory diet": 3,
        "bsl": 2.5,
        "sign language": 1,
        "glasses": 1.5,
        "tactile": 2.5,
        "way around": 1.5,
        "legib": 2,
        "printed": 1.5,
        "n24": 3,
        "ear defender": 3,
        "enlarged": 2,
        "ears": 1.5,
        "asthma": 1.5,
        "inhaler": 1.5,
        "allerg": 1.5,
        "diabet": 1.5,
    },
}
_PFA_LEXICON: dict[str, dict[str, float]] = {
    "employment": {
        "job": 2,
        "work experience": 2,
        "work": 1,
        "career": 2,
        "college": 2,
        "course": 1.5,
        "apprentice": 2,
        "internship": 2,
        "employ": 2,
        "further education": 2,
        "university": 2,
        "volunteer": 2,
        "cv": 1.5,
        "interview": 1.5,
        "placement": 1,
    },
    "independent_living": {
        "cook": 2,
        "travel": 2,
        "bus": 1.5,
        "train": 0.5,
        "money": 1,
        "budget": 1.5,
        "shop": 1.5,
        "independent": 1,
        "personal care": 1.5,
        "laundry": 2,
        "live": 1,
        "meal": 1.5,
        "home": 0.5,
        "keys": 1,
    },
    "community_inclusion": {
        "friend": 2,
        "club": 2,
        "community": 2,
        "social": 1,
        "relationship": 1.5,
        "leisure": 2,
        "youth": 1.5,
        "activities": 1,
        "gym": 1,
        "cinema": 2,
        "sport": 1,
    },
    "health": {
        "health": 2,
        "doctor": 2,
        "inhaler": 2,
        "asthma": 2,
        "nurse": 1.5,
        "care plan": 1,
        "gp": 2,
        "appointment": 1.5,
        "medication": 2,
        "exercise": 1.5,
        "diet": 1.5,
        "dentist": 2,
        "healthy": 2,
        "fitness": 1.5,
        "sleep": 1,
        "weight": 1,
    },
}

_HEADING_AREAS = [
    (
        "communication_interaction",
        re.compile(r"communication\s*(and|&)\s*interaction", re.IGNORECASE),
    ),
    ("cognition_learning", re.compile(r"cognition\s*(and|&)\s*learning", re.IGNORECASE)),
    ("semh", re.compile(r"social,?\s*emotional|mental\s+health|\bsemh\b", re.IGNORECASE)),
    ("sensory_physical", re.compile(r"sensory|physical", re.IGNORECASE)),
]
_HEADING_PFA = [
    ("employment", re.compile(r"employment|further\s+education|higher\s+education", re.IGNORECASE)),
    ("independent_living", re.compile(r"independen", re.IGNORECASE)),
    ("community_inclusion", re.compile(r"community|friends|relationships", re.IGNORECASE)),
    ("health", re.compile(r"^\s*(good\s+)?health", re.IGNORECASE)),
]


def _compile(lexicon: dict[str, dict[str, float]]):
    compiled = []
    for name, terms in lexicon.items():
        alternatives = "|".join(sorted((re.escape(t) for t in terms), key=len, reverse=True))
        compiled.append((name, re.compile(rf"\b({alternatives})"), terms))
    return compiled


_AREA_PATTERNS = _compile(_LEXICON)
_PFA_PATTERNS = _compile(_PFA_LEXICON)


def _scores(text: str, patterns) -> dict[str, float]:
    lowered = f"{text.lower()} "
    scores = {}
    for name, pattern, terms in patterns:
        total = 0.0
        for match in pattern.finditer(lowered):
            total += terms.get(match.group(1), 0.0)
        if total:
            scores[name] = total
    return scores


def area_scores(text: str) -> dict[str, float]:
    """Evidence for each area of need in a text (only areas with some)."""
    return _scores(text, _AREA_PATTERNS)


def area_of(text: str, minimum: float = 1.0) -> str:
    """The likeliest area of need of a text by what it says, or "" when nothing points
    to one."""
    scores = area_scores(text)
    if not scores:
        return ""
    best = max(AREAS, key=lambda area: scores.get(area, 0.0))
    return best if scores[best] >= minimum else ""


def area_of_heading(heading: str) -> str:
    """The area a heading names ("Communication and interaction", "SEMH"), or ""."""
    for area, pattern in _HEADING_AREAS:
        if pattern.search(heading or ""):
            return area
    return ""


def pfa_domain_of(text: str, heading: str = "") -> str:
    """The Preparing for Adulthood domain an outcome serves, or ""."""
    for domain, pattern in _HEADING_PFA:
        if heading and pattern.search(heading):
            return domain
    scores = _scores(text, _PFA_PATTERNS)
    if not scores:
        return ""
    best = max(PFA, key=lambda domain: scores.get(domain, 0.0))
    return best if scores[best] >= 1.5 else ""


@dataclass(frozen=True)
class NeedText:
    """One described need: its text, the heading it sits under, and the plan's own
    number for it when the plan numbers its needs."""

    text: str
    heading: str = ""
    link: str = ""


@dataclass(frozen=True)
class ThreadOutcome:
    text: str
    heading: str = ""
    link: str = ""


@dataclass(frozen=True)
class ThreadProvision:
    text: str
    section: str = "F"
    heading: str = ""
    link: str = ""


@dataclass(frozen=True)
class Link:
    outcome: int
    area: str
    provision: tuple[int, ...]

    def to_json(self) -> dict:
        return {"outcome": self.outcome, "area": self.area, "provision": list(self.provision)}


@dataclass(frozen=True)
class Gap:
    kind: str
    area: str
    detail: str
    outcome: int | None = None
    provision: int | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "area": self.area, "detail": self.detail}


@dataclass(frozen=True)
class Thread:
    needs: tuple[str, ...]
    outcome_areas: tuple[str, ...]
    provision_areas: tuple[str, ...]
    pfa_domains: tuple[str, ...]
    links: tuple[Link, ...]
    gaps: tuple[Gap, ...] = field(default=())

    def to_json(self) -> dict:
        return {
            "needs": list(self.needs),
            "links": [link.to_json() for link in self.links],
            "gaps": [gap.to_json() for gap in self.gaps],
        }


def split_needs(section_text: str) -> list[NeedText]:
    """The paragraphs of a needs section, each with the area heading above it."""
    needs, heading = [], ""
    for line in (section_text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        words = len(line.split())
        if words <= 8 and (area_of_heading(line) or line.endswith(":")):
            heading = line
            continue
        needs.append(NeedText(line, heading))
    return needs


def _need_area(need: NeedText) -> str:
    """What the paragraph says, when it says it clearly; else the heading above it."""
    return area_of(need.text, minimum=2.0) or area_of_heading(need.heading) or _link_area(need.link)


def _item_area(text: str, heading: str) -> str:
    return area_of(text) or area_of_heading(heading)


_STOP = frozenset(
    "the a an and or of to in on for with by at his her their he she they will is are be be able "
    "each every end year term day week when from as it this that not no more than out can".split()
)
_WORDS = re.compile(r"[a-z]{3,}")


def _stems(text: str) -> set[str]:
    return {word[:5] for word in _WORDS.findall(text.lower()) if word not in _STOP}


def _outcome_area(outcome: ThreadOutcome, needs: Sequence[tuple[NeedText, str]] = ()) -> str:
    """The heading's area, else what the outcome says, else the area of the described need
    it shares most words with (an outcome often names the skill, not the area)."""
    found = area_of_heading(outcome.heading) or area_of(outcome.text, minimum=1.5)
    if found or not needs:
        return found or area_of(outcome.text)
    stems = _stems(outcome.text)
    overlap: dict[str, int] = {}
    for need, area in needs:
        if area:
            overlap[area] = max(overlap.get(area, 0), len(stems & _stems(need.text)))
    best = max(overlap, key=lambda area: overlap[area], default="")
    return best if best and overlap[best] >= 1 else area_of(outcome.text)


def _is_pfa_heading(heading: str) -> bool:
    return bool(
        re.search(r"preparing\s+for\s+adulthood|\bpfa\b", heading or "", re.IGNORECASE)
    ) or any(pattern.search(heading or "") for _, pattern in _HEADING_PFA)


def _link_area(link: str) -> str:
    """The area a plan's own link names: an area code ("semh:1") or heading text."""
    code = (link or "").split(":")[0].strip()
    return code if code in AREAS else area_of_heading(link)


def _area_of_outcome(outcome: ThreadOutcome, read_needs, linked_areas: dict[str, list[str]]) -> str:
    """Heading, then the plan's link, then the outcome's own words; an outcome the plan
    links explicitly takes the area of the provision linked with it; else the need it
    shares most words with. Under a Preparing for Adulthood heading only clear words count."""
    if _is_pfa_heading(outcome.heading) and not outcome.link:
        return area_of(outcome.text, minimum=2.0)
    found = (
        ("" if _is_pfa_heading(outcome.heading) else area_of_heading(outcome.heading))
        or _link_area(outcome.link)
        or area_of(outcome.text, minimum=1.5)
    )
    if found:
        return found
    linked = linked_areas.get(_link_key(outcome.link)) if outcome.link else None
    if linked:
        return max(set(linked), key=linked.count)
    return _outcome_area(outcome, read_needs)


def build_thread(
    needs: list[NeedText],
    outcomes: list[ThreadOutcome],
    provision: list[ThreadProvision],
    *,
    year_group: int | None = None,
    has_provision_section: bool = True,
    has_needs_section: bool = True,
) -> Thread:
    """Link each outcome to the provision that serves it and name every gap."""
    read_needs = [(need, _need_area(need)) for need in needs]
    need_areas = [area for _, area in read_needs if area]
    provision_areas = [_item_area(p.text, p.heading) or _link_area(p.link) for p in provision]
    linked_areas: dict[str, list[str]] = {}
    for item, area in zip(provision, provision_areas):
        if item.link and area:
            linked_areas.setdefault(_link_key(item.link), []).append(area)
    outcome_areas = [_area_of_outcome(o, read_needs, linked_areas) for o in outcomes]
    by_link: dict[str, list[int]] = {}
    for index, item in enumerate(provision):
        if item.link:
            by_link.setdefault(_link_key(item.link), []).append(index)
    outcome_pfa = [pfa_domain_of(o.text, o.heading) for o in outcomes]
    provision_pfa = [
        pfa_domain_of(p.text) if not area else "" for p, area in zip(provision, provision_areas)
    ]
    links = []
    for index, outcome in enumerate(outcomes):
        area = outcome_areas[index]
        if outcome.link and _link_key(outcome.link) in by_link:
            served = by_link[_link_key(outcome.link)]
        elif area:
            served = [j for j, p_area in enumerate(provision_areas) if p_area == area]
        else:  # an outcome with no area of need, such as a Preparing for Adulthood one
            domain = outcome_pfa[index]
            served = [j for j, d in enumerate(provision_pfa) if domain and d == domain]
        links.append(Link(index, area, tuple(served)))
    for link in links:
        for j in link.provision:
            if not provision_areas[j] and link.area:
                provision_areas[j] = link.area
    need_set = tuple(dict.fromkeys(a for a in AREAS if a in need_areas))
    adult = year_group is not None and year_group >= PFA_FROM_YEAR
    pfa = tuple(domain if adult else "" for domain in outcome_pfa)
    gaps = _gaps(
        need_set,
        outcome_areas,
        provision_areas,
        links,
        pfa,
        year_group,
        has_provision_section=has_provision_section,
        has_needs_section=has_needs_section,
    )
    return Thread(
        need_set, tuple(outcome_areas), tuple(provision_areas), pfa, tuple(links), tuple(gaps)
    )


def _link_key(link: str) -> str:
    return re.sub(r"\s+", " ", link.strip().lower())


def _gaps(
    needs,
    outcome_areas,
    provision_areas,
    links,
    pfa,
    year_group,
    *,
    has_provision_section,
    has_needs_section,
) -> list[Gap]:
    gaps = []
    served_areas = set(outcome_areas)
    provided_areas = set(provision_areas)
    for area in needs:
        name = AREA_NAMES[area]
        if area not in served_areas:
            gaps.append(
                Gap(
                    "need_without_outcome",
                    area,
                    f"a {name} need is described but no outcome in section E serves it",
                )
            )
        if area not in provided_areas:
            where = (
                "there is no provision section"
                if not has_provision_section and not provision_areas
                else "no provision item serves it"
            )
            gaps.append(
                Gap("need_without_provision", area, f"a {name} need is described but {where}")
            )
    for link in links:
        if not link.provision:
            what = AREA_NAMES.get(link.area, "no identifiable area")
            if not has_provision_section and not provision_areas:
                why = "the plan has no provision section"
            else:
                why = "no provision item serves it"
            gaps.append(
                Gap(
                    "outcome_without_provision",
                    link.area,
                    f"outcome {link.outcome + 1} ({what}): {why}",
                    outcome=link.outcome,
                )
            )
    serving = {j for link in links for j in link.provision}
    for index, area in enumerate(provision_areas):
        if (area and area in needs) or (not area and index in serving):
            continue
        if not area:
            detail = f"provision item {index + 1} names no area of need that it serves"
        elif not has_needs_section or not needs:
            detail = f"provision item {index + 1} ({AREA_NAMES[area]}): section B describes no need"
        else:
            detail = f"provision item {index + 1} ({AREA_NAMES[area]}): no {AREA_NAMES[area]} need is described"
        gaps.append(Gap("provision_without_need", area, detail, provision=index))
    if year_group is not None and year_group >= PFA_FROM_YEAR and not any(pfa):
        gaps.append(
            Gap(
                "no_preparing_for_adulthood_outcome",
                "",
                f"Year {year_group}: no outcome is about employment or further education, "
                "independent living, community inclusion or health",
            )
        )
    return gaps
