"""Plan metadata on the real path: year group and key stage past Year 13, setting type
from section I (alternative provision too), primary need from wider labels or section B."""

from __future__ import annotations

from datetime import date

import pytest

from qa_app.ingest import read_plan
from tests.ingest.plan_builder import build_docx

AUDIT_DATE = date(2026, 3, 1)


def plan(header: list, placement: str = "", needs: str = "Jo finds reading hard."):
    items = [
        ("table", header),
        ("heading", 1, "Section B: Special educational needs"),
        ("para", needs),
        ("heading", 1, "Section E: Outcomes"),
        ("bullet", "Jo will read 20 words aloud by July 2026."),
    ]
    if placement:
        items += [("heading", 1, "Section I: Placement"), ("para", placement)]
    return read_plan(build_docx(items), "plan.docx", AUDIT_DATE).metadata


@pytest.mark.parametrize(
    "birth, year_group, key_stage, age",
    [
        ("02/05/2007", None, "Post-16", 18),  # 18 on 31 August: past Year 13, never "Year 14"
        ("02/05/2006", None, "Post-19", 19),
        ("02/05/2008", 13, "Post-16", 17),
        ("02/05/2015", 6, "KS2", 10),
    ],
)
def test_year_group_from_date_of_birth_stops_at_year_13(birth, year_group, key_stage, age):
    found = plan([["Name", "Jo Bloggs"], ["Date of birth", birth]])
    assert (found.year_group, found.key_stage, found.age) == (year_group, key_stage, age)


@pytest.mark.parametrize(
    "placement, kind",
    [
        (
            "Riverside Pupil Referral Unit, an alternative provision academy, full time.",
            "alternative_provision",
        ),
        (
            "Hillview Special School, a maintained special school for pupils with complex needs.",
            "special",
        ),
        (
            "Oakfield Primary School, with a place in its resourced provision for autism.",
            "resourced_provision",
        ),
        (
            "Northtown College, a general further education college: foundation programme.",
            "fe_college",
        ),
        (
            "Oakfield Primary School, a mainstream school, with special educational provision as in F.",
            "mainstream",
        ),
    ],
)
def test_setting_type_is_read_from_section_i(placement, kind):
    assert plan([["Name", "Jo Bloggs"]], placement).setting_type == kind


def test_section_i_is_read_when_the_header_names_no_setting_and_wins_over_a_header_name():
    assert (
        plan(
            [["Name", "Jo Bloggs"], ["School", "Oakfield Primary"]],
            "Riverside Pupil Referral Unit.",
        ).setting_type
        == "alternative_provision"
    )


@pytest.mark.parametrize(
    "label, value, code",
    [
        ("Primary SEND need", "Autism spectrum condition", "ASD"),
        ("Primary category of need", "Speech, language and communication needs", "SLCN"),
        ("Main area of need", "SEMH", "SEMH"),
    ],
)
def test_primary_need_from_wider_labels(label, value, code):
    assert plan([["Name", "Jo Bloggs"], [label, value]]).primary_need == code


def test_primary_need_from_section_b_when_the_header_has_none():
    assert (
        plan(
            [["Name", "Jo Bloggs"]], needs="Jo's primary need is a moderate learning difficulty."
        ).primary_need
        == "MLD"
    )
