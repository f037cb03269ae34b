"""Build ``outcomes.csv`` and ``contrast.csv`` from their hand-written parts.

    python data/outcomes/build_outcomes.py [--out DIR]

``outcomes.csv`` holds
- the 840 statements written one by one (``hand_written_v1.csv``), with ``kind``,
  ``timescale`` and ``group`` added; for about half of the strong ones that open with
  "By <time>," the time moves into the ``timescale`` column, as plans with a "By when"
  column write it (the rest of the statement is unchanged);
- statements put together from the scenarios in ``scenarios.py``: each scenario is written
  up by one "writer" (a ``group``), in that writer's forms, as strong statements and as
  the weak versions auditors meet (vague aims with a date, provision, generic wording,
  a good statement with no timescale anywhere).

``contrast.csv`` holds minimal pairs built from ``scenarios.CONTRAST`` (used by no
training statement); it is a test set only.

The build is deterministic (fixed seed): running it again gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scenarios  # noqa: E402

SEED = 20261201
COLUMNS = (
    "id",
    "text",
    "timescale",
    "label",
    "reasons",
    "kind",
    "need_area",
    "phase",
    "pfa_domain",
    "group",
    "source",
)
CONTRAST_COLUMNS = ("pair", "change", "text", "timescale", "label", "reasons", "phase")

# Names are invented first names only.
BOYS = [
    "Ayo",
    "Oscar",
    "Kai",
    "Rory",
    "Jayden",
    "Tomasz",
    "Idris",
    "Finley",
    "Bilal",
    "Callum",
    "Reuben",
    "Mateo",
    "Dev",
    "Harrison",
    "Kofi",
    "Lewis",
    "Arlo",
    "Yusuf",
    "Ethan",
    "Zain",
    "Caleb",
    "Marcus",
    "Theo",
    "Nathan",
    "Carlos",
    "Malik",
    "Owen",
    "Sami",
]
GIRLS = [
    "Maisie",
    "Priya",
    "Amara",
    "Evie",
    "Zofia",
    "Leah",
    "Niamh",
    "Sienna",
    "Hana",
    "Ruby",
    "Imani",
    "Grace",
    "Layla",
    "Freya",
    "Aisha",
    "Ellie",
    "Mia",
    "Chloe",
    "Aaliyah",
    "Sofia",
    "Nadia",
    "Tilly",
    "Keira",
    "Ines",
    "Poppy",
    "Yasmin",
    "Martha",
    "Jade",
]
CONTRAST_NAMES = [
    ("Alfie", "m"),
    ("Bea", "f"),
    ("Cyrus", "m"),
    ("Dina", "f"),
    ("Eli", "m"),
    ("Fern", "f"),
    ("Gus", "m"),
    ("Hattie", "f"),
    ("Ivo", "m"),
    ("Juno", "f"),
]

PRONOUNS = {
    "m": {"he": "he", "He": "He", "his": "his", "His": "His", "him": "him", "himself": "himself"},
    "f": {"he": "she", "He": "She", "his": "her", "His": "Her", "him": "her", "himself": "herself"},
    "i": {"he": "I", "He": "I", "his": "my", "His": "My", "him": "me", "himself": "myself"},
}
# First-person verbs after "{he}" in the scenario phrases.
FIRST_PERSON = [
    ("I is", "I am"),
    ("I feels", "I feel"),
    ("I needs", "I need"),
    ("I loses", "I lose"),
    ("I does not", "I do not"),
    ("I wants", "I want"),
    ("I has", "I have"),
]

# (in the text, in a "By when" column) per phase.
TIMESCALES = {
    "early_years": [
        ("by the end of Reception", "End of Reception"),
        ("by the time {he} starts school", "Start of Reception"),
        ("by July 2027", "July 2027"),
        ("by {his} next annual review", "Next annual review"),
        ("within six months", "6 months"),
        ("by the end of the spring term", "Spring term"),
        ("by Easter", "Easter"),
    ],
    "primary": [
        ("by the end of Year 2", "End of Year 2"),
        ("by the end of Key Stage 2", "End of KS2"),
        ("by Easter 2027", "Easter 2027"),
        ("by the end of the summer term", "Summer term"),
        ("within the next two terms", "Two terms"),
        ("before {he} moves to secondary school", "Transfer to Year 7"),
        ("by the end of Year 4", "End of Year 4"),
        ("by {his} next annual review", "Annual review"),
        ("by [date]", "[date]"),
        ("by (annual review date)", "(annual review date)"),
    ],
    "secondary": [
        ("by the end of Year 9", "End of Year 9"),
        ("by the end of Key Stage 4", "End of KS4"),
        ("by the end of the autumn term", "December 2026"),
        ("by {his} Year 10 annual review", "Year 10 review"),
        ("within the next twelve months", "12 months"),
        ("by July 2028", "July 2028"),
        ("by the end of Year 11", "End of Year 11"),
        ("by [date]", "[date]"),
    ],
    "post16": [
        ("by the end of {his} first year at college", "End of first year at college"),
        ("by June 2028", "June 2028"),
        ("by the end of the course", "End of course"),
        ("within two terms", "Two terms"),
        ("by the end of Year 13", "End of Year 13"),
        ("by {his} next review", "Next review"),
    ],
    "post19": [
        ("within 12 months", "12 months"),
        ("by the end of {his} supported internship", "End of internship"),
        ("by {his} next review", "Next review"),
        ("by March 2028", "March 2028"),
        ("within the next year", "One year"),
    ],
}
FREQUENCIES = [
    "3 times a week",
    "for 30 minutes a day",
    "once a fortnight",
    "for 20 minutes, 3 times a week",
    "for 15 minutes daily",
    "1:1 for 25 hours a week",
    "in a group of 4",
    "for 2 hours a week",
    "5 x 20 minutes a week",
    "as needed",
    "for 6 weeks",
    "at 1:2 for 30 minutes a day",
]
_NUMBER = re.compile(
    r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred|twice|half|dozen)\b",
    re.IGNORECASE,
)


def has_number(text: str) -> bool:
    return _NUMBER.search(text) is not None


HAS_FREQUENCY = re.compile(r"daily|weekly|a week|times|each|every|hours|once|\bas needed")
MEASURES = [
    "as measured by teacher observation",
    "as recorded on the class data sheet",
    "as measured by weekly probes",
    "according to staff records",
    "",
]


def fill(text: str, sex: str) -> str:
    text = text.format(**PRONOUNS[sex])
    if sex == "i":
        for wrong, right in FIRST_PERSON:
            text = text.replace(wrong, right)
        text = text.replace("his or her", "my").replace("he or she", "I")
    elif "his or her" in text or "he or she" in text:
        own = PRONOUNS[sex]
        text = text.replace("his or her", own["his"]).replace("he or she", own["he"])
    return text


def sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


class Writer:
    """One writer's habits: the forms they use and the people they write about."""

    def __init__(self, name: str, rng: random.Random):
        self.name, self.rng = name, rng

    def child(self) -> tuple[str, str]:
        sex = self.rng.choice("mf")
        return self.rng.choice(BOYS if sex == "m" else GIRLS), sex

    def when(self, phase: str, plain: bool | None = None) -> tuple[str, str]:
        """A timescale; ``plain`` True for one without a number in its words, False for
        one with a number (a year, a date), None for either."""
        options = [t for t in TIMESCALES[phase] if plain is None or (not has_number(t[0])) == plain]
        return self.rng.choice(options or TIMESCALES[phase])

    def criterion(self, scenario: dict, plain: bool) -> str:
        options = [c for c in scenario["criteria"] if not plain or not has_number(c)]
        return self.rng.choice(options or scenario["criteria"])


