"""Surface cues of a provision item: does it say how often, for how long or how much, who
delivers it, in what group size; does it hedge; does it read like an outcome or a need.

Each cue is a set of word sequences (one to three words) over a normalised token stream
in which every number, written in digits or in words, is ``#``. Set look-ups keep the
check at a few microseconds an item, where the same cues as regular expressions took
hundreds. The cues are features of the provision model and the wording of its
explanations; the model, not any one cue, decides the verdict.
"""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"[a-z]+|#|[£%:]")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "ninety",
        "half",
    ]
)
_AS_NUMBER = {word: "#" for word in _NUMBER_WORDS}
_PERIODS = (
    "day",
    "days",
    "week",
    "weeks",
    "fortnight",
    "month",
    "term",
    "year",
    "lesson",
    "lessons",
    "session",
    "sessions",
    "morning",
    "afternoon",
    "evening",
    "weekday",
    "break",
    "lunchtime",
    "transition",
    "visit",
    "shift",
    "night",
)


def _phrases(*groups: str) -> frozenset[tuple[str, ...]]:
    """Each argument holds comma-separated phrases; "{p}" stands for each period word."""
    phrases = set()
    for group in groups:
        for phrase in group.split(","):
            phrase = phrase.strip()
            if not phrase:
                continue
            expanded = (
                [phrase.replace("{p}", period) for period in _PERIODS]
                if "{p}" in phrase
                else [phrase]
            )
            phrases.update(tuple(p.split()) for p in expanded)
    return frozenset(phrases)


FREQUENCY = _phrases(
    "daily, weekly, fortnightly, monthly, termly, half termly, annually, nightly, twice, once a,"
    "mondays, tuesdays, wednesdays, thursdays, fridays, saturdays, sundays, weekends,"
    "monday, tuesday, wednesday, thursday, friday, saturday, sunday",
    "each {p}, every {p}, per {p}, a {p}, # times, # x, times a, times per,"
    "start of every, start of each, end of each, end of every, in all lessons,"
    "every school, each school, school day, school days, working day,"
    "throughout each, throughout every, whenever",
)
DURATION_OR_AMOUNT = _phrases(
    "# minutes, # minute, # mins, # hours, # hour, # hrs, an hour, half an hour, # h,"
    "block of, # sessions of, # weeks, # terms, # sessions, # appointments, # visits,"
    "# nights, # days, # months, whole of, the whole, the entire, full time, full day,"
    "all lessons, every lesson, throughout, £ #, # %, whole session, whole day",
)
DELIVERER = _phrases(
    "therapist, salt, slt, ot, physiotherapist, psychologist, teaching assistant, teaching assistants,"
    "ta, tas, hlta, lsa, learning support assistant, teacher, teachers, senco, sendco, elsa,"
    "counsellor, nurse, paediatrician, mentor, keyworker, key worker, support worker, assistant,"
    "job coach, coach, tutor, lecturer, practitioner, social worker, dietitian, orthoptist,"
    "mobility officer, habilitation specialist, carer, carers, provider, trained, qualified,"
    "accredited, registered, hcpc, ambda, elklan, named adult, named member, interpreter,"
    "communicator, intervenor, specialist, officer, clinician, consultant, doctor, trainer,"
    "instructor, worker, staff trained, camhs",
)
HEDGE = _phrases(
    "as required, as needed, as appropriate, as necessary, as deemed, when required,"
    "access to, regular, regularly, up to, would benefit, opportunity, opportunities,"
    "or equivalent, where possible, where appropriate, where available, where necessary,"
    "if needed, if required, if appropriate, if possible, such as, when needed, discretion,"
    "should, may, could, might, ad hoc, flexible, flexibly, as advised, some, various,"
    "range of, support as, from time to time, on occasion, to be considered, considered,"
    "as long as needed, as often as possible",
)
GROUP_NAMED = _phrases("group, groups, nurture group, club, class group")
GROUP_SIZE = _phrases(
    "# : #, one to one, individual, individually, on his own, on her own, on their own,"
    "group of #, group of no, group of between, no more than, pair, pairs, paired, with one peer,"
    "with a peer, # pupils, # children, # students, # learners, # peers, # young people,"
    "maximum of, max, ratio",
)
OUTCOME_OR_NEED = _phrases(
    "will be able, is able to, will read, will write, will use, will say, will ask, will count,"
    "will walk, will tell, will follow, will manage, will stay, will join, will make, will travel,"
    "will improve, will develop, will learn, will become, will feel, will understand,"
    "will start, will dress, by the end, has difficulty, has difficulties, has a, has significant,"
    "struggles, struggle, finds it, find it, is working, presents with, diagnosis, needs to,"
    "make progress, his needs, her needs, their needs, is anxious, becomes anxious, becomes upset,"
    "tires, wears, low self",
)

CUES: dict[str, frozenset[tuple[str, ...]]] = {
    "frequency": FREQUENCY,
    "duration_or_amount": DURATION_OR_AMOUNT,
    "deliverer": DELIVERER,
    "hedge": HEDGE,
    "group_named": GROUP_NAMED,
    "group_size": GROUP_SIZE,
    "outcome_or_need": OUTCOME_OR_NEED,
}
_MASKS: dict[str, int] = {}
for _bit, _phrases_of_cue in enumerate(CUES.values()):
    for _phrase in _phrases_of_cue:
        _key = " ".join(_phrase)
        _MASKS[_key] = _MASKS.get(_key, 0) | (1 << _bit)
_KNOWN = frozenset(_MASKS)
_BITS = [1 << bit for bit in range(len(CUES))]


_PAIR = "{} {}".format


def words_of(lowered: str) -> list[str]:
    """The normalised token stream: words, numbers as ``#``, and ``£``, ``%``, ``:``."""
    tokens = _WORD.findall(_DIGITS.sub("#", lowered))
    return list(map(_AS_NUMBER.get, tokens, tokens))


def word_grams(words: list[str]) -> list[str]:
    """Words and word pairs, with repeats: the terms the model weighs."""
    return words + list(map(_PAIR, words, words[1:]))


def cue_mask(words: list[str], grams: list[str]) -> int:
    """One bit per cue (in ``CUES`` order) from the words and their pairs."""
    mask = 0
    for gram in _KNOWN.intersection(grams):
        mask |= _MASKS[gram]
    pairs = grams[len(words) :]
    for gram in _KNOWN.intersection(map(_PAIR, pairs, words[2:])):
        mask |= _MASKS[gram]
    return mask


def _mask(lowered: str) -> int:
    words = words_of(lowered)
    return cue_mask(words, word_grams(words))


def cue_rows(masks, word_counts) -> np.ndarray:
    """The cue matrix from per-item masks and word counts."""
    masks = np.asarray(masks, dtype=np.int64)
    matrix = np.empty((len(masks), len(CUES) + 1))
    matrix[:, :-1] = (masks[:, None] & np.array(_BITS)) > 0
    matrix[:, -1] = np.log1p(np.asarray(word_counts, dtype=float)) / 4.0
    return matrix


def _row(lowered: str) -> list[bool]:
    mask = _mask(lowered)
    return [bool(mask & bit) for bit in _BITS]


def cue_flags(text: str) -> dict[str, bool]:
    return dict(zip(CUES, _row(text.lower())))


def cue_matrix(lowered_texts: list[str]) -> np.ndarray:
    """One row per lowercased item: each cue as 0/1, then log word count scaled."""
    streams = [words_of(text) for text in lowered_texts]
    masks = [cue_mask(words, word_grams(words)) for words in streams]
    return cue_rows(masks, [len(words) for words in streams])
