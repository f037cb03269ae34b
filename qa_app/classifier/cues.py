"""Patterns for the wording auditors look for in an outcome: timescales, success criteria,
provision verbs, hedges, vague verbs and wishes. Shared by the model's structural features,
the SMART parts shown to auditors and the keyword-rule baseline.

The patterns are written for lowercased text (matching case-insensitively is about three
times slower); ``cue_flags`` lowercases for you. Where every alternative starts at a word
boundary the ``\b`` stands once in front of the group, which lets the engine skip
positions inside words quickly."""

from __future__ import annotations

import re

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen"

TIMESCALE = re.compile(
    rf"""\b(
        by\s+(the\s+)?(end|time|start|age|next)\b
      | by\s+(his|her|their|my)\s+(next\b|\w+\s+birthday|([\w-]+\s+){{0,3}}review)
      | by\s+(\[|\()\s*(date|annual|review|end|the)
      | by\s+the\s+(annual\s+review|iep\s+year)
      | (after|upon|on)\s+(leaving|graduat\w*|finishing|completing|compl\w+\s+(his|her|their|my)\s+course)
      | after\s+(his|her|their|my)\s+\w+\s+ends
      | within\s+(one|a|\d+|six|two)\s+(years?|months?)\s+of\s+leaving
      | before\s+(he|she|they|i)\s+(moves?|leaves?|starts?|transfers?)
      | by\s+(the\s+)?(next\s+)?(summer|easter|christmas|spring|autumn|year|review|{_MONTHS})\b
      | by\s+\d{{1,2}}\s+({_MONTHS})
      | (by|in|before|until|from\s+\w+)\s+(19|20)\d\d\b
      | (within|over)\s+(the\s+)?(next\s+)?(\d+|{_NUMBER_WORDS}|a)\s+(weeks?|months?|terms?|years?)
      | in\s+(the\s+)?next\s+(\d+|{_NUMBER_WORDS}|a)\s+(weeks?|months?|terms?|years?)
      | (within|during|over)\s+(the\s+)?(next|this)\s+(year|term|academic\s+year|twelve\s+months)
      | within\s+the\s+year
      | before\s+(transferring|leaving|starting|moving|year\s+\d+)
      | (in|by|before|during)\s+year\s+\d+
      | (until|for)\s+the\s+rest\s+of\s+(key\s+stage|year)
      | as\s+a\s+first\s+step
    )""",
    re.VERBOSE,
)

_UNITS = (
    r"days?|sessions?|lessons?|occasions?|evenings?|mornings?|visits?|weeks?|playtimes?|tries|"
    r"attempts?|trials?|opportunities|probes?|samples?|questions?|throws?|journeys?|incidents?|"
    r"check-ins?|observations?|intervals?|times|shifts?|terms?|problems?|months?"
)

SUCCESS_CRITERION = re.compile(
    rf"""\b(
        (\d+|{_NUMBER_WORDS})\s+(\w+\s+){{0,2}}(out\s+)?of\s+(\d+|{_NUMBER_WORDS}|the\s+\d+)\b
      | \d+\s*(%|per\s*cent)
      | \d+\s*/\s*\d+\b
      | (\d+|{_NUMBER_WORDS})\s+({_UNITS})\s+(a|per|each|every|in\s+a)\s+\w+
      | (\d+|{_NUMBER_WORDS}|the)\s+({_UNITS})\s+in\s+a\s+row
      | (in|at|for|on|by|before|after|between)\s+(every|all|each)\s+(?!areas?\b|settings?\b|aspects?\b|parts?\b)\w+
      | each\s+(day|week|way|module|lesson|session|morning|time|term|month|visit|journey)\b
      | (\d+|{_NUMBER_WORDS})\s+(exchanges|items|times|turns)\b|\baccurately\b|\brunning\b
      | every\s+(day|time|morning|session|lesson|week|weekday|meal|evening|shift|school\s+day|college\s+day)
      | (once|twice|three\s+times|\d+\s+times)\s+(a|per|each)\s+(day|week|month|fortnight|term)
      | (on|in)\s+(most|all|every)\s+(days?|sessions?|lessons?|occasions?|mornings?)
      | independently\b|\bwithout\b|\bunprompted\b|\blegibly\b|\bsafely\b|\bcorrect(ly)?\b
      | with\s+(no|only)\s+(more\s+than\s+)?(one|an?|\w+)\s+(adult\s+)?(prompt|reminder|question|help|error|mistakes?)
      | with\s+no\s+(errors?|extensions|slips|missed|help|prompts?)
      | with\s+(one|a\s+single)\s+(prompt|reminder)
      | no\s+more\s+than\b
      | at\s+least\b
      | consecutive\b|\bin\s+a\s+row\b
      | on\s+(his|her|their|my)\s+own\b
      | \d+\s+(minutes?|metres?|mm|words|seconds|hours?|items|steps)\b
      | (for|within|in\s+under|under)\s+(the\s+whole|an?|\d+|{_NUMBER_WORDS})\s+(\w+\s+)?(minutes?|seconds?|session|lesson|day|film|shift|hour)
      | (grade|level|entry\s+level)\s+\d\b
      | pass(es|ing)?\s+(her|his|their|my)?\s*\w*\s*(qualification|certificate|assessment|course|unit|test)
      | pass(es|ing)?\s+every\b
      | accuracy\b|\bon\s+time\b
      | as\s+(recorded|measured|noted|rated)\b|\b(recorded|checked|noted|tracked|logged|marked|rated|rating)\s+(on|in|by|as|\w+\s+by)\b
      | scor(e|es|ing)\s+\d
    )""",
    re.VERBOSE,
)

