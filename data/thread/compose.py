"""Compose the labelled golden-thread set (plans.jsonl) from hand-written pools.

Run from the project root: ``python data/thread/compose.py`` (fixed seed). Each plan is
built from needs, outcomes and provision chosen per area of need, with some parts left
out or added on purpose, so its true links and gaps are known from how it was built, not
from the linker. Layouts: needs under area headings or not; outcomes with or without an
area; provision as a plain list, as table rows, or under a generic heading; the national
template's numbered need/outcome/provision links; Year 9+ plans with and without
Preparing for Adulthood outcomes. See README.md.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261202
AREAS = ("communication_interaction", "cognition_learning", "semh", "sensory_physical")
HEADINGS = {
    "communication_interaction": "Communication and interaction",
    "cognition_learning": "Cognition and learning",
    "semh": "Social, emotional and mental health",
    "sensory_physical": "Sensory and/or physical",
}

NEEDS = {
    "communication_interaction": [
        "{n} understands short instructions but loses the thread when more than two key words are used.",
        "{n} is autistic; {p} rarely starts an interaction with other children and prefers to play alone.",
        "{n}'s speech is hard for unfamiliar adults to understand and {p} often gives up when not understood.",
        "{n} uses single words and a few signs to make requests and does not yet join words together.",
        "{n} finds back-and-forth conversation difficult and talks at length about trains.",
    ],
    "cognition_learning": [
        "{n} is reading at a level about three years below age expectations and guesses unfamiliar words.",
        "{n} has a diagnosis of dyslexia; spelling of common words is inconsistent.",
        "{n} can count to 10 but does not yet understand that the last number counted is the total.",
        "{n} struggles to hold information in working memory and forgets multi-step tasks.",
        "{n} has a moderate learning difficulty and is working well below peers in maths and English.",
    ],
    "semh": [
        "{n} becomes anxious when routines change and may run out of the classroom.",
        "{n} has low self-esteem and says {p} is stupid when a task is hard.",
        "{n} finds it hard to manage anger at unstructured times and has hurt other children at lunchtime.",
        "{n} has experienced trauma and finds it hard to trust new adults.",
        "{n} has been refusing to attend school since Year 8 because of worry about being with other pupils.",
    ],
    "sensory_physical": [
        "{n} has a moderate bilateral hearing loss and wears hearing aids.",
        "{n} has cerebral palsy affecting both legs and walks short distances with a frame.",
        "{n} has weak fine motor control; handwriting is slow, large and tiring.",
        "{n} has a visual impairment and needs print enlarged to N24 to read.",
        "{n} is over-sensitive to noise and covers {q} ears in the dining hall.",
    ],
}
OUTCOMES = {
    "communication_interaction": [
        "By the end of Year {y}, {n} will follow a three-part instruction in class on 4 out of 5 occasions.",
        "{n} will start a game with a classmate at least twice a week by the summer term.",
        "{n} will join two words together to ask for things, ten times a day, by the end of the year.",
        "By July, {n} will take four turns in a conversation on a topic chosen by someone else.",
    ],
    "cognition_learning": [
        "{n} will read a book at the next colour band with 90% accuracy by the end of Key Stage {k}.",
        "By the end of the year {n} will spell 80 of the first 100 common words correctly.",
        "{n} will count out up to 20 objects and say how many there are, without help, by Easter.",
        "{n} will complete a three-step task using a checklist, without reminders, by the end of term.",
    ],
    "semh": [
        "{n} will use {q} calm-down plan to return to class within ten minutes on 4 out of 5 occasions by July.",
        "By the end of the year, {n} will say one thing {p} did well after each lesson.",
        "{n} will play at lunchtime without hurting others for four weeks in a row by the spring term.",
        "{n} will attend school for 90% of sessions by the end of the autumn term.",
    ],
    "sensory_physical": [
        "{n} will check {q} hearing aids are working each morning and tell an adult if not, by the end of term.",
        "{n} will walk from the classroom to the hall with {q} frame, without stopping, by July.",
        "By the end of the year {n} will write a three-sentence paragraph legibly in 15 minutes.",
        "{n} will find {q} way around the school site on {q} own using tactile markers by Christmas.",
    ],
}
PFA_OUTCOMES = [
    (
        "employment",
        "By the end of Year {y}, {n} will complete a one-week work experience placement in a café, arriving on time every day.",
    ),
    ("employment", "{n} will enrol on an entry-level catering course at college by September."),
    (
        "independent_living",
        "{n} will travel to college by bus on {q} own three days a week by the end of Year {y}.",
    ),
    ("independent_living", "{n} will cook a simple meal for the family once a week by the summer."),
    (
        "community_inclusion",
        "{n} will attend a youth club with a friend every fortnight by the spring.",
    ),
    ("health", "{n} will book {q} own GP appointment with a prompt card by the end of the year."),
]
PROVISION = {
    "communication_interaction": [
        "Speech and language therapist: assessment and a programme reviewed each half term; programme delivered by a trained TA for 20 minutes three times a week.",
        "Daily 15-minute Attention Autism group (four children) led by the specialist teacher.",
        "A TA trained in Makaton will model signs with spoken words throughout each lesson.",
        "Weekly 30-minute social communication group with two peers, run by an ELKLAN-trained teaching assistant.",
        "Key vocabulary for each new topic pre-taught 1:1 by the class TA for ten minutes before the lesson.",
    ],
    "cognition_learning": [
        "A structured phonics programme delivered 1:1 by a trained TA, 20 minutes every day.",
        "Precision teaching of sight words for 10 minutes daily by the HLTA.",
        "Maths taught in a group of six with concrete apparatus, five lessons a week, by a qualified teacher.",
        "A specialist dyslexia teacher (AMBDA) will teach spelling strategies for one hour a week.",
        "Tasks broken into steps on a written checklist by the class teacher for every independent task.",
    ],
    "semh": [
        "A named key adult will check in with {n} for 10 minutes on arrival each day.",
        "ELSA sessions, 30 minutes weekly for 8 weeks, with the school's trained ELSA.",
        "A personalised calm-down plan with a quiet space, reviewed each half term by the SENCo.",
        "A structured lunchtime club (group of five) run by the learning mentor every day.",
        "CAMHS cognitive behavioural therapy, 12 weekly sessions with a clinical psychologist.",
    ],
    "sensory_physical": [
        "Radio aid worn in all lessons; the qualified teacher of the deaf visits twice a term for an hour.",
        "Physiotherapy programme of stretches, 20 minutes daily, delivered by two trained TAs.",
        "Occupational therapist's fine motor programme, 15 minutes three times a week with a TA.",
        "All printed materials enlarged to N24 bold by the TA before each lesson.",
        "Ear defenders and a quiet place to eat lunch, set up by the lunchtime supervisor every day.",
    ],
}
PFA_PROVISION = {
    "employment": "Careers adviser: two 45-minute guidance meetings a term and a supported college visit.",
    "independent_living": "Independent travel trainer, 1:1, three mornings a week for six weeks.",
    "community_inclusion": "A personal assistant for four hours on Saturdays to attend a community club.",
    "health": "School nurse: termly 30-minute sessions on managing appointments and medication.",
}
GENERIC_PROVISION = [
    "25 hours a week of 1:1 teaching assistant support across the school day.",
    "A place in a class of no more than ten pupils with a teacher and two assistants.",
]
NAMES = [
    ("Amir", "he", "his"),
    ("Bea", "she", "her"),
    ("Callum", "he", "his"),
    ("Darcy", "she", "her"),
    ("Eli", "he", "his"),
    ("Freya", "she", "her"),
    ("Kofi", "he", "his"),
    ("Lena", "she", "her"),
    ("Nia", "she", "her"),
    ("Oscar", "he", "his"),
    ("Rosa", "she", "her"),
    ("Sami", "they", "their"),
]
LAYOUTS = [
    "headed",
    "plain",
    "table_rows",
    "national",
    "generic_heading",
    "headed",
    "plain",
    "national",
]


def compose_plan(rng, number):
    """One plan's needs, outcomes and provision, each part carrying its true area."""
    layout = LAYOUTS[number % len(LAYOUTS)]
    name, pronoun, possessive = rng.choice(NAMES)
    year = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    fill = {"n": name, "p": pronoun, "q": possessive, "y": year, "k": 1 if year <= 2 else 2}
    areas = rng.sample(AREAS, rng.choice([1, 2, 2, 3, 3, 4]))
    headed = layout in ("headed", "national")
    needs, outcomes, provision = [], [], []
    for index, area in enumerate(areas, start=1):
        link = f"{HEADINGS[area]} {index}" if layout == "national" else ""
        heading = HEADINGS[area] if headed else ""
        for text in rng.sample(NEEDS[area], rng.choice([1, 2])):
            needs.append(
                {"text": text.format(**fill), "heading": heading, "link": link, "area": area}
            )
        # Faults on purpose: an area with no outcome, or with no provision.
        if rng.random() >= 0.15:
            for text in rng.sample(OUTCOMES[area], rng.choice([1, 1, 2])):
                outcomes.append(
                    {
                        "text": text.format(**fill),
                        "heading": heading,
                        "link": link,
                        "area": area,
                        "pfa": "",
                    }
                )
        if rng.random() >= 0.15:
            for text in rng.sample(PROVISION[area], rng.choice([1, 2, 2, 3])):
                provision.append(
                    {"text": text.format(**fill), "link": link, "area": area, "pfa": ""}
                )
    others = [a for a in AREAS if a not in areas]
    if others and rng.random() < 0.2:  # provision for a need the plan does not describe
        area = rng.choice(others)
        provision.append(
            {
                "text": rng.choice(PROVISION[area]).format(**fill),
                "link": "",
                "area": area,
                "pfa": "",
            }
        )
    if year >= 9 and rng.random() < 0.7:
        domain, text = rng.choice(PFA_OUTCOMES)
        outcomes.append(
            {
                "text": text.format(**fill),
                "heading": "Preparing for adulthood",
                "link": "",
                "area": "",
                "pfa": domain,
            }
        )
        if rng.random() < 0.7:
            provision.append({"text": PFA_PROVISION[domain], "link": "", "area": "", "pfa": domain})
    if layout == "table_rows":
        for item in provision:
            item["text"] = item["text"].replace(", ", "; ", 1)
    if layout == "generic_heading":
        for item in provision:
            item["heading"] = "Provision"
    rng.shuffle(provision)
    return layout, year, needs, outcomes, provision


