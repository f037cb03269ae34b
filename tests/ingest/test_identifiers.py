"""A plan full of identifiers: none of them survives into the reading, the CLI's output
or its error stream."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from qa_app.cli import main
from qa_app.ingest import read_plan
from tests.ingest.plan_builder import build_docx

IDENTIFIERS = {
    "child full name": "Amelia Rose Thornbury",
    "child first name": "Amelia",
    "child middle name": "Rose",
    "child surname": "Thornbury",
    "preferred name": "Millie",
    "date of birth": "14/02/2015",
    "date of birth in words": "14 February 2015",
    "NHS number": "943 476 5919",
    "NHS number unspaced": "9434765919",
    "UPN": "K823456789012",
    "address": "17 Larkspur Close",
    "postcode": "LS6 2QT",
    "parent": "Priya Thornbury",
    "parent first name": "Priya",
    "second parent": "Daniel Okafor",
    "caseworker": "Gwen Ashdown",
    "phone": "07700 900461",
    "landline": "0113 496 0732",
    "email": "priya.thornbury@example.com",
}


def identifier_plan() -> bytes:
    header = [
        ("heading", 1, "Education, Health and Care Plan"),
        (
            "table",
            [
                ["Child's name", "Amelia Rose Thornbury (known as Millie)"],
                ["Date of birth", "14/02/2015"],
                ["NHS number", "943 476 5919"],
                ["UPN", "K823456789012"],
                ["Address", "17 Larkspur Close, Millbrook, LS6 2QT"],
                ["Parent/carer names", "Priya Thornbury and Daniel Okafor"],
                ["Telephone", "07700 900461"],
                ["Email", "priya.thornbury@example.com"],
                ["Year group", "Year 6"],
            ],
        ),
        ("para", "EHC coordinator: Gwen Ashdown"),
    ]
    body = [
        ("heading", 1, "Section A: Views, interests and aspirations"),
        ("para", "Amelia (Millie) Thornbury was born on 14 February 2015. AMELIA likes swimming."),
        ("para", "Mum, Priya, can be reached on 0113 496 0732 or at priya.thornbury@example.com."),
        ("para", "The family live at 17 Larkspur Close (LS6 2QT); Daniel Okafor works nights."),
        ("heading", 1, "Section B: Special educational needs"),
        ("para", "Thornbury's NHS number 9434765919 is on file; her UPN is K823456789012."),
        ("para", "The reference 943 476 5918 is a form number, not an NHS number."),
        ("heading", 1, "Section E: Outcomes"),
        ("bullet", "By July 2026, Amelia will ask Gwen Ashdown for help in 4 of 5 meetings."),
        ("heading", 1, "Section F: Special educational provision"),
        ("bullet", "Millie will have 1:1 reading with a teaching assistant daily for 20 minutes."),
    ]
    return build_docx(header + body)


@pytest.fixture(scope="module")
def reading() -> dict:
    return read_plan(identifier_plan(), "plan.docx", date(2026, 3, 1)).to_json()


@pytest.mark.parametrize("name", IDENTIFIERS)
def test_no_identifier_survives_in_the_reading(reading, name):
    assert IDENTIFIERS[name].lower() not in json.dumps(reading).lower()


def test_identifiers_become_typed_tags(reading):
    a, b = reading["sections"]["A"], reading["sections"]["B"]
    assert a.startswith("[child] ([child]) [child] was born on [dob]. [child] likes swimming.")
    assert "Mum, [name], can be reached on [phone] or at [email]." in a
    assert "The family live at [address] ([postcode]); [name] works nights." in a
    assert "[child]'s NHS number [nhs] is on file; her UPN is [upn]." in b
    assert (
        reading["outcomes"][0]["text"]
        == "By July 2026, [child] will ask [name] for help in 4 of 5 meetings."
    )


def test_a_ten_digit_number_failing_the_check_digit_is_not_an_nhs_number(reading):
    assert "The reference 943 476 5918 is a form number" in reading["sections"]["B"]


def test_date_of_birth_gives_age_but_is_not_returned(reading):
    assert reading["metadata"]["age"] == 11
    assert reading["metadata"]["year_group"] == 6
    assert "2015" not in json.dumps(reading)


def test_cli_output_and_errors_carry_no_identifier(tmp_path, capsys):
    plan = tmp_path / "Amelia Thornbury plan.docx"
    plan.write_bytes(identifier_plan())
    broken = tmp_path / "Amelia Thornbury old.docx"
    broken.write_bytes(b"%PDF-1.7 Amelia Rose Thornbury 943 476 5919")

    assert main(["ingest", str(plan), str(broken), "--json"]) == 1
    out, err = capsys.readouterr()
    everything = (out + err).lower()
    leaked = [
        name
        for name, value in IDENTIFIERS.items()
        if value.lower() in everything and name not in ("child first name", "child surname")
    ]
    assert leaked == []
    # The refused file is named by its base name, which is the user's own, not the document's.
    assert err.strip() == "Amelia Thornbury old.docx: refused: not a .docx file (it is a PDF)"
    assert json.loads(out)[0]["file"] == "[child] [child] plan.docx"
    assert not re.search(r"amelia|thornbury", out, re.IGNORECASE)
