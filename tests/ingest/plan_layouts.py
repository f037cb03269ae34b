"""Council-style plan layouts for the reader, each with the sections, outcomes and
provision it should yield.

Every layout carries the same plan content (so expectations are shared) in a different
template: heading styles, bold titles, "Part A", "A." and "B)" prefixes, numbered headings
with the letter in brackets, statutory wording without letters, two-column section
tables, boxed sections, combined or separate H, outcome tables with headers and outcome
lists grouped under need-area or PfA sub-headings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONTENT = {
    "A": "Sam enjoys drawing and wants to work with animals when he is older.",
    "B": "Sam has difficulties with reading fluency and with sustaining attention.",
    "C": "Sam has asthma, managed with an inhaler kept in class.",
    "D": "No social care needs were identified at assessment.",
    "G": "The school nurse reviews the asthma care plan once a year.",
    "H1": "No provision is made under the Chronically Sick and Disabled Persons Act.",
    "H2": "No other social care provision is required at present.",
    "H": "No social care provision is required at present.",
    "I": "Oakfield Primary School, a mainstream maintained school.",
    "J": "The family did not request a personal budget.",
    "K": "Educational psychology advice dated 3 March 2025 was considered.",
}
E_INTRO = "The outcomes below were agreed with Sam and his family at the planning meeting."

NEED_OUTCOMES = [
    (
        "Cognition and learning",
        "By the end of Key Stage 2, Sam will read a page of a Year 4 book aloud with 90% accuracy.",
        "By the end of Key Stage 2",
    ),
    (
        "Communication and interaction",
        "By July 2026, Sam will start a conversation with a classmate at lunchtime on 4 of 5 days.",
        "By July 2026",
    ),
    (
        "Social, emotional and mental health",
        "Sam will name two calming strategies and use one when upset, without prompts, by the end of Year 6.",
        "by the end of Year 6",
    ),
]
PFA_OUTCOMES = [
    (
        "Employment and further education",
        "By the end of Year 11, Sam will complete a one-week work placement at a local vet.",
        "By the end of Year 11",
    ),
    (
        "Independent living",
        "By July 2027, Sam will travel to college by bus on his own three days a week.",
        "By July 2027",
    ),
    (
        "Community inclusion",
        "Sam will attend a weekly youth club and take part in one group activity by summer term 2027.",
        "by summer term 2027",
    ),
    (
        "Health",
        "Sam will use his inhaler correctly without reminders by the end of Year 10.",
        "by the end of Year 10",
    ),
]
PROVISION = [
    ("Small-group phonics teaching", "Trained teaching assistant", "3 x 30 minutes a week"),
    (
        "Speech and language therapy programme",
        "Speech and language therapist",
        "Set each term, delivered daily",
    ),
]
STEPS = ["Sam will learn ten new sight words each half term.", "Sam will read with an adult daily."]
# Section G's text is one provision item; the "No ... provision" texts of H are none.
G_PROVISION = [CONTENT["G"]]

STATUTORY_TITLES = {
    "A": "Views, interests and aspirations of the child and their parents",
    "B": "Special educational needs",
    "C": "Health needs related to SEN",
    "D": "Social care needs related to SEN or disability",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision under section 2 of the Chronically Sick and Disabled Persons Act 1970",
    "H2": "Other social care provision reasonably required",
    "H": "Social care provision",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information",
}


@dataclass
class Layout:
    name: str
    items: list
    outcomes: list[tuple[str, str, str]]
    provision: list[str]
    combined_h: bool = False
    metadata: dict = field(default_factory=dict)
    setting: str | None = "Oakfield Primary School"
    steps: list[tuple[str, ...]] | None = None  # per outcome; None when no outcome has any
    other_provision: list[tuple[str, str]] = field(
        default_factory=lambda: [("G", t) for t in G_PROVISION]
    )
    content: dict[str, str] = field(
        default_factory=lambda: dict(CONTENT)
    )  # text each section holds
    section_keys: list[str] | None = None

    @property
    def sections(self) -> list[str]:
        return self.section_keys or _letters(self.combined_h)

    @property
    def outcome_steps(self) -> list[tuple[str, ...]]:
        return self.steps if self.steps is not None else [() for _ in self.outcomes]


def _letters(combined_h: bool) -> list[str]:
    return [
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
        "G",
        *(["H"] if combined_h else ["H1", "H2"]),
        "I",
        "J",
        "K",
    ]


def _provision_lines() -> list[str]:
    return [f"{what}, by a {who.lower()}, {when.lower()}." for what, who, when in PROVISION]


def _provision_table() -> tuple:
    return ("table", [["Provision", "Who", "How often"], *[list(row) for row in PROVISION]])


def _provision_from_table() -> list[str]:
    return [f"{what}; Who: {who}; How often: {when}" for what, who, when in PROVISION]


def _sections(title, combined_h: bool, e_items, f_items) -> list:
    """Items for every section in order, each opened by ``title(letter)`` (a list of items)."""
    items = []
    for letter in _letters(combined_h):
        items.extend(title(letter))
        if letter == "E":
            items.extend(e_items)
        elif letter == "F":
            items.extend(f_items)
        else:
            items.append(("para", CONTENT[letter]))
    return items


def _header(year_group: str = "Year 5", need: str = "Autism") -> list:
    return [
        ("heading", 1, "Education, Health and Care Plan"),
        (
            "table",
            [
                ["Name of child", "Sam Carter"],
                ["Year group", year_group],
                ["Primary need", need],
                ["Current setting", "Oakfield Primary School"],
            ],
        ),
    ]


def _grouped_bullets(outcomes, heading) -> list:
    items = [("para", E_INTRO)]
    for area, text, _ in outcomes:
        items.append(heading(area))
        items.append(("bullet", text))
    return items


def heading_styles() -> Layout:
    def title(letter):
        return [("heading", 1, f"Section {letter}: {STATUTORY_TITLES[letter]}")]

    e_items = _grouped_bullets(NEED_OUTCOMES, lambda area: ("heading", 2, area))
    f_items = [("bullet", line) for line in _provision_lines()]
    items = _header() + _sections(title, False, e_items, f_items)
    return Layout(
        "heading_styles",
        items,
        NEED_OUTCOMES,
        _provision_lines(),
        metadata={
            "year_group": 5,
            "key_stage": "KS2",
            "primary_need": "ASD",
            "setting_type": "mainstream",
        },
    )


def bold_titles() -> Layout:
    def title(letter):
        return [("bold", f"Section {letter} – {STATUTORY_TITLES[letter]}")]

    e_items = [("para", E_INTRO)]
    for area, text, _ in NEED_OUTCOMES:
        e_items += [("bold", f"{area}:"), ("number", text)]
    items = _header("Y6", "SLCN") + _sections(title, True, e_items, [_provision_table()])
    return Layout(
        "bold_titles",
        items,
        NEED_OUTCOMES,
        _provision_from_table(),
        combined_h=True,
        metadata={"year_group": 6, "key_stage": "KS2", "primary_need": "SLCN"},
    )


def part_prefix() -> Layout:
    def title(letter):
        return [("heading", 2, f"Part {letter}: {STATUTORY_TITLES[letter]}")]

    e_items = [("para", E_INTRO)]
    for number, (area, text, _) in enumerate(NEED_OUTCOMES, start=1):
        e_items += [
            ("heading", 3, area),
            ("para", f"Outcome {number}: {text}"),
            ("bold", "Steps towards this outcome"),
            *[("bullet", step) for step in STEPS],
        ]
    f_items = [("number", line) for line in _provision_lines()]
    items = _header() + _sections(title, False, e_items, f_items)
    return Layout(
        "part_prefix",
        items,
        NEED_OUTCOMES,
        _provision_lines(),
        steps=[tuple(STEPS) for _ in NEED_OUTCOMES],
    )


def letter_prefixes() -> Layout:
    def title(letter):
        mark = "." if letter in ("A", "C", "E", "G", "I", "K") else ")"
        return [("bold", f"{letter}{mark} {STATUTORY_TITLES[letter]}")]

    e_items = [
        ("para", E_INTRO),
        (
            "table",
            [
                ["Area of need", "Outcome", "Steps towards the outcome", "By when"],
                *[[area, text, STEPS[0], when] for area, text, when in NEED_OUTCOMES],
            ],
        ),
    ]
    f_items = [("para", line) for line in _provision_lines()]
    items = _header() + _sections(title, False, e_items, f_items)
    # A lettered sub-heading inside section B must not send the reader back to section A.
    b_at = items.index(("para", CONTENT["B"]))
    items.insert(b_at, ("bold", "A. Reading and writing"))
    return Layout(
        "letter_prefixes",
        items,
        NEED_OUTCOMES,
        _provision_lines(),
        steps=[(STEPS[0],) for _ in NEED_OUTCOMES],
    )


def numbered_with_letter() -> Layout:
    numbers = {letter: n for n, letter in enumerate(_letters(True), start=1)}

    def title(letter):
        suffix = "(Sections H1 and H2)" if letter == "H" else f"(Section {letter})"
        return [("heading", 1, f"{numbers[letter]}. {STATUTORY_TITLES[letter]} {suffix}")]

    e_items = _grouped_bullets(PFA_OUTCOMES, lambda area: ("bold", area))
    f_items = [("bullet", line) for line in _provision_lines()]
    items = _header("Year 10", "SEMH") + _sections(title, True, e_items, f_items)
    return Layout(
        "numbered_with_letter",
        items,
        PFA_OUTCOMES,
        _provision_lines(),
        combined_h=True,
        metadata={"year_group": 10, "key_stage": "KS4", "primary_need": "SEMH"},
    )


def statutory_wording() -> Layout:
    def title(letter):
        return [("heading", 1, STATUTORY_TITLES[letter])]

    e_items = [("para", E_INTRO)]
    for area, text, _ in NEED_OUTCOMES:
        e_items += [("para", area), ("bullet", text)]
    f_items = [
        (
            "table",
            [
                ["Special educational provision", "Provided by", "Frequency"],
                *[list(row) for row in PROVISION],
            ],
        )
    ]
    provision = [f"{what}; Provided by: {who}; Frequency: {when}" for what, who, when in PROVISION]
    items = _header() + _sections(title, False, e_items, f_items)
    return Layout("statutory_wording", items, NEED_OUTCOMES, provision)


def two_column_table() -> Layout:
    rows = []
    for letter in _letters(False):
        if letter == "E":
            content = [
                ("para", E_INTRO),
                (
                    "table",
                    [
                        ["Need area", "Outcome", "By when"],
                        *[[a, t, w] for a, t, w in NEED_OUTCOMES],
                    ],
                ),
            ]
        elif letter == "F":
            content = [("bullet", line) for line in _provision_lines()]
        else:
            content = [("para", CONTENT[letter])]
        rows.append([letter, content])
    items = _header() + [("table", rows)]
    return Layout("two_column_table", items, NEED_OUTCOMES, _provision_lines())


def section_table_with_titles() -> Layout:
    rows = []
    for letter in _letters(True):
        label = (
            "Sections H1 and H2: Social care provision"
            if letter == "H"
            else (f"Section {letter}: {STATUTORY_TITLES[letter]}")
        )
        if letter == "E":
            content = [("para", E_INTRO)]
            for area, text, _ in NEED_OUTCOMES:
                content += [("bold", area), ("bullet", text)]
        elif letter == "F":
            content = [_provision_table()]
        else:
            content = [("para", CONTENT[letter])]
        rows.append([label, content])
    items = _header() + [("table", rows)]
    return Layout(
        "section_table_with_titles", items, NEED_OUTCOMES, _provision_from_table(), combined_h=True
    )


def boxed_sections() -> Layout:
    items = _header()
    for letter in _letters(False):
        box = [("heading", 2, f"Section {letter}: {STATUTORY_TITLES[letter]}")]
        if letter == "E":
            box += [
                ("para", E_INTRO),
                ("table", [["Outcome", "Timescale"], *[[t, w] for _, t, w in NEED_OUTCOMES]]),
            ]
        elif letter == "F":
            box += [("bullet", line) for line in _provision_lines()]
        else:
            box.append(("para", CONTENT[letter]))
        items.append(("table", [[box]]))
    outcomes = [("", text, when) for _, text, when in NEED_OUTCOMES]
    return Layout("boxed_sections", items, outcomes, _provision_lines())


def part_dash_with_target_tables() -> Layout:
    """ "Part A – All about me"; one outcome table per need area, under its heading."""
    items = [("heading", 1, "EHC Plan"), ("para", "Name: Sam Carter")]
    for letter in _letters(False):
        title = "All about me" if letter == "A" else STATUTORY_TITLES[letter]
        items.append(("heading", 2, f"Part {letter} – {title}"))
        if letter == "E":
            for area, text, when in NEED_OUTCOMES:
                items += [
                    ("heading", 3, area),
                    (
                        "table",
                        [
                            ["Long term outcome", "Short term targets", "Review date"],
                            [text, STEPS[1], when],
                        ],
                    ),
                ]
        elif letter == "F":
            items.append(
                (
                    "table",
                    [
                        ["Need", "Provision", "Staff", "Frequency"],
                        *[["Reading", what, who, when] for what, who, when in PROVISION],
                    ],
                )
            )
        else:
            items.append(("para", CONTENT[letter]))
    provision = [f"{what}; Staff: {who}; Frequency: {when}" for what, who, when in PROVISION]
    return Layout(
        "part_dash_with_target_tables",
        items,
        NEED_OUTCOMES,
        provision,
        setting=None,
        steps=[(STEPS[1],) for _ in NEED_OUTCOMES],
    )


def letter_colon_plain_paragraphs() -> Layout:
    """Bold "B: Special educational needs", a lower-case "section e", unlisted outcomes."""
    items = [("para", "Child's name: Sam Carter")]
    for letter in _letters(True):
        items.append(
            (
                "bold",
                "section e: outcomes" if letter == "E" else f"{letter}: {STATUTORY_TITLES[letter]}",
            )
        )
        if letter == "E":
            items += [("para", text) for _, text, _ in NEED_OUTCOMES]
        elif letter == "F":
            items += [("para", line) for line in _provision_lines()]
        else:
            items.append(("para", CONTENT[letter]))
    outcomes = [("", text, when) for _, text, when in NEED_OUTCOMES]
    return Layout(
        "letter_colon_plain_paragraphs",
        items,
        outcomes,
        _provision_lines(),
        combined_h=True,
        setting=None,
    )


def letter_only_section_table() -> Layout:
    """A table with "Section A" ... "H1/H2" alone in the first column."""
    rows = []
    for letter in _letters(True):
        if letter == "E":
            content = [("number", text) for _, text, _ in NEED_OUTCOMES]
        elif letter == "F":
            content = [("bullet", line) for line in _provision_lines()]
        else:
            content = [("para", CONTENT[letter])]
        rows.append(["H1/H2" if letter == "H" else f"Section {letter}", content])
    outcomes = [("", text, when) for _, text, when in NEED_OUTCOMES]
    items = [("para", "Name of child: Sam Carter"), ("table", rows)]
    return Layout(
        "letter_only_section_table",
        items,
        outcomes,
        _provision_lines(),
        combined_h=True,
        setting=None,
    )


def numbered_sections_with_area_leads() -> Layout:
    """ "1. Section A: ..." headings; each outcome led by its need area in bold."""
    items = [("heading", 1, "Education, Health and Care Plan"), ("para", "Name: Sam Carter")]
    for number, letter in enumerate(_letters(False), start=1):
        items.append(("heading", 1, f"{number}. Section {letter}: {STATUTORY_TITLES[letter]}"))
        if letter == "E":
            items += [("bold_lead", f"{area}:", text) for area, text, _ in NEED_OUTCOMES]
        elif letter == "F":
            items += [("number", line) for line in _provision_lines()]
        else:
            items.append(("para", CONTENT[letter]))
    return Layout(
        "numbered_sections_with_area_leads", items, NEED_OUTCOMES, _provision_lines(), setting=None
    )


def one_cell_outcomes_with_interim_steps() -> Layout:
    """Each outcome in one cell as "Area: outcome (Timescale: ...)", its interim steps
    listed under it in the same cell; Section F as a list under a "Provision" heading."""

    def title(letter):
        return [("heading", 1, f"Section {letter}: {STATUTORY_TITLES[letter]}")]

    rows = [["Outcomes and interim steps"]]
    for area, text, when in ONE_CELL_OUTCOMES:
        rows.append(
            [
                [
                    ("para", f"{area}: {text} (Timescale: {when})"),
                    ("para", "Interim steps:"),
                    *[("bullet", step) for step in STEPS],
                ]
            ]
        )
    e_items = [("para", E_INTRO), ("table", rows)]
    f_items = [("bullet", line) for line in _provision_lines()]
    items = _header() + _sections(title, False, e_items, f_items)
    expected = [(area, f"{text}.", when) for area, text, when in ONE_CELL_OUTCOMES]
    return Layout(
        "one_cell_outcomes_with_interim_steps",
        items,
        expected,
        _provision_lines(),
        steps=[tuple(STEPS) for _ in ONE_CELL_OUTCOMES],
    )


ONE_CELL_OUTCOMES = [
    (
        "Cognition and learning",
        "Sam will read a page of a Year 4 book aloud with 90% accuracy",
        "end of Key Stage 2",
    ),
    (
        "Communication and interaction",
        "Sam will start a conversation with a classmate at lunchtime on 4 of 5 days",
        "July 2026",
    ),
    (
        "Social, emotional and mental health",
        "Sam will name two calming strategies and use one when upset, without prompts",
        "end of Year 6",
    ),
]


NATIONAL_TEXTS = {
    "history": "Jane Carter says Sam loved trains as a toddler and first spoke at three.",
    "ci_need": "Sam finds it hard to start conversations with other children.",
    "ci_provision": "Weekly social communication group of four pupils, run by a speech and language therapist, 30 minutes.",
    "semh_need": "Sam becomes anxious at transitions and may leave the classroom.",
    "semh_provision": "A daily five-minute check-in with a named key adult at the start of the school day.",
    "sc_need": "Sam needs support to take part in activities outside school.",
    "h1_provision": "Short breaks at a local youth club, 3 hours each fortnight, arranged by the council.",
    "h2_provision": "A family support worker visits the family once a month.",
}
NATIONAL_OUTCOMES = [
    (
        "Communication and interaction",
        NEED_OUTCOMES[1][1],
        "By July 2026",
        "communication_interaction:1",
    ),
    (
        "Cognition and learning",
        NEED_OUTCOMES[0][1],
        "By the end of Key Stage 2",
        "cognition_learning:1",
    ),
    ("Social, emotional and mental health", NEED_OUTCOMES[2][1], "by the end of Year 6", "semh:1"),
    (
        "Health",
        "Sam will use his inhaler correctly without reminders by the end of Year 7.",
        "by the end of Year 7",
        "health:1",
    ),
    ("Social care", PFA_OUTCOMES[2][1], "by summer term 2027", "social_care:1"),
]


def national_template() -> Layout:
    """The DfE Change Programme national template: personal details first, then history and
    views; needs, provision and outcomes numbered by area of need (as a label table, as bold
    labels, with health and social care in the same pattern); then placement, budget, advice."""
    t = NATIONAL_TEXTS
    ci, cl, semh, health, social = NATIONAL_OUTCOMES
    items = [
        ("heading", 1, "Education, Health and Care Plan"),
        ("heading", 2, "Personal details"),
        (
            "table",
            [
                ["Name", "Sam Carter"],
                ["Preferred name", "Sammy"],
                ["Date of birth", "14/02/2015"],
                ["Home address", "12 Elm Road, Oakfield"],
                ["Main contact", "Jane Carter"],
                ["Parent or carer 1", "Jane Carter"],
                ["Relationship", "Mother"],
                ["Parent or carer 2", "Tom Carter"],
                ["Relationship", "Father"],
            ],
        ),
        ("heading", 2, "My history"),
        ("para", t["history"]),
        ("heading", 2, "My views, interests and aspirations"),
        ("para", CONTENT["A"]),
        ("heading", 2, "Communication and interaction"),
        (
            "table",
            [
                ["Communication and interaction need 1", t["ci_need"]],
                ["Communication and interaction provision 1", t["ci_provision"]],
                ["Communication and interaction outcome 1", ci[1]],
            ],
        ),
        ("heading", 2, "Cognition and learning"),
        ("bold", "Cognition and learning need 1"),
        ("para", CONTENT["B"]),
        ("bold", "Cognition and learning provision 1"),
        ("para", _provision_lines()[0]),
        ("bold", "Cognition and learning outcome 1"),
        ("para", cl[1]),
        ("bold", "Steps towards this outcome"),
        *[("bullet", step) for step in STEPS],
        ("heading", 2, "Social, emotional and mental health"),
        (
            "table",
            [
                ["Social, emotional and mental health need 1", t["semh_need"]],
                ["Social, emotional and mental health provision 1", t["semh_provision"]],
                ["Social, emotional and mental health outcome 1", semh[1]],
            ],
        ),
        ("heading", 2, "Health"),
        (
            "table",
            [
                ["Health need 1", CONTENT["C"]],
                ["Health provision 1", CONTENT["G"]],
                ["Health outcome 1", health[1]],
            ],
        ),
        ("heading", 2, "Social care"),
        (
            "table",
            [
                ["Social care need 1", t["sc_need"]],
                ["Social care provision (H1) 1", t["h1_provision"]],
                ["Social care provision (H2) 1", t["h2_provision"]],
                ["Social care outcome 1", social[1]],
            ],
        ),
        ("heading", 2, "Placement"),
        ("para", CONTENT["I"]),
        ("heading", 2, "Personal budget"),
        ("para", CONTENT["J"]),
        ("heading", 2, "Advice and information"),
        ("para", CONTENT["K"]),
    ]
    content = {
        "A": CONTENT["A"],
        "B": CONTENT["B"],
        "C": CONTENT["C"],
        "D": t["sc_need"],
        "G": CONTENT["G"],
        "H1": t["h1_provision"],
        "H2": t["h2_provision"],
        "I": CONTENT["I"],
        "J": CONTENT["J"],
        "K": CONTENT["K"],
    }
    return Layout(
        "national_template",
        items,
        [(area, text, when) for area, text, when, _ in NATIONAL_OUTCOMES],
        [t["ci_provision"], _provision_lines()[0], t["semh_provision"]],
        metadata={"year_group": 6, "key_stage": "KS2", "setting_type": "mainstream"},
        setting=None,
        steps=[(), tuple(STEPS), (), (), ()],
        other_provision=[("G", CONTENT["G"]), ("H1", t["h1_provision"]), ("H2", t["h2_provision"])],
        content=content,
        section_keys=["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"],
    )


LAYOUTS = [
    heading_styles,
    bold_titles,
    part_prefix,
    letter_prefixes,
    numbered_with_letter,
    statutory_wording,
    two_column_table,
    section_table_with_titles,
    boxed_sections,
    part_dash_with_target_tables,
    letter_colon_plain_paragraphs,
    letter_only_section_table,
    numbered_sections_with_area_leads,
    one_cell_outcomes_with_interim_steps,
    national_template,
]