def row(text, label, reasons, kind, scenario, group, timescale="", sex="m"):
    return {
        "text": sentence(fill(text, sex)),
        "timescale": fill(timescale, sex) if timescale else "",
        "label": label,
        "reasons": ";".join(
            code
            for code in (
                "provision_not_outcome",
                "not_measurable",
                "no_timescale",
                "vague_or_generic",
                "aspiration_not_outcome",
            )
            if code in reasons
        ),
        "kind": kind,
        "need_area": scenario["area"],
        "phase": scenario["phase"],
        "pfa_domain": scenario.get("pfa", ""),
        "group": group,
        "source": "written",
    }


# UK writers and the forms each favours (strong forms, weak forms).
UK_WRITERS = {
    "la-prefix": (
        ["prefix", "prefix", "suffix", "column"],
        [
            "vague_dated",
            "provision_dated",
            "generic_dated",
            "undated",
            "vague_column",
            "provision",
            "no_criterion",
        ],
    ),
    "la-column": (
        ["column", "infinitive", "column", "condition"],
        [
            "vague_column",
            "provision_column",
            "infinitive_undated",
            "generic",
            "vague_dated",
            "provision_number",
            "undated",
        ],
    ),
    "la-suffix": (
        ["suffix", "condition", "prefix", "column"],
        [
            "vague_dated",
            "provision_number",
            "undated",
            "given_vague",
            "generic_dated",
            "provision",
            "vague",
        ],
    ),
    "la-firstperson": (
        ["first", "first_column", "first", "goal_is"],
        [
            "first_vague_dated",
            "first_undated",
            "first_vague",
            "provision_dated",
            "generic",
            "vague_column",
            "first_provision",
        ],
    ),
    "la-table": (
        ["cell", "cell", "column", "suffix"],
        [
            "cell_vague",
            "cell_provision",
            "cell_undated",
            "vague_dated",
            "provision_number",
            "generic_dated",
            "no_criterion",
        ],
    ),
    "la-steps": (
        ["steps", "steps_column", "prefix", "column"],
        [
            "steps_weak",
            "vague_dated",
            "provision_dated",
            "undated",
            "generic",
            "vague_column",
            "steps_weak_dated",
        ],
    ),
}


