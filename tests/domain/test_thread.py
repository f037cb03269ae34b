"""The golden-thread linker: areas by meaning, links, explicit numbered links, gaps, and
its measured figures on the labelled thread set."""

from __future__ import annotations

from qa_app.classifier.thread_set import evaluate_thread_set, load_thread_set
from qa_app.domain.thread import (
    GAP_KINDS,
    NeedText,
    ThreadOutcome,
    ThreadProvision,
    area_of,
    build_thread,
    split_needs,
)

NEEDS_B = (
    "Amir has delayed expressive language and uses two-word phrases.\n"
    "He becomes anxious when routines change and hides under tables."
)


def kinds(thread):
    return [(gap.kind, gap.area) for gap in thread.gaps]


def test_areas_come_from_meaning_not_headings():
    assert area_of("Speech and language therapy, 30 minutes weekly") == "communication_interaction"
    assert area_of("A personalised calm-down plan with a quiet space") == "semh"
    assert area_of("Daily phonics with a trained TA") == "cognition_learning"
    assert area_of("Physiotherapy stretches every morning") == "sensory_physical"
    assert area_of("Twenty-five hours a week of support") == ""


def test_provision_without_area_labels_is_linked_to_the_outcomes_it_serves():
    thread = build_thread(
        split_needs(NEEDS_B),
        [
            ThreadOutcome("By July Amir will use four-word sentences to ask for help."),
            ThreadOutcome("Amir will use his calm box to regulate within five minutes."),
        ],
        [
            ThreadProvision("Speech and language therapist, 30 minutes weekly 1:1."),
            ThreadProvision("A calm-down plan and a quiet room, reviewed termly by the SENCo."),
        ],
        year_group=3,
    )
    assert thread.needs == ("communication_interaction", "semh")
    assert [(link.outcome, link.area, link.provision) for link in thread.links] == [
        (0, "communication_interaction", (0,)),
        (1, "semh", (1,)),
    ]
    assert thread.gaps == ()


def test_every_gap_kind_is_named():
    thread = build_thread(
        split_needs(NEEDS_B + "\nHe has weak fine motor control and his handwriting is slow."),
        [
            ThreadOutcome("By July Amir will use four-word sentences to ask for help."),
            ThreadOutcome("Amir will read 40 common words by Easter."),
        ],
        [
            ThreadProvision("Speech and language therapist, 30 minutes weekly 1:1."),
            ThreadProvision("Daily phonics, 20 minutes 1:1 with a trained TA."),
        ],
        year_group=10,
    )
    found = kinds(thread)
    assert ("need_without_outcome", "semh") in found
    assert ("need_without_provision", "sensory_physical") in found
    assert ("provision_without_need", "cognition_learning") in found
    assert ("no_preparing_for_adulthood_outcome", "") in found
    assert {kind for kind, _ in found} <= set(GAP_KINDS)
    assert all(gap.detail for gap in thread.gaps)


def test_an_outcome_nothing_serves_is_a_gap_and_appears_in_links_with_no_provision():
    thread = build_thread(
        split_needs(NEEDS_B), [ThreadOutcome("Amir will use his calm box to regulate.")], []
    )
    assert [(link.outcome, link.provision) for link in thread.links] == [(0, ())]
    assert ("outcome_without_provision", "semh") in kinds(thread)


def test_explicit_numbered_links_are_the_thread_and_still_checked():
    needs = [
        NeedText(
            "Needs help with language.",
            "Communication and interaction",
            "Communication and interaction 1",
        )
    ]
    outcomes = [
        ThreadOutcome(
            "Will say three things about his weekend.", "", "Communication and interaction 1"
        )
    ]
    provision = [
        ThreadProvision(
            "Weekly 30 minutes of narrative work", link="Communication and interaction 1"
        ),
        ThreadProvision("Daily physiotherapy stretches, 20 minutes, by a trained TA"),
    ]
    thread = build_thread(needs, outcomes, provision, year_group=4)
    assert thread.links[0].provision == (0,)
    assert ("provision_without_need", "sensory_physical") in kinds(thread)


def test_no_section_f_and_an_empty_section_b_read_without_error():
    no_f = build_thread(
        split_needs(NEEDS_B),
        [ThreadOutcome("Amir will read 40 common words by Easter.")],
        [],
        has_provision_section=False,
    )
    assert ("need_without_provision", "semh") in kinds(no_f)
    assert any("no provision section" in gap.detail for gap in no_f.gaps)
    empty_b = build_thread(
        split_needs(""),
        [],
        [ThreadProvision("Daily phonics, 20 minutes 1:1")],
        has_needs_section=False,
    )
    assert empty_b.needs == ()
    assert [gap.kind for gap in empty_b.gaps] == ["provision_without_need"]
    assert "section B describes no need" in empty_b.gaps[0].detail


def test_preparing_for_adulthood_from_year_9_only():
    outcome = [
        ThreadOutcome("Zara will travel to college by bus on her own by the end of Year 11.")
    ]
    assert ("no_preparing_for_adulthood_outcome", "") not in kinds(
        build_thread([], outcome, [], year_group=10)
    )
    other = [ThreadOutcome("Zara will spell 80 common words.")]
    assert ("no_preparing_for_adulthood_outcome", "") in kinds(
        build_thread([], other, [], year_group=9)
    )
    assert ("no_preparing_for_adulthood_outcome", "") not in kinds(
        build_thread([], other, [], year_group=8)
    )


def test_json_shape_is_the_contract():
    thread = build_thread(
        split_needs(NEEDS_B), [ThreadOutcome("Amir will regulate with his calm box.")], []
    )
    data = thread.to_json()
    assert set(data) == {"needs", "links", "gaps"}
    assert set(data["links"][0]) == {"outcome", "area", "provision"}
    assert all(set(gap) == {"kind", "area", "detail"} for gap in data["gaps"])


def test_the_labelled_thread_set_is_large_enough_and_the_linker_is_measured_on_it():
    plans = load_thread_set()
    assert len(plans) >= 60
    assert len({plan["layout"] for plan in plans}) >= 4
    assert all(plan["source"] == "written" for plan in plans)
    figures = evaluate_thread_set()
    assert figures["links"]["precision"] >= 0.9 and figures["links"]["recall"] >= 0.9
    assert figures["gaps"]["precision"] >= 0.85 and figures["gaps"]["recall"] >= 0.9