def gold_for(needs, outcomes, provision, year):
    need_areas = [a for a in AREAS if any(n["area"] == a for n in needs)]
    links = []
    for i, outcome in enumerate(outcomes):
        if outcome["area"]:
            served = [j for j, item in enumerate(provision) if item["area"] == outcome["area"]]
        else:
            served = [
                j
                for j, item in enumerate(provision)
                if not item["area"] and item["pfa"] == outcome["pfa"]
            ]
        links.append({"outcome": i, "area": outcome["area"], "provision": served})
    gaps = []
    for area in need_areas:
        if not any(o["area"] == area for o in outcomes):
            gaps.append({"kind": "need_without_outcome", "area": area})
        if not any(p["area"] == area for p in provision):
            gaps.append({"kind": "need_without_provision", "area": area})
    for link in links:
        if not link["provision"]:
            gaps.append(
                {
                    "kind": "outcome_without_provision",
                    "area": link["area"],
                    "outcome": link["outcome"],
                }
            )
    served = {j for link in links for j in link["provision"]}
    for j, item in enumerate(provision):
        if item["area"] and item["area"] not in need_areas:
            gaps.append({"kind": "provision_without_need", "area": item["area"], "provision": j})
        elif not item["area"] and j not in served:
            gaps.append({"kind": "provision_without_need", "area": "", "provision": j})
    if year >= 9 and not any(o["pfa"] for o in outcomes):
        gaps.append({"kind": "no_preparing_for_adulthood_outcome", "area": ""})
    return {
        "needs": need_areas,
        "links": links,
        "gaps": gaps,
        "provision_areas": [p["area"] for p in provision],
    }


