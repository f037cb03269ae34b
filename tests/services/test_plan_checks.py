"""Provision verdicts and the golden thread on the real path: a Word plan read and
imported, then stored, flagged and re-checked."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from qa_app.classifier.provision import load_provision_model
from qa_app.ingest import read_plan
from qa_app.services.access import Actor
from qa_app.services.flags import flag_all_plans
from qa_app.services.plan_checks import stored_thread, thread_of_reading
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.settings import Settings
from qa_app.store.models import Plan, ProvisionItem, ThreadGap
from tests.ingest.plan_builder import build_docx

LEAD = Actor(user_id=None, display_name="Lead", roles=frozenset({"qa_lead"}))

PLAN = [
    ("heading", 1, "Section B: Special educational needs"),
    ("para", "Sam has delayed expressive language and speaks in two-word phrases."),
    ("para", "Sam becomes anxious when routines change and runs out of class."),
    ("heading", 1, "Section E: Outcomes"),
    (
        "bullet",
        "By July 2027, Sam will use four-word sentences to ask an adult for help in 4 of 5 lessons.",
    ),
    (
        "bullet",
        "By July 2027, Sam will use his calm-down plan to return to class within ten minutes.",
    ),
    ("heading", 1, "Section F: Special educational provision"),
    (
        "table",
        [
            ["Provision", "Who", "How often"],
            [
                "Speech and language therapy to build expressive vocabulary, 30 minutes 1:1",
                "Speech and language therapist",
                "Weekly",
            ],
            ["Access to a quiet room as required", "Staff", "When needed"],
        ],
    ),
]


def read(items, name="plan.docx"):
    return read_plan(build_docx(items), name, date(2026, 3, 1))


def test_import_stores_each_provision_verdict_and_the_thread(session):
    parsed = read(PLAN)
    plan = import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed, year_group=5))
    session.commit()
    stored = session.scalar(select(Plan).where(Plan.id == plan.id))
    items = sorted(stored.provision, key=lambda item: item.position)
    assert [item.weak for item in items] == [False, True]
    assert "hedged_wording" in items[1].reasons.split(";")
    assert all(item.model_version == load_provision_model().version for item in items)
    assert items[0].area == "communication_interaction"
    thread = stored_thread(stored)
    assert thread["needs"] == ["communication_interaction", "semh"]
    assert thread["links"][0] == {
        "outcome": 0,
        "area": "communication_interaction",
        "provision": [0],
    }
    assert thread["links"][1]["area"] == "semh"
    gaps = session.scalars(select(ThreadGap).where(ThreadGap.plan_id == plan.id)).all()
    assert [(gap.kind, gap.area) for gap in gaps] == [
        (g["kind"], g["area"] or None) for g in thread["gaps"]
    ]
    assert "provision items vague" in stored.weak_flag_reason
    assert "golden-thread gap" in stored.weak_flag_reason


def test_the_provision_and_thread_thresholds_flag_a_plan_on_their_own(session):
    parsed = read(PLAN)
    lenient = Settings(
        weak_share_threshold=1.0,
        weak_mean_p_threshold=1.0,
        min_outcomes=0,
        provision_weak_share_threshold=1.0,
        thread_gap_threshold=99,
    )
    plan = import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed), settings=lenient)
    assert plan.weak_flag is False
    strict = replace(lenient, provision_weak_share_threshold=0.5)
    flag_all_plans(session, settings=strict)
    assert plan.weak_flag is True
    assert "vague share reaches 50%" in plan.weak_flag_reason
    by_gaps = replace(lenient, thread_gap_threshold=1)
    flag_all_plans(session, settings=by_gaps)
    assert plan.weak_flag is (len(stored_thread(plan)["gaps"]) >= 1)


def test_no_section_f_an_empty_b_and_a_headerless_provision_table_read_and_name_the_gaps(session):
    no_f = read(PLAN[:6])
    thread = thread_of_reading(no_f).to_json()
    assert {g["kind"] for g in thread["gaps"]} >= {
        "need_without_provision",
        "outcome_without_provision",
    }
    assert any("no provision section" in g["detail"] for g in thread["gaps"])

    empty_b = read([("heading", 1, "Section B: Special educational needs"), *PLAN[3:]])
    thread = thread_of_reading(empty_b).to_json()
    assert thread["needs"] == []
    assert any(
        g["kind"] == "provision_without_need" and "section B" in g["detail"] for g in thread["gaps"]
    )

    headerless = read(
        [
            *PLAN[:6],
            ("heading", 1, "Section F: Special educational provision"),
            (
                "table",
                [
                    ["Daily 20-minute phonics with a trained TA, 1:1", "Class teacher"],
                    ["Weekly ELSA session, 30 minutes, with the ELSA", "ELSA"],
                ],
            ),
        ]
    )
    plan = import_plan(session, LEAD, headerless, PlanDetails.from_parsed(headerless))
    assert len(plan.provision) == 2 and all(item.model_version for item in plan.provision)
    assert json.loads(plan.thread)["links"]


def test_ingest_json_and_import_give_the_same_thread(session):
    parsed = read(PLAN)
    plan = import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed))
    assert stored_thread(plan) == thread_of_reading(parsed).to_json()
    assert session.scalar(
        select(ProvisionItem.area).where(
            ProvisionItem.plan_id == plan.id, ProvisionItem.position == 0
        )
    )


def test_the_national_templates_numbered_links_are_the_thread(session):
    from tests.ingest.plan_layouts import national_template

    parsed = read(national_template().items, "national.docx")
    plan = import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed))
    thread = stored_thread(plan)
    by_link = {}
    for index, item in enumerate(parsed.provision):
        by_link.setdefault(item.link, []).append(index)
    assert [link["provision"] for link in thread["links"]] == [
        by_link[o.link] for o in parsed.outcomes
    ]
    assert thread["needs"] and thread["gaps"] == []


def test_demo_plans_have_vague_and_specified_provision_and_some_broken_threads(session):
    from qa_app.services.demo import seed_demo

    seed_demo(session, LEAD, plans=30, seed=3, months=3)
    plans = session.scalars(select(Plan)).all()
    verdicts = [item.weak for plan in plans for item in plan.provision]
    assert True in verdicts and False in verdicts
    gaps = [len(stored_thread(plan)["gaps"]) for plan in plans]
    assert any(gaps) and 0 < sum(bool(g) for g in gaps) <= len(plans)
    assert min(gaps) < max(gaps)
