"""Patterns for the wording auditors look for in an outcome: timescales, success criteria,
provision verbs, hedges, vague verbs and wishes. Shared by the model's linguistic features
and the keyword-rule baseline.

The patterns are written for lowercased text (matching case-insensitively is about three
times slower); ``cue_flags`` lowercases for you. Where every alternative starts at a word
boundary the ``\b`` stands once in front of the group, which lets the engine skip
positions inside words quickly."""

from __future__ import annotations

import math
import re

import numpy as np

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen"

TIMESCALE = re.compile(
    rf"""\b(
        by\s+(the\s+)?(end|time|start|age|next)\b
      | by\s+(his|her|their|my)\s+(next\b|\w+\s+birthday)
      | by\s+(the\s+)?(next\s+)?(summer|easter|christmas|spring|autumn|year|review|{_MONTHS})\b
      | by\s+\d{{1,2}}\s+({_MONTHS})
      | (by|in|before|until|from\s+\w+)\s+(19|20)\d\d\b
      | (within|over|in|for)\s+(the\s+)?(next\s+)?(\d+|{_NUMBER_WORDS}|a)\s+(weeks?|months?|terms?|years?)
      | (within|during|over)\s+(the\s+)?(next|this)\s+(year|term|academic\s+year|twelve\s+months)
      | within\s+the\s+year
      | before\s+(transferring|leaving|starting|moving|year\s+\d+)
      | (in|by|before|during)\s+year\s+\d+
      | (until|for)\s+the\s+rest\s+of\s+(key\s+stage|year)
      | as\s+a\s+first\s+step
    )""",
    re.VERBOSE,
)

SUCCESS_CRITERION = re.compile(
    rf"""\b(
        (\d+|{_NUMBER_WORDS})\s+(out\s+)?of\s+(\d+|{_NUMBER_WORDS}|the\s+\d+)\b
      | \d+\s*(%|per\s*cent)
      | \d+\s*/\s*\d+\b
      | independently\b
      | without\s+(an?\s+)?(any\s+)?(adult|staff|hand|help|prompt|prompts|reminder|reminders|support|assistance|being\s+reminded|checks?)
      | with\s+(no|only)\s+(more\s+than\s+)?(one|an?|\w+)\s+(adult\s+)?(prompt|reminder|question|help)
      | no\s+more\s+than\b
      | at\s+least\b
      | every\s+(day|time|morning|session|lesson|week|weekday|meal|evening|shift)
      | (once|twice|three\s+times|\d+\s+times)\s+(a|per|each)\s+(day|week|month|fortnight|term)
      | (on|in)\s+(most|all|every)\s+(days?|sessions?|lessons?|occasions?|mornings?)
      | consecutive\b
      | on\s+(his|her|their|my)\s+own\b
      | \d+\s+(minutes?|metres?|words|seconds|hours?|items)\b
      | (within|in\s+under|under)\s+(\d+|{_NUMBER_WORDS})\s+(minutes?|seconds?)
      | (grade|level|entry\s+level)\s+\d\b
      | pass(es)?\s+(her|his|their|my)?\s*\w*\s*(qualification|certificate|assessment|course)
      | accuracy\b
      | as\s+recorded\b|\brecorded\s+(on|in|by)\b
    )""",
    re.VERBOSE,
)

PROVISION = re.compile(
    r"""\b(
        will\s+(continue\s+to\s+)?(receive|access|attend|get)\b
      | (will|to)\s+(continue\s+to\s+)?have\s+(access|a|an|the|his|her|their|\d|daily|weekly|regular|1:1|one|two|extra|adult|support|intensive|adapted|coloured)
      | will\s+be\s+(supported|given|provided|offered|taught|allowed|referred|reminded|met|escorted|assisted|transported|allocated|included|signposted|found|transferred|seen|heard\s+to|supervised|managed|checked)
      | (to\s+be|be)\s+(supported|given|provided|offered|used|available|made)
      | (staff|school|college|teachers|tutors|adults?|carers?|tas?|the\s+setting|a\s+referral)\s+will\b
      | would\s+benefit\b
      | access\s+to\b
      | support\s+(from|with|in|as)\b
      | (1:1|one-to-one|small[- ]group)\s+(support|teaching|work|sessions?)
      | (therapy|salt|ot\s+input|physiotherapy|counselling|programme|intervention|sessions?)\b\s*\.?$
      | referral\b|\bcare\s+plan\b|\bfunding\b
    )""",
    re.VERBOSE,
)