def compose():
    rng = random.Random(SEED)
    plans = []
    for number in range(72):
        layout, year, needs, outcomes, provision = compose_plan(rng, number)
        no_f = number in (68, 69)
        if no_f:  # bad input: no section F at all
            provision = []
        if number in (70, 71):  # bad input: an empty section B
            needs = []
        sections = {
            "B": "\n".join((f"{n['heading']}\n" if n["heading"] else "") + n["text"] for n in needs)
        }
        plans.append(
            {
                "id": f"th{number + 1:03d}",
                "layout": layout,
                "source": "written",
                "year_group": year,
                "has_provision_section": not no_f,
                "sections": sections,
                "needs": [
                    {"text": n["text"], "heading": n["heading"], "link": n["link"]} for n in needs
                ],
                "outcomes": [
                    {"text": o["text"], "heading": o["heading"], "link": o["link"]}
                    for o in outcomes
                ],
                "provision": [
                    {
                        "text": p["text"],
                        "section": "F",
                        "heading": p.get("heading", ""),
                        "link": p["link"],
                    }
                    for p in provision
                ],
                "gold": gold_for(needs, outcomes, provision, year),
            }
        )
    with open(HERE / "plans.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(plan, ensure_ascii=False) + "\n" for plan in plans)
    return plans


if __name__ == "__main__":
    print(f"wrote {len(compose())} plans")