def measured(action: str, criterion: str) -> str:
    """The action and its measure, with a comma before a measure that opens with a
    participle ("..., checking his answer")."""
    first = criterion.split(" ", 1)[0]
    return (
        f"{action}, {criterion}"
        if first.endswith("ing") and first != "during"
        else f"{action} {criterion}"
    )


def cell(action: str, criterion: str) -> str:
    """A table cell: the action, then the measure after a colon."""
    return f"{action} {criterion}" if criterion.startswith("and ") else f"{action}: {criterion}"


PLAIN_FORMS = {
    "first": "first_column",
    "first_column": "first_column",
    "infinitive": "infinitive",
    "cell": "cell",
    "steps": "steps_column",
    "steps_column": "steps_column",
    "condition": "condition",
}


def uk_strong(
    form: str, s: dict, w: Writer, group: str, kind: str, plain: bool | None = None
) -> dict:
    name, sex = w.child()
    plain = w.rng.random() < 0.7 if plain is None else plain
    text_when, column_when = w.when(s["phase"], plain=True if plain else None)
    crit = w.criterion(s, plain)
    act, cond = s["action"], s["condition"]
    if form == "prefix":
        return row(
            f"{text_when}, {name} will {measured(act, crit)}", "strong", (), kind, s, group, sex=sex
        )
    if form == "suffix":
        return row(
            f"{name} will {measured(act, crit)} {text_when}", "strong", (), kind, s, group, sex=sex
        )
    if form == "column":
        return row(
            f"{name} will {measured(act, crit)}", "strong", (), kind, s, group, column_when, sex
        )
    if form == "infinitive":
        return row(f"To {measured(act, crit)}", "strong", (), kind, s, group, column_when, sex)
    if form == "condition":
        lead = (
            cond
            if cond.startswith(("when", "using", "given", "during", "after", "at", "in"))
            else ""
        )
        if lead:
            return row(
                f"{lead}, {name} will {measured(act, crit)}",
                "strong",
                (),
                kind,
                s,
                group,
                column_when,
                sex,
            )
        return row(
            f"{name} will {measured(act, crit)} {text_when}", "strong", (), kind, s, group, sex=sex
        )
    if form == "first":
        return row(
            f"{text_when}, I will {measured(act, crit)}", "strong", (), kind, s, group, sex="i"
        )
    if form == "first_column":
        return row(f"I will {measured(act, crit)}", "strong", (), kind, s, group, column_when, "i")
    if form == "goal_is":
        return row(
            f"{name}'s goal is to {measured(act, crit)} {text_when}",
            "strong",
            (),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "cell":
        return row(cell(act, crit), "strong", (), kind, s, group, column_when, sex)
    if form == "steps":
        first_when, _ = w.when(s["phase"])
        return row(
            f"{text_when}, {name} will {measured(act, crit)}. Interim step: {first_when}, {{he}} will {s['step']}",
            "strong",
            (),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "steps_column":
        return row(
            f"{name} will {measured(act, crit)}. Steps towards this: first {{he}} will {s['step']}",
            "strong",
            (),
            kind,
            s,
            group,
            column_when,
            sex,
        )
    raise ValueError(form)


def uk_weak(form: str, s: dict, w: Writer, group: str, kind: str) -> dict:
    name, sex = w.child()
    text_when, column_when = w.when(s["phase"], plain=False if w.rng.random() < 0.8 else None)
    crit = w.rng.choice(s["criteria"])
    act, vague, provision, generic = s["action"], s["vague"], s["provision"], s["generic"]
    often = "" if HAS_FREQUENCY.search(provision) else w.rng.choice(FREQUENCIES)
    if form == "vague_dated":
        return row(
            f"{text_when}, {name} will {vague}",
            "weak",
            ("not_measurable",),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "vague_column":
        return row(
            f"{name} will {vague}", "weak", ("not_measurable",), kind, s, group, column_when, sex
        )
    if form == "vague":
        return row(
            f"{name} will {vague}",
            "weak",
            ("not_measurable", "no_timescale"),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "given_vague":
        return row(
            f"Given support, {name} will {vague} {text_when}",
            "weak",
            ("not_measurable",),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "provision":
        return row(
            f"{name} will {provision} {often}",
            "weak",
            ("provision_not_outcome", "no_timescale"),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "provision_dated":
        return row(
            f"{text_when}, {name} will {provision}",
            "weak",
            ("provision_not_outcome",),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "provision_column":
        return row(
            f"{name} will {provision}",
            "weak",
            ("provision_not_outcome",),
            kind,
            s,
            group,
            column_when,
            sex,
        )
    if form == "provision_number":
        return row(
            f"{name} will {provision} {often} {text_when}",
            "weak",
            ("provision_not_outcome",),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "generic":
        return row(
            f"{name} will {generic}",
            "weak",
            ("vague_or_generic", "not_measurable", "no_timescale"),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "generic_dated":
        return row(
            f"{text_when}, {name} will {generic}",
            "weak",
            ("vague_or_generic", "not_measurable"),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "undated":
        return row(
            f"{name} will {measured(act, crit)}", "weak", ("no_timescale",), kind, s, group, sex=sex
        )
    if form == "infinitive_undated":
        return row(f"To {measured(act, crit)}", "weak", ("no_timescale",), kind, s, group, sex=sex)
    if form == "no_criterion":
        return row(
            f"{text_when}, {name} will {act}", "weak", ("not_measurable",), kind, s, group, sex=sex
        )
    if form == "no_criterion_column":
        return row(
            f"{name} will {act}", "weak", ("not_measurable",), kind, s, group, column_when, sex
        )
    if form == "first_vague_dated":
        return row(
            f"{text_when}, I will {vague}", "weak", ("not_measurable",), kind, s, group, sex="i"
        )
    if form == "first_undated":
        return row(
            f"I will {measured(act, crit)}", "weak", ("no_timescale",), kind, s, group, sex="i"
        )
    if form == "first_vague":
        return row(f"I will {vague}", "weak", ("not_measurable",), kind, s, group, column_when, "i")
    if form == "first_provision":
        return row(
            f"I will {provision} {often}",
            "weak",
            ("provision_not_outcome", "no_timescale"),
            kind,
            s,
            group,
            sex="i",
        )
    if form == "cell_vague":
        return row(vague, "weak", ("not_measurable",), kind, s, group, column_when, sex)
    if form == "cell_provision":
        return row(
            f"{provision} {often}",
            "weak",
            ("provision_not_outcome",),
            kind,
            s,
            group,
            column_when,
            sex,
        )
    if form == "cell_undated":
        return row(cell(act, crit), "weak", ("no_timescale",), kind, s, group, sex=sex)
    if form == "steps_weak":
        return row(
            f"{name} will {vague}. To help with this {{he}} will {provision}",
            "weak",
            ("not_measurable", "provision_not_outcome", "no_timescale"),
            kind,
            s,
            group,
            sex=sex,
        )
    if form == "steps_weak_dated":
        return row(
            f"{text_when}, {name} will {vague}. Steps: {{he}} will {provision} {often}",
            "weak",
            ("not_measurable", "provision_not_outcome"),
            kind,
            s,
            group,
            sex=sex,
        )
    raise ValueError(form)


def uk_rows(rng: random.Random) -> list[dict]:
    rows = []
    writers = list(UK_WRITERS)
    pfa_writers = ["pfa-firstperson", "pfa-domains"]
    for number, s in enumerate(scenarios.UK):
        group = writers[number % len(writers)]
        rows += render_uk(s, Writer(group, rng), group, UK_WRITERS[group], "ehcp", rng)
    for number, s in enumerate(scenarios.PFA):
        group = pfa_writers[number % 2]
        habits = UK_WRITERS["la-firstperson"] if number % 2 == 0 else UK_WRITERS["la-prefix"]
        w = Writer(group, rng)
        rows += render_uk(s, w, group, habits, "pfa", rng)
        name, sex = w.child()
        rows.append(
            row(
                f"{name} would like to {s['action']}",
                "weak",
                ("aspiration_not_outcome", "no_timescale"),
                "pfa",
                s,
                group,
                sex=sex,
            )
        )
    return rows


def render_uk(s, w, group, habits, kind, rng) -> list[dict]:
    strong_forms, weak_forms = habits
    plain = scenarios.PLAIN_CRITERIA.get(s["action"])
    if plain:
        s = {**s, "criteria": [*s["criteria"], plain]}
    rows = [uk_strong(form, s, w, group, kind) for form in strong_forms]
    # Three more in the writer's own forms, where the timescale sits in the "By when"
    # column and the measure is in words.
    for form in rng.sample(strong_forms, 3):
        rows.append(uk_strong(PLAIN_FORMS.get(form, "column"), s, w, group, kind, plain=True))
    if not re.search(r"\d", s["action"]):
        rows.append(uk_strong(rng.choice(["column", "suffix"]), s, w, group, kind))
    # Every writer also writes good statements with the measure left out, or with no
    # timescale anywhere.
    weak_forms = [*weak_forms, "no_criterion", "no_criterion_column", "undated"]
    weak = [
        form
        for form in weak_forms
        if not (form.startswith("no_criterion") and re.search(r"\d", s["action"]))
    ]
    rows += [uk_weak(form, s, w, group, kind) for form in weak]
    return rows


def iep_rows(rng: random.Random) -> list[dict]:
    rows = []
    for number, s in enumerate(scenarios.IEP):
        group = ("us-given", "us-goal")[number % 2]
        w = Writer(group, rng)
        for index in range(5):
            name, sex = w.child()
            if index == 3:
                name = "the student"
            crit, measure = s["criteria"][index % 2], rng.choice(MEASURES)
            tail = f", {measure}" if measure and "probe" not in crit else ""
            if index == 4:
                when = rng.choice(
                    [
                        "By [date]",
                        "By (annual review date)",
                        "By the end of the IEP year",
                        "By May 2027",
                    ]
                )
                text = f"{when}, {s['condition'][0].lower()}{s['condition'][1:]}, {name} will {measured(s['action'], crit)}{tail}"
            elif group == "us-given":
                text = f"{s['condition']}, {name} will {measured(s['action'], crit)}{tail}"
            elif index % 2:
                text = f"{name}'s goal is to {measured(s['action'], crit)} ({s['condition'].lower()}){tail}"
            else:
                text = (
                    f"{crit.capitalize()}, {name} will {s['action']} {s['condition'].lower()}{tail}"
                )
            rows.append(row(text, "strong", (), "iep_goal", s, group, sex=sex))
        name, sex = w.child()
        rows.append(
            row(
                f"{name} will {s['vague']}",
                "weak",
                ("not_measurable",),
                "iep_goal",
                s,
                group,
                sex=sex,
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"{s['condition']}, {name} will {s['vague']}",
                "weak",
                ("not_measurable",),
                "iep_goal",
                s,
                group,
                sex=sex,
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"{name} will {s['provision']}",
                "weak",
                ("provision_not_outcome",),
                "iep_goal",
                s,
                group,
                sex=sex,
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"By the annual review, {name} will {s['vague']}",
                "weak",
                ("not_measurable",),
                "iep_goal",
                s,
                group,
                sex=sex,
            )
        )
    return rows


def post_school_rows(rng: random.Random) -> list[dict]:
    rows = []
    for number, s in enumerate(scenarios.POST_SCHOOL):
        group = ("transition-us", "transition-uk")[number % 2]
        w = Writer(group, rng)
        name, sex = w.child()
        rows.append(
            row(
                f"{s['opening']}, {name} will {s['action']}",
                "strong",
                (),
                "post_school",
                s,
                group,
                sex=sex,
            )
        )
        rows.append(
            row(
                f"{s['opening']}, I will {s['action']}",
                "strong",
                (),
                "post_school",
                s,
                group,
                sex="i",
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"{name} will {s['action']}",
                "strong",
                (),
                "post_school",
                s,
                group,
                "After leaving school",
                sex,
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"{name} {s['wish']}",
                "weak",
                ("aspiration_not_outcome", "no_timescale"),
                "post_school",
                s,
                group,
                sex=sex,
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"{s['opening']}, {name} {s['vague']}",
                "weak",
                ("not_measurable",),
                "post_school",
                s,
                group,
                sex=sex,
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"{name} {s['provision']}",
                "weak",
                ("provision_not_outcome", "no_timescale"),
                "post_school",
                s,
                group,
                sex=sex,
            )
        )
        name, sex = w.child()
        rows.append(
            row(
                f"{s['opening']}, {name} {s['provision']}",
                "weak",
                ("provision_not_outcome",),
                "post_school",
                s,
                group,
                sex=sex,
            )
        )
    return rows


_BY_PREFIX = re.compile(r"^By ([^,]{3,60}), (.+)$")


def hand_rows(rng: random.Random) -> list[dict]:
    with open(HERE / "hand_written_v1.csv", newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    rows = []
    for record in written:
        number = int(record["id"][2:])
        text, timescale = record["text"], ""
        match = _BY_PREFIX.match(text)
        if record["label"] == "strong" and match and rng.random() < 0.55:
            when, rest = match.groups()
            text, timescale = rest[0].upper() + rest[1:], when[0].upper() + when[1:]
        rows.append(
            {
                "text": text,
                "timescale": timescale,
                "label": record["label"],
                "reasons": record["reasons"],
                "kind": "pfa" if record["pfa_domain"] else "ehcp",
                "need_area": record["need_area"],
                "phase": record["phase"],
                "pfa_domain": record["pfa_domain"],
                "group": f"hand-{(number - 1) // 120 + 1}",
                "source": "written",
            }
        )
    return rows


def contrast_rows() -> list[dict]:
    rows, pair = [], 0
    for number, (phase, action, crit, provision) in enumerate(scenarios.CONTRAST):
        name, sex = CONTRAST_NAMES[number % len(CONTRAST_NAMES)]
        text_when, _column_when = TIMESCALES[phase][number % len(TIMESCALES[phase])]
        other_when, other_column = TIMESCALES[phase][(number + 1) % len(TIMESCALES[phase])]

        # Called only within this iteration, so the loop's sex and phase are the right ones.
        def add(
            change, strong_text, strong_field, weak_text, weak_field, reasons, sex=sex, phase=phase
        ):
            nonlocal pair
            pair += 1
            for text, field, label, why in (
                (strong_text, strong_field, "strong", ""),
                (weak_text, weak_field, "weak", reasons),
            ):
                rows.append(
                    {
                        "pair": f"cp{pair:03d}",
                        "change": change,
                        "text": sentence(fill(text, sex)),
                        "timescale": fill(field, sex),
                        "label": label,
                        "reasons": why,
                        "phase": phase,
                    }
                )

        full = f"{text_when}, {name} will {action} {crit}"
        add("criterion", full, "", f"{text_when}, {name} will {action}", "", "not_measurable")
        add(
            "timescale",
            f"{name} will {action} {crit} {other_when}",
            "",
            f"{name} will {action} {crit}",
            "",
            "no_timescale",
        )
        add(
            "timescale_field",
            f"{name} will {action} {crit}",
            other_column,
            f"{name} will {action} {crit}",
            "",
            "no_timescale",
        )
        add(
            "provision",
            full,
            "",
            f"{text_when}, {name} will {provision}",
            "",
            "provision_not_outcome",
        )
    return rows


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    rows = hand_rows(rng) + uk_rows(rng) + iep_rows(rng) + post_school_rows(rng)
    seen, unique = set(), []
    for record in rows:
        key = re.sub(r"\W+", " ", record["text"]).strip().casefold(), record["timescale"].casefold()
        if key not in seen:
            seen.add(key)
            unique.append(record)
    for number, record in enumerate(unique, start=1):
        record["id"] = f"oc{number:04d}"
    return unique, contrast_rows()


def write(path: Path, columns, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    outcomes, contrast = build()
    write(args.out / "outcomes.csv", COLUMNS, outcomes)
    write(args.out / "contrast.csv", CONTRAST_COLUMNS, contrast)
    if args.out == HERE:
        from qa_app.classifier.data_card import update_data_card
        from qa_app.classifier.dataset import load_dataset

        update_data_card(load_dataset(args.out / "outcomes.csv"), len(contrast) // 2)
    print(f"wrote {len(outcomes)} statements and {len(contrast) // 2} contrast pairs to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
