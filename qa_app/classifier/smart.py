"""The SMART parts of an outcome statement, read by rule: who will act, the observable
action, the condition it is done under, the success criterion and the timescale.

The parts are features of the model and the explanation auditors see. A timescale given
in a column of its own (a plan's "By when" cell) counts as the outcome's timescale.

    smart_parts("Given a passage at her reading level, Mia will read aloud at 90 words "
                "per minute.", timescale="July 2027")
    -> SmartParts(who="Mia", action="read aloud", condition="Given a passage at her
       reading level", criterion="90 words per minute", timescale="July 2027",
       timescale_from="field", action_kind="observable")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_app.classifier.cues import (
    ASPIRATION,
    CHILD_ACTION,
    CONDITION,
    PROVISION,
    SUCCESS_CRITERION,
    TIMESCALE,
    VAGUE_CHANGE,
)

PART_NAMES = ("who", "action", "condition", "criterion", "timescale")

_SUBJECT = re.compile(
    r"""(?:^|[,;:.]\s*|\b(?:then|and)\s+)
        (?P<who>I|we|he|she|they|[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?
          |the\s+(?:young\s+person|child|pupil|student|learner)|[Hh]e|[Ss]he|[Tt]hey)
        \s+(?:will|can|is\s+able\s+to|are\s+able\s+to|am\s+able\s+to|would|to)\s+""",
    re.VERBOSE,
)
_GOAL_IS = re.compile(
    r"(?P<who>\b(?:[A-Z][a-z'’-]+|[Hh]is|[Hh]er|[Tt]heir|[Mm]y))(?:['’]s)?\s+(?:main\s+|annual\s+|"
    r"long[- ]term\s+)?(?:goal|target|outcome|aim)\s+is\s+to\s+"
)
_INFINITIVE = re.compile(r"^\s*(?:\(?[a-z0-9]{1,3}[.)]\s*)?(?:[Ff]or\s+\w+\s+)?[Tt]o\s+(?=\w)")
_ACTION_END = re.compile(
    r"[,.;:(]|\b(?:by|within|in\s+\d|on\s+\d|with|without|at\s+least|when|using|so\s+that|"
    r"before|until|during|over\s+the)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_EXTENT = re.compile(r"[^,.;()]{0,60}")


@dataclass(frozen=True)
class SmartParts:
    """Each part is the words of the statement (or of its timescale field) that make it,
    or "" when the statement has none. ``timescale_from`` is ``text``, ``field`` or "";
    ``action_kind`` is ``observable``, ``provision``, ``vague``, ``wish`` or ""."""

    who: str = ""
    action: str = ""
    condition: str = ""
    criterion: str = ""
    timescale: str = ""
    timescale_from: str = ""
    action_kind: str = ""

    @property
    def missing(self) -> tuple[str, ...]:
        """The SMART parts the statement lacks, in ``PART_NAMES`` order."""
        present = {
            "who": bool(self.who),
            "action": self.action_kind == "observable",
            "condition": bool(self.condition),
            "criterion": bool(self.criterion),
            "timescale": bool(self.timescale),
        }
        return tuple(name for name in PART_NAMES if not present[name])

    def as_dict(self) -> dict[str, str]:
        return {
            "who": self.who,
            "action": self.action,
            "action_kind": self.action_kind,
            "condition": self.condition,
            "criterion": self.criterion,
            "timescale": self.timescale,
            "timescale_from": self.timescale_from,
        }


def _match(pattern: re.Pattern[str], lowered: str) -> tuple[int, int] | None:
    match = pattern.search(lowered)
    return match.span() if match else None


def _words(text: str, span: tuple[int, int] | None, stops: tuple[int, ...] = ()) -> str:
    """The statement's words in ``span``, run on to the end of the clause ("by the end"
    -> "by the end of Year 6") but not into another part that starts at one of ``stops``."""
    if span is None:
        return ""
    start, end = span
    if stops is not None:
        end = min([_EXTENT.match(text, end).end(), *(stop for stop in stops if stop >= end)])
    return text[start:end].strip(" ,.;:")


def _action_after(text: str, start: int, stops: list[int]) -> str:
    end = _ACTION_END.search(text, start)
    limit = min([end.start() if end else len(text), *(stop for stop in stops if stop > start)])
    words = _WORD.findall(text[start:limit])
    return " ".join(words[:8])


def _who_and_action_start(text: str) -> tuple[str, int | None]:
    goal = _GOAL_IS.search(text)
    if goal:
        who = re.sub(r"['’]s$", "", goal.group("who"))
        return ("" if who.lower() in ("his", "her", "their", "my") else who), goal.end()
    subject = _SUBJECT.search(text)
    if subject:
        return subject.group("who"), subject.end()
    infinitive = _INFINITIVE.match(text)
    if infinitive:
        return "", infinitive.end()
    # Note or imperative form ("Reads CVC words: 18 of 20", "Ask for help using ..."):
    # the action opens the statement.
    first = _WORD.match(text.lstrip())
    if first:
        verb = first.group().lower()
        if CHILD_ACTION.match(f"will {verb}") or CHILD_ACTION.match(f"will {verb[:-1]}"):
            return "", len(text) - len(text.lstrip())
    return "", None


def _action_kind(text: str, action: str) -> str:
    lowered = text.lower()
    if PROVISION.search(lowered):
        return "provision"
    if ASPIRATION.search(lowered) and not _GOAL_IS.search(text):
        return "wish"
    phrase = action.lower()
    if phrase and CHILD_ACTION.search(f"will {phrase}"):
        return "observable"
    if VAGUE_CHANGE.search(phrase or lowered):
        return "vague"
    return "observable" if phrase else ""


def smart_parts(text: str, timescale: str | None = None) -> SmartParts:
    """The SMART parts of one outcome; ``timescale`` is the plan's own "by when" field."""
    text = "" if text is None else str(text)
    lowered = text.lower()
    criterion_at = _match(SUCCESS_CRITERION, lowered)
    timescale_at = _match(TIMESCALE, lowered)
    condition_at = _match(CONDITION, lowered)
    who, start = _who_and_action_start(text)
    stops = [span[0] for span in (criterion_at, timescale_at, condition_at) if span]
    action = _action_after(text, start, stops) if start is not None else ""
    field = (timescale or "").strip()
    in_text = _words(text, timescale_at, tuple(stops))
    return SmartParts(
        who=who,
        action=action,
        condition=_words(text, condition_at, None),
        criterion=_words(text, criterion_at, tuple(stops)),
        timescale=field or in_text,
        timescale_from="field" if field else ("text" if in_text else ""),
        action_kind=_action_kind(text, action),
    )