HEDGE = re.compile(
    r"""\b(
        where\s+possible|as\s+(appropriate|needed|required)|hopefully|try\s+to|aim\s+to
      | opportunities|regular(ly)?|up\s+to|such\s+as|flexibly|a\s+range\s+of|work\s+towards
      | continue\s+to|work\s+on
    )\b""",
    re.VERBOSE,
)

VAGUE_CHANGE = re.compile(
    r"""\b(
        improve[sd]?|improving|improvement|develop(s|ed|ing)?|progress|better|more\s+\w+
      | confident|confidence|happ(y|ier)|calmer|less\s+\w+|understand(ing)?|engage[sd]?|engagement
      | build(ing)?\s+on|gain|enjoy|learn(s|ed)?\s+(to|about|new|life)|skills
      | manage|cope|feel|become
    )\b""",
    re.VERBOSE,
)

GENERIC = re.compile(
    r"""\b(
        access\s+the\s+curriculum|(full\s+)?potential|needs\s+(will\s+be\s+)?(are\s+)?met|appropriate(ly)?
      | holistic|broad\s+and\s+balanced|age[- ]related\s+expectations|positive\s+outcomes
      | quality\s+first|ready\s+to\s+learn|ready\s+for\s+school|fulfilled|meaningful|valued
      | learning\s+journey|barriers\s+to\s+learning|wellbeing|quality\s+of\s+life|effective(ly)?
      | functional|all\s+(areas|settings)|range\s+of|part\s+of\s+(his|her|their|the)\s+(local\s+)?community
      | lifelong|good\s+choices|work\s+ready|equipped|in\s+the\s+right\s+place|have\s+a\s+voice
      | learning\s+experiences?|engage\s+in\s+learning|in\s+line\s+with|community\s+inclusion
    )\b""",
    re.VERBOSE,
)

ASPIRATION = re.compile(
    r"""\b(
        wants?\s+to|would\s+(like|love)|hopes?\b(?!fully)|dreams?\b|wish(es)?\b|aspiration
      | goal\s+is|one\s+day|when\s+(he|she|they|i)\s+grows?\s+up|in\s+the\s+future|has\s+always\s+wanted
      | likes?\s+\w+\s+and\s+would|loves?\s+\w+\s+and\s+wants
    )""",
    re.VERBOSE,
)

CHILD_ACTION = re.compile(
    r"""\b(will|to)\s+(use|say|ask|tell|read|write|walk|count|point|sign|attend|stay|complete|
        choose|follow|go|travel|make|take|answer|put|join|play|sit|cook|pay|buy|spell|name|wait|
        return|move|recognise|explain|arrive|greet|order|give|hand|carry|find|match|copy|plan|
        share|climb|feed|drink|eat|hold|press|look|respond|fasten|kick|cut|pass|type|check|sort|
        show|send|phone|ring|book|manage\s+(his|her|their|my)\s+own|keep|record|volunteer|work|
        serve|prepare|lift|transfer|self-propel|swim|copy|help|come|settle|roll|crawl|pull|
        deliver|introduce|start|reduce|open|let|shift|put)\b""",
    re.VERBOSE,
)

CUES: dict[str, re.Pattern[str]] = {
    "timescale": TIMESCALE,
    "success_criterion": SUCCESS_CRITERION,
    "provision": PROVISION,
    "hedge": HEDGE,
    "vague_change": VAGUE_CHANGE,
    "generic": GENERIC,
    "aspiration": ASPIRATION,
    "child_action": CHILD_ACTION,
}


def cue_flags(text: str) -> dict[str, bool]:
    lowered = text.lower()
    return {name: bool(pattern.search(lowered)) for name, pattern in CUES.items()}


def cue_vector(text: str) -> list[float]:
    """The cue flags as numbers, then the statement's length (log of word count, scaled)."""
    return [*map(float, cue_flags(text).values()), math.log1p(len(text.split())) / 4.0]


def cue_matrix(lowered_texts: list[str]) -> np.ndarray:
    """``cue_vector`` for a batch of lowercased statements, one row each. Looping over the
    statements inside each pattern's loop keeps the per-call work small; one scan of the
    joined batch per pattern measured slower, as it finds every match, not just the first."""
    matrix = np.empty((len(lowered_texts), len(CUES) + 1))
    for column, pattern in enumerate(CUES.values()):
        search = pattern.search
        matrix[:, column] = [search(text) is not None for text in lowered_texts]
    words = np.fromiter((len(text.split()) for text in lowered_texts), float, len(lowered_texts))
    matrix[:, -1] = np.log1p(words) / 4.0
    return matrix
