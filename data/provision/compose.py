"""Compose the labelled provision items in provision.csv from hand-written phrase pools.

Run from the project root: ``python data/provision/compose.py``. The output is the same
on every run (fixed seed). Every phrase below was written for this project; the label of
each item follows from the parts it was built from (what, who, how often, how long, group
size, hedges), never from the text patterns the classifier uses, and the free-hand items
at the end were written and labelled one by one. See DATA_CARD.md.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261201

NAMES = [
    "Amir",
    "Bea",
    "Callum",
    "Darcy",
    "Eli",
    "Freya",
    "Gus",
    "Hana",
    "Isaac",
    "Jodie",
    "Kofi",
    "Lena",
    "Milo",
    "Nia",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tia",
    "Umar",
    "Vera",
    "Wyatt",
    "Xena",
    "Yusuf",
    "Zara",
]

# (area, section, what, group activity?)
WHAT = [
    (
        "communication_interaction",
        "F",
        "speech and language therapy targeting expressive vocabulary",
        False,
    ),
    (
        "communication_interaction",
        "F",
        "a language-building programme set by the speech and language therapist",
        False,
    ),
    ("communication_interaction", "F", "Lego-based social communication sessions", True),
    (
        "communication_interaction",
        "F",
        "a social skills group working on turn-taking and conversation",
        True,
    ),
    ("communication_interaction", "F", "Attention Autism (bucket) sessions", True),
    (
        "communication_interaction",
        "F",
        "pre-teaching of topic vocabulary with visual supports",
        False,
    ),
    ("communication_interaction", "F", "a Talk Boost language group", True),
    ("communication_interaction", "F", "modelling of Makaton signs alongside speech", False),
    ("communication_interaction", "F", "practice using the PECS book to request items", False),
    ("communication_interaction", "F", "narrative therapy (story grammar) sessions", True),
    ("cognition_learning", "F", "a structured synthetic phonics programme", False),
    ("cognition_learning", "F", "precision teaching of high-frequency words", False),
    ("cognition_learning", "F", "a multi-sensory spelling programme", False),
    ("cognition_learning", "F", "a numeracy intervention using concrete apparatus", True),
    ("cognition_learning", "F", "reading comprehension teaching using reciprocal reading", True),
    ("cognition_learning", "F", "pre- and over-learning of maths vocabulary", False),
    ("cognition_learning", "F", "working-memory strategy teaching", False),
    ("cognition_learning", "F", "touch-typing tuition", False),
    (
        "cognition_learning",
        "F",
        "a differentiated curriculum with tasks broken into small steps",
        False,
    ),
    ("cognition_learning", "F", "paired reading practice using a reading scheme", False),
    ("semh", "F", "an emotional literacy (ELSA) programme", False),
    ("semh", "F", "a nurture group", True),
    ("semh", "F", "a check-in with a named adult to rate feelings on a 1-5 scale", False),
    ("semh", "F", "Zones of Regulation teaching", True),
    ("semh", "F", "mentoring sessions focused on managing anxiety", False),
    ("semh", "F", "a personalised calm-down plan with use of a quiet room", False),
    ("semh", "F", "a social stories programme about changes in routine", False),
    ("semh", "F", "a friendship group at lunchtime", True),
    ("semh", "F", "school-based counselling", False),
    ("semh", "F", "a meet-and-greet at the school gate", False),
    (
        "sensory_physical",
        "F",
        "a fine motor skills programme designed by the occupational therapist",
        True,
    ),
    ("sensory_physical", "F", "a sensory circuit", True),
    ("sensory_physical", "F", "a movement break programme", False),
    ("sensory_physical", "F", "handwriting practice on a sloped board", False),
    ("sensory_physical", "F", "mobility and orientation training around the school site", False),
    ("sensory_physical", "F", "pre-tutoring in British Sign Language vocabulary", False),
    ("sensory_physical", "F", "modified print (N24 bold) resources", False),
    ("sensory_physical", "F", "a radio aid checked and fitted", False),
    ("sensory_physical", "G", "a physiotherapy stretching programme", False),
    ("sensory_physical", "G", "hydrotherapy", True),
    ("sensory_physical", "G", "review of the seating and standing equipment", False),
    ("sensory_physical", "G", "postural management checks", False),
    ("semh", "G", "CAMHS cognitive behavioural therapy", False),
    ("semh", "G", "sleep clinic appointments", False),
    ("sensory_physical", "G", "continence care and a toileting plan", False),
    ("sensory_physical", "G", "administration and monitoring of epilepsy medication", False),
    ("semh", "H1", "short breaks at a residential centre", True),
    ("sensory_physical", "H1", "help with personal care at home", False),
    ("semh", "H2", "a youth club place with a support worker", True),
    ("cognition_learning", "H2", "travel training on the bus route to college", False),
    ("cognition_learning", "F", "a supported internship with a job coach", False),
    ("cognition_learning", "F", "independent living skills teaching (cooking and budgeting)", True),
    ("communication_interaction", "F", "work experience preparation on interview skills", True),
    ("cognition_learning", "F", "Functional Skills English tuition", True),
]

# Qualified or role-named deliverers, by area; a few shared.
WHO = {
    "communication_interaction": [
        "a speech and language therapist (HCPC registered)",
        "a teaching assistant trained by the speech and language therapist",
        "the specialist teacher for autism",
        "an ELKLAN-trained teaching assistant",
        "the class teacher, following the SaLT's programme",
    ],
    "cognition_learning": [
        "a specialist dyslexia teacher (AMBDA)",
        "the class teacher",
        "a higher level teaching assistant (HLTA)",
        "a teaching assistant trained in precision teaching",
        "the learning support tutor",
        "a job coach",
    ],
    "semh": [
        "the school's ELSA-trained teaching assistant",
        "a named key adult (the pastoral lead)",
        "a qualified school counsellor (BACP registered)",
        "a CAMHS clinical psychologist",
        "the learning mentor",
        "a support worker from the short breaks provider",
    ],
    "sensory_physical": [
        "an occupational therapist",
        "a teaching assistant trained by the occupational therapist",
        "a qualified teacher of the deaf",
        "a qualified teacher of the visually impaired (QTVI)",
        "the NHS physiotherapist",
        "the school nurse",
        "a habilitation specialist",
        "two carers trained in moving and handling",
    ],
}
GENERIC_WHO = [
    "staff",
    "school staff",
    "an adult",
    "adults in the setting",
    "the school",
    "the setting",
    "someone familiar",
    "available staff",
]

# (sentence form, table form); some say both how often and how long.
FREQ = [
    "daily",
    "three times a week",
    "twice weekly",
    "once a week",
    "every morning",
    "each afternoon",
    "4 times per week",
    "5 x per week",
    "once a fortnight",
    "each half term",
    "on Mondays and Thursdays",
    "every lunchtime",
    "at the start of every lesson",
    "weekly",
    "two sessions a week",
]
DUR = [
    ("for 30 minutes", "30 minutes"),
    ("for 20 minutes", "20 minutes"),
    ("for 15 minutes", "15 minutes"),
    ("for forty-five minutes", "45 minutes"),
    ("for one hour", "1 hour"),
    ("for ten minutes", "10 minutes"),
    ("in a block of 12 sessions", "block of 12 sessions"),
    ("for six weeks", "6 weeks"),
    ("for half an hour", "half an hour"),
    ("for 2 hours", "2 hours"),
    ("over two terms", "two terms"),
    ("for the whole of the session", "the whole session"),
]
GROUP_SIZES = [
    "in a group of no more than four pupils",
    "in a group of three",
    "with one peer (a pair)",
    "in a group of 4-6 children",
    "at a ratio of 1:3",
    "in a group of two to three students",
]
INDIVIDUAL = ["1:1", "individually", "one-to-one", ""]
BARE_GROUP = ["in a small group", "as part of a group", "in group sessions", "in a class group"]
REVIEW = [
    "",
    "",
    "",
    " Progress is reviewed each term by the SENCo.",
    " Reviewed half-termly with parents.",
    " The therapist reviews the programme every six weeks.",
    " Records are kept in a home-school book.",
]


def _freq_hedge(rng):
    return rng.choice(
        [
            "regularly",
            "as required",
            "when needed",
            "as and when appropriate",
            "on a regular basis",
            "as often as possible",
        ]
    )


def _dur_hedge(rng):
    return rng.choice(
        [
            "for up to 30 minutes",
            "for up to an hour",
            "for as long as needed",
            "for up to 2 hours",
            "for some of the day",
        ]
    )


def build_item(rng, index):
    area, section, what, group_activity = rng.choice(WHAT)
    name = rng.choice(NAMES)
    reasons = set()
    # Each part is present, missing or hedged with these chances; about half the items
    # end up fully specified.
    specified = rng.random() < 0.48
    who = rng.choice(WHO[area])
    freq = rng.choice(FREQ)
    dur = rng.choice(DUR)
    group = rng.choice(GROUP_SIZES) if group_activity else rng.choice(INDIVIDUAL)
    hedge_what = ""
    if not specified:
        kinds = ["who", "freq", "dur", "group", "hedge_freq", "hedge_dur", "hedge_what"]
        faults = rng.sample(kinds, k=rng.choice([1, 1, 1, 2, 2, 3]))
        if group_activity and rng.random() < 0.4:
            faults = ["group", *faults]
        for fault in dict.fromkeys(faults):
            if fault == "who":
                who = rng.choice(GENERIC_WHO + [None, None])
                reasons.add("no_deliverer")
            elif fault == "freq":
                freq = None
                reasons.add("no_frequency")
            elif fault == "dur":
                dur = None
                reasons.add("no_duration_or_amount")
            elif fault == "group":
                if group_activity:
                    group = rng.choice(BARE_GROUP)
                    reasons.add("no_group_size")
                else:
                    freq = None
                    reasons.add("no_frequency")
            elif fault == "hedge_freq":
                freq = _freq_hedge(rng)
                reasons.update({"hedged_wording", "no_frequency"})
            elif fault == "hedge_dur":
                dur = (_dur_hedge(rng), "hedge")
                reasons.add("hedged_wording")
            elif fault == "hedge_what":
                hedge_what = rng.choice(
                    [
                        "access to ",
                        "opportunities for ",
                        "support such as ",
                        "would benefit from ",
                        "",
                        "",
                    ]
                )
                if not hedge_what:
                    what = what + rng.choice(
                        [" or equivalent", " as appropriate", " where possible", " if needed"]
                    )
                reasons.add("hedged_wording")
    style = rng.choice(
        ["sentence", "passive", "table_row", "fragment", "first_person", "sentence", "table_row"]
    )
    if section in ("G", "H1", "H2") and style == "first_person":
        style = "sentence"
    text = render(rng, style, name, what, hedge_what, who, freq, dur, group, group_activity)
    text += rng.choice(REVIEW) if style in ("sentence", "passive", "first_person") else ""
    label = "weak" if reasons else "specified"
    return {
        "text": text,
        "label": label,
        "reasons": ";".join(sorted(reasons)),
        "section": section,
        "need_area": area,
        "style": style,
    }


def _cap(text):
    return text[:1].upper() + text[1:]


def render(rng, style, name, what, hedge_what, who, freq, dur, group, group_activity):
    dur_sentence = dur[0] if dur else ""
    dur_table = dur[1] if dur and dur[1] != "hedge" else (dur[0] if dur else "")
    if hedge_what == "would benefit from ":
        opening = f"{name} would benefit from {what}"
    else:
        opening = f"{name} will receive {hedge_what}{what}"
    if style == "sentence":
        parts = [opening]
        if group:
            parts.append(group)
        if who:
            parts.append(f"delivered by {who}")
        tail = " ".join(p for p in (freq, dur_sentence) if p)
        body = ", ".join(parts) + (f", {tail}" if tail else "")
        return body + "."
    if style == "passive":
        head = (
            _cap(f"{hedge_what}{what}")
            if hedge_what and hedge_what != "would benefit from "
            else _cap(what)
        )
        verb = "should be provided" if hedge_what == "would benefit from " else "will be provided"
        bits = [f"{head} {verb}"]
        if freq:
            bits.append(freq)
        if who:
            bits.append(f"by {who}")
        if group:
            bits.append(group)
        if dur_sentence:
            bits.append(
                dur_sentence.replace("for ", "in sessions of ", 1)
                if dur_sentence.startswith("for ") and rng.random() < 0.5
                else dur_sentence
            )
        return " ".join(bits) + "."
    if style == "table_row":
        head = (
            _cap(f"{hedge_what}{what}")
            if hedge_what != "would benefit from "
            else _cap(f"would benefit from {what}")
        )
        fields = [head]
        if who:
            fields.append(f"{rng.choice(['Who', 'Delivered by', 'Staff'])}: {who}")
        if freq:
            fields.append(f"{rng.choice(['How often', 'Frequency', 'When'])}: {freq}")
        if dur_table:
            fields.append(f"{rng.choice(['Duration', 'How long', 'Amount'])}: {dur_table}")
        if group:
            fields.append(f"{rng.choice(['Group size', 'Ratio', 'Grouping'])}: {group}")
        return "; ".join(fields)
    if style == "fragment":
        lead = _cap(freq) if freq else ""
        amount = dur_table
        core = (
            f"{hedge_what}{what}"
            if hedge_what != "would benefit from "
            else f"would benefit from {what}"
        )
        pieces = [p for p in (lead, amount and f"{amount} of", core) if p]
        text = " ".join(pieces)
        if who:
            text += f" with {who}"
        if group:
            text += f" ({group})"
        return _cap(text)
    # first person
    core = f"{hedge_what}{what}" if hedge_what != "would benefit from " else what
    lead = "I would benefit from" if hedge_what == "would benefit from " else "I will have"
    text = f"{lead} {core}"
    if who:
        text += f" with {who}"
    if group:
        text += f" {group}"
    tail = " ".join(p for p in (freq, dur_sentence) if p)
    return text + (f", {tail}" if tail else "") + "."


NOT_PROVISION = [
    (
        "communication_interaction",
        "{n} will be able to ask for help using a three-word phrase in 4 out of 5 lessons.",
    ),
    (
        "communication_interaction",
        "{n} has difficulty understanding instructions with more than two key words.",
    ),
    (
        "communication_interaction",
        "{n} finds it hard to join in conversations at break time and plays alone.",
    ),
    (
        "communication_interaction",
        "By the end of Year 4, {n} will start a conversation with a peer twice a day.",
    ),
    ("cognition_learning", "{n} will read 60 words per minute by the end of Key Stage 2."),
    (
        "cognition_learning",
        "{n} is working well below age-related expectations in reading and writing.",
    ),
    (
        "cognition_learning",
        "{n} struggles to remember number facts and needs to develop his recall.",
    ),
    (
        "cognition_learning",
        "{n} will make progress in maths with support from a teaching assistant.",
    ),
    (
        "cognition_learning",
        "{n} will improve her spelling of common words, checked weekly by the class teacher.",
    ),
    ("semh", "{n} becomes anxious at transitions and may leave the classroom without permission."),
    ("semh", "{n} will manage his feelings and stay in class for the whole of each lesson."),
    ("semh", "{n} presents with low self-esteem and a diagnosis of anxiety."),
    ("semh", "With a named adult, {n} will use her calm-down plan on 3 out of 4 occasions."),
    ("semh", "{n} needs to learn to share resources with other children in a group of four."),
    (
        "sensory_physical",
        "{n} will walk between lessons with his frame, daily, without adult help.",
    ),
    ("sensory_physical", "{n} has a moderate hearing loss and wears bilateral hearing aids."),
    (
        "sensory_physical",
        "{n} finds it difficult to hold a pencil and tires after 10 minutes of writing.",
    ),
    (
        "sensory_physical",
        "{n} will be able to dress herself for PE within 10 minutes by the summer term.",
    ),
    (
        "cognition_learning",
        "{n} will travel to college on the bus independently by the end of Year 12.",
    ),
    ("semh", "{n} needs a calm and predictable environment to feel safe."),
]


FREEHAND = [
    # (text, label, reasons, section, area) -- written and judged one by one
    (
        "Access to a quiet area when required.",
        "weak",
        "hedged_wording;no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "semh",
    ),
    (
        "Regular opportunities to work with peers.",
        "weak",
        "hedged_wording;no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "communication_interaction",
    ),
    (
        "Support from an adult as needed throughout the school day.",
        "weak",
        "hedged_wording;no_deliverer;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "Speech and language therapy input.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "communication_interaction",
    ),
    (
        "Up to 10 hours of 1:1 support per week.",
        "weak",
        "hedged_wording;no_deliverer",
        "F",
        "cognition_learning",
    ),
    (
        "A small group intervention for literacy.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency;no_group_size",
        "F",
        "cognition_learning",
    ),
    (
        "Band 3 top-up funding.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "OT advice to be incorporated into the school day.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "sensory_physical",
    ),
    (
        "Access arrangements in all internal and external exams: 25% extra time and a reader, arranged by the exams officer and the SENCo.",
        "specified",
        "",
        "F",
        "cognition_learning",
    ),
    (
        "A teaching assistant trained in Lego therapy will run a group of three pupils, including Sami, every Tuesday and Thursday for 40 minutes.",
        "specified",
        "",
        "F",
        "communication_interaction",
    ),
    (
        "The SENCo will decide how much support Darcy needs each term.",
        "weak",
        "hedged_wording;no_duration_or_amount",
        "F",
        "cognition_learning",
    ),
    (
        "Twenty minutes of precision teaching, five days a week, from a TA trained by the educational psychologist.",
        "specified",
        "",
        "F",
        "cognition_learning",
    ),
    (
        "A speech and language therapist will see Hana for six 45-minute sessions each term and write a programme that her TA delivers daily for 15 minutes.",
        "specified",
        "",
        "F",
        "communication_interaction",
    ),
    (
        "Hana would benefit from speech and language therapy.",
        "weak",
        "hedged_wording;no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "communication_interaction",
    ),
    (
        "Staff to be aware of Callum's needs.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "semh",
    ),
    (
        "All staff who teach Callum will receive a 1-hour briefing from the autism outreach teacher at the start of each term.",
        "specified",
        "",
        "F",
        "communication_interaction",
    ),
    (
        "A differentiated curriculum.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "Opportunities for movement breaks.",
        "weak",
        "hedged_wording;no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "sensory_physical",
    ),
    (
        "A five-minute movement break led by his TA after every 20 minutes of desk work.",
        "specified",
        "",
        "F",
        "sensory_physical",
    ),
    (
        "Use of a laptop for extended writing, checked and charged daily by the form tutor; touch-typing tuition for 15 minutes three times a week with the learning support assistant.",
        "specified",
        "",
        "F",
        "cognition_learning",
    ),
    (
        "Use of a laptop for writing.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "A named adult will meet Nia at the school gate every morning at 8:40 and stay with her for 10 minutes while she settles.",
        "specified",
        "",
        "F",
        "semh",
    ),
    (
        "Nia will be met at the gate.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "semh",
    ),
    (
        "Physiotherapy as advised by the physiotherapist.",
        "weak",
        "hedged_wording;no_duration_or_amount;no_frequency",
        "G",
        "sensory_physical",
    ),
    (
        "The NHS physiotherapist will visit school once every half term for one hour to review Oscar's programme and train two named TAs, who deliver his 20-minute stretches each day.",
        "specified",
        "",
        "G",
        "sensory_physical",
    ),
    (
        "Overnight short breaks: two nights a month at the residential unit, with staff trained in epilepsy care, 1:2 ratio.",
        "specified",
        "",
        "H1",
        "semh",
    ),
    (
        "Short breaks to be arranged by social care.",
        "weak",
        "no_duration_or_amount;no_frequency",
        "H1",
        "semh",
    ),
    (
        "A personal assistant for 6 hours every Saturday to support Milo to attend a local football club.",
        "specified",
        "",
        "H2",
        "semh",
    ),
    (
        "Milo may be able to attend a club at weekends.",
        "weak",
        "hedged_wording;no_deliverer;no_duration_or_amount",
        "H2",
        "semh",
    ),
    (
        "Counselling sessions.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "semh",
    ),
    (
        "Weekly 50-minute sessions with a BACP-registered school counsellor for a block of 12 weeks, then reviewed with Freya.",
        "specified",
        "",
        "F",
        "semh",
    ),
    (
        "Some 1:1 reading each week.",
        "weak",
        "hedged_wording;no_deliverer;no_duration_or_amount",
        "F",
        "cognition_learning",
    ),
    (
        "Reading with an adult for 10 minutes.",
        "weak",
        "no_deliverer;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "Daily 10-minute reading with his class teacher, 1:1.",
        "specified",
        "",
        "F",
        "cognition_learning",
    ),
    (
        "Support to develop friendships.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "semh",
    ),
    (
        "A lunchtime friendship club for a group of no more than six, run by the learning mentor on Wednesdays for 30 minutes.",
        "specified",
        "",
        "F",
        "semh",
    ),
    (
        "A lunchtime club run by the learning mentor on Wednesdays for 30 minutes.",
        "weak",
        "no_group_size",
        "F",
        "semh",
    ),
    (
        "Radio aid to be used in all lessons; the teacher of the deaf visits twice a term for an hour to check it and advise staff.",
        "specified",
        "",
        "F",
        "sensory_physical",
    ),
    (
        "Advice from the sensory support service.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "sensory_physical",
    ),
    (
        "Enlarged print materials.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "sensory_physical",
    ),
    (
        "A specialist placement.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "32.5 hours a week in a class of no more than eight pupils, taught by a qualified teacher with two teaching assistants.",
        "specified",
        "",
        "F",
        "cognition_learning",
    ),
    (
        "Class of 8 pupils.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "Travel training with an independent travel trainer, three mornings a week for 6 weeks, one-to-one.",
        "specified",
        "",
        "H2",
        "cognition_learning",
    ),
    (
        "Travel training to be considered.",
        "weak",
        "hedged_wording;no_deliverer;no_duration_or_amount;no_frequency",
        "H2",
        "cognition_learning",
    ),
    (
        "Job coach support on placement as required.",
        "weak",
        "hedged_wording;no_duration_or_amount;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "A job coach with Kofi on his internship placement for the first two hours of each shift, three shifts a week, reducing after the first term as agreed at review.",
        "specified",
        "",
        "F",
        "cognition_learning",
    ),
    (
        "Sensory diet.",
        "weak",
        "no_deliverer;no_duration_or_amount;no_frequency",
        "F",
        "sensory_physical",
    ),
    (
        "A sensory diet written by the occupational therapist, delivered by his TA in three 10-minute blocks each day (on arrival, after lunch, before home time).",
        "specified",
        "",
        "F",
        "sensory_physical",
    ),
    (
        "Tia has a diagnosis of autism and needs a predictable routine.",
        "weak",
        "not_provision",
        "F",
        "communication_interaction",
    ),
    (
        "Tia will use her visual timetable to move between activities.",
        "weak",
        "not_provision",
        "F",
        "communication_interaction",
    ),
    (
        "A visual timetable made by the class teacher and gone through with Tia at the start of every morning and after lunch, 5 minutes each time.",
        "specified",
        "",
        "F",
        "communication_interaction",
    ),
    (
        "Monitoring of Zara's epilepsy by the school nurse.",
        "weak",
        "no_duration_or_amount;no_frequency",
        "G",
        "sensory_physical",
    ),
    (
        "Two members of staff trained by the epilepsy nurse in giving buccal midazolam will be on site whenever Zara is in school; training refreshed every year.",
        "specified",
        "",
        "G",
        "sensory_physical",
    ),
    (
        "Input from the educational psychologist.",
        "weak",
        "no_duration_or_amount;no_frequency",
        "F",
        "cognition_learning",
    ),
    (
        "The educational psychologist will observe Priya and consult with staff for two hours each term.",
        "specified",
        "",
        "F",
        "cognition_learning",
    ),
    ("An ELSA programme.", "weak", "no_deliverer;no_duration_or_amount;no_frequency", "F", "semh"),
    ("Weekly ELSA sessions.", "weak", "no_deliverer;no_duration_or_amount", "F", "semh"),
    (
        "An ELSA-trained TA will work with Rosa individually for 30 minutes every Monday for a block of eight weeks.",
        "specified",
        "",
        "F",
        "semh",
    ),
    (
        "Use of a writing slope, pencil grip and wide-lined paper in every writing lesson, set out by the class teacher following OT advice; checked each half term by the OT.",
        "specified",
        "",
        "F",
        "sensory_physical",
    ),
]


_SPELLED = {
    "1": "one",
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "8": "eight",
    "10": "ten",
    "12": "twelve",
    "15": "fifteen",
    "20": "twenty",
    "30": "thirty",
    "40": "forty",
    "45": "forty-five",
    "50": "fifty",
    "60": "sixty",
}


def spell_numbers(text):
    """Numbers in words, as many writers put them ("twenty minutes", "one-to-one")."""
    text = re.sub(r"\b1:1\b", "one-to-one", text)
    text = re.sub(
        r"\b(\d):(\d)\b",
        lambda m: (
            f"one adult to {_SPELLED.get(m.group(2), m.group(2))} pupils"
            if m.group(1) == "1"
            else m.group(0)
        ),
        text,
    )
    text = re.sub(r"\b5 x per week\b", "five times a week", text)
    text = re.sub(
        r"\b(\d+)-(\d+)\b",
        lambda m: (
            f"{_SPELLED.get(m.group(1), m.group(1))} to {_SPELLED.get(m.group(2), m.group(2))}"
        ),
        text,
    )
    return re.sub(r"\b\d+\b", lambda m: _SPELLED.get(m.group(0), m.group(0)), text)


def compose():
    rng = random.Random(SEED)
    rows, seen = [], set()
    while len(rows) < 760:
        row = build_item(rng, len(rows))
        if rng.random() < 0.4:
            row["text"] = spell_numbers(row["text"])
        key = re.sub(r"\W+", " ", row["text"].lower()).strip()
        if key not in seen:
            seen.add(key)
            rows.append(row)
    for index in range(90):
        area, template = NOT_PROVISION[index % len(NOT_PROVISION)]
        name = NAMES[(index * 7) % len(NAMES)]
        text = template.format(n=name)
        key = re.sub(r"\W+", " ", text.lower()).strip()
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "text": text,
                "label": "weak",
                "reasons": "not_provision",
                "section": "F",
                "need_area": area,
                "style": "outcome_or_need",
            }
        )
    for text, label, reasons, section, area in FREEHAND:
        rows.append(
            {
                "text": text,
                "label": label,
                "reasons": reasons,
                "section": section,
                "need_area": area,
                "style": "freehand",
            }
        )
    with open(HERE / "provision.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=[
                "id",
                "text",
                "label",
                "reasons",
                "section",
                "need_area",
                "style",
                "source",
            ],
        )
        writer.writeheader()
        for number, row in enumerate(rows, start=1):
            writer.writerow({"id": f"pv{number:04d}", **row, "source": "written"})
    return rows


if __name__ == "__main__":
    rows = compose()
    print(f"wrote {len(rows)} items")