PROVISION = re.compile(
    r"""\b(
        will\s+(continue\s+to\s+)?(receive|access|attend|get)\b
      | (will|to)\s+(continue\s+to\s+)?have\s+(access|a|an|the|his|her|their|\d|daily|weekly|regular|1:1|one|two|extra|adult|support|intensive|adapted|coloured)
      | will\s+be\s+(supported|given|provided|offered|taught|allowed|referred|reminded|met|escorted|accompanied|taken|driven|collected|fed|shown|helped|encouraged|prompted|assisted|transported|allocated|included|signposted|found|transferred|seen|heard\s+to|supervised|managed|checked)
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
      | one\s+day|when\s+(he|she|they|i)\s+grows?\s+up|in\s+the\s+future|has\s+always\s+wanted
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

# The situation an action is done in ("given a passage at her level", "when upset").
CONDITION = re.compile(
    r"""\b(?:
        given\s+[^,.;]+
      | when\s+(?:given|shown|asked|offered|presented\s+with|prompted|provided\s+with|working|
          upset|anxious|in|at|on|travelling|faced\s+with)\b[^,.;]*
      | using\s+(?:a|an|his|her|their|my|the)\b[^,.;]*
      | with\s+(?:the\s+help\s+of|the\s+use\s+of|access\s+to)\s+[^,.;]+
    )""",
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


_NUMBERS = f"# {_NUMBER_WORDS.replace('|', ' ')}"
# Every match of a cue starts at a word whose (lowercased) form is one of these; "#" stands
# for a number written in digits. A test holds ``cue_hits`` to ``pattern.search``.
FIRST_WORDS: dict[str, str] = {
    "timescale": f"by in before until from within over during for as after upon on {_NUMBERS}",
    "success_criterion": (
        f"{_NUMBERS} the in at for on by before after between each accurately running every "
        "once twice three independently without unprompted legibly safely correct correctly "
        "with no at consecutive within under grade level entry pass passes passing accuracy "
        "as recorded checked noted tracked logged marked rated rating score scores scoring"
    ),
    "provision": (
        "will to be staff school college teachers tutors adult adults carer carers ta tas the a "
        "would access support # one small therapy salt ot physiotherapy counselling programme "
        "intervention session sessions referral care funding"
    ),
    "hedge": "where as hopefully try aim opportunities regular regularly up such flexibly a work continue",
    "vague_change": (
        "improve improves improved improving improvement develop develops developed developing "
        "progress better more confident confidence happy happier calmer less understand "
        "understanding engage engages engaged engagement build building gain enjoy learn learns "
        "learned skills manage cope feel become"
    ),
    "generic": (
        "access full potential needs appropriate appropriately holistic broad age positive quality "
        "ready fulfilled meaningful valued learning barriers wellbeing effective effectively "
        "functional all range part lifelong good work equipped in have engage community"
    ),
    "aspiration": (
        "want wants would hope hopes dream dreams wish wishes aspiration aspirations one when in "
        "has like likes love loves"
    ),
    "child_action": "will to",
    "condition": "given when using with",
}


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation of the words, shared prefixes factored out, so the engine
    tries few branches at each position."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else f"(?:{'|'.join(branches)})"
        return (
            f"{body}?"
            if optional and len(branches) == 1 and len(body) == 1
            else (f"(?:{'|'.join(branches)})?" if optional else body)
        )

    return render(trie)


_CUE_NAMES = tuple(CUES)
# The cues, then the condition: the structural features read both in one pass.
_ANCHORED = {**CUES, "condition": CONDITION}
_ANCHORS: dict[str, tuple[int, ...]] = {}
for _index, _name in enumerate(_ANCHORED):
    for _word in FIRST_WORDS[_name].split():
        _ANCHORS[_word] = (*_ANCHORS.get(_word, ()), _index)
_MATCHERS = tuple(pattern.match for pattern in _ANCHORED.values())
# Only the words that can start a cue, and numbers: the loop below sees nothing else.
_WORD_STARTS = re.compile(
    rf"\b(?:\d+|{_trie_pattern([word for word in _ANCHORS if word != '#'])})\b"
)


def cue_hits(lowered: str) -> list[bool]:
    """Whether each cue in ``CUES``, and then ``CONDITION``, occurs in a lowercased text:
    the same answers as each pattern's ``search``, found by trying the patterns only where
    a word that can start them stands, which is several times faster."""
    hits = [False] * len(_MATCHERS)
    anchors, matchers = _ANCHORS, _MATCHERS
    for word in _WORD_STARTS.finditer(lowered):
        token = word.group()
        for index in anchors.get("#" if token[0].isdigit() else token, ()):
            if not hits[index] and matchers[index](lowered, word.start()):
                hits[index] = True
    return hits


def cue_flags(text: str) -> dict[str, bool]:
    """Whether each cue in ``CUES`` occurs in the text."""
    return dict(zip(_CUE_NAMES, cue_hits(text.lower())))
