"""Identifier patterns and redaction: typed tags, the NHS check digit, known values."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qa_app.domain.redaction import find_identifiers, nhs_number_is_valid, parse_date, redact


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137"])
def test_nhs_numbers_with_a_valid_check_digit(number):
    assert nhs_number_is_valid(number)
    assert redact(f"NHS no. {number}.") == "NHS no. [nhs]."


@pytest.mark.parametrize("number", ["943 476 5918", "9434765910", "1234567890"])
def test_ten_digits_failing_the_check_digit_are_left_alone(number):
    assert not nhs_number_is_valid(number)
    assert redact(f"Form {number}.") == f"Form {number}."


def test_check_digit_of_ten_is_never_valid():
    # 0000000010: weights give a remainder of 1, so the check digit would be 10.
    assert not nhs_number_is_valid("0000000010")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jo.bloggs+plan@example.org.uk today", "write to [email] today"),
        ("ring 07700 900461 or 0113 496 0732", "ring [phone] or [phone]"),
        ("or +44 (0)20 7946 0000", "or [phone]"),
        ("UPN K823456789012 held", "UPN [upn] held"),
        ("lives near SW1A 1AA and LS6 2QT", "lives near [postcode] and [postcode]"),
        (
            "Date of birth: 03/04/2015; born on 3rd April 2015",
            "Date of birth: [dob]; born on [dob]",
        ),
    ],
)
def test_patterns_need_no_known_values(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "in 4 out of 5 lessons, 3 x 30 minutes a week",
        "by July 2026 (review 01/07/2026)",
        "Year 6, KS2 and Y6 2nd term",
        "a score of 1234567890 points",
    ],
)
def test_ordinary_plan_text_is_untouched(text):
    assert redact(text) == text


def test_known_names_are_matched_whole_and_by_part_in_written_case_only():
    known = {"child": ["Will Amari Stone"], "name": ["Grace and Tom Stone"]}
    text = "Will said STONE, Amari and Grace will help. Tom Stone agrees."
    assert (
        redact(text, known) == "[child] said [child], [child] and [name] will help. [name] agrees."
    )


def test_known_date_of_birth_is_found_in_other_spellings():
    known = {"dob": ["14/02/2015"]}
    for spelling in [
        "14.02.2015",
        "2015-02-14",
        "14 February 2015",
        "14th Feb 2015",
        "February 14, 2015",
    ]:
        assert redact(f"on {spelling}.", known) == "on [dob]."


def test_known_address_lines_are_redacted_and_postcode_keeps_its_tag():
    known = {"address": ["17 Larkspur Close, Millbrook, LS6 2QT"]}
    assert (
        redact("at 17 Larkspur Close (LS6 2QT) in Millbrook", known)
        == "at [address] ([postcode]) in Millbrook"
    )


def test_find_identifiers_reports_kind_and_place():
    text = "Sam: 943 476 5919"
    found = find_identifiers(text, {"child": ["Sam"]})
    assert [(i.kind, text[i.start : i.end]) for i in found] == [
        ("child", "Sam"),
        ("nhs", "943 476 5919"),
    ]


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        redact("x", {"pet": ["Rex"]})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/04/2015", date(2015, 4, 3)),
        ("2015-04-03", date(2015, 4, 3)),
        ("3rd of April 2015", date(2015, 4, 3)),
        ("April 3, 2015", date(2015, 4, 3)),
        ("31/02/2015", None),
        ("soon", None),
    ],
)
def test_parse_date_reads_british_dates(text, expected):
    assert parse_date(text) == expected


def _with_check_digit(nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1)))
    check = (11 - total % 11) % 11
    return None if check == 10 else nine + str(check)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[0-9]{9}", fullmatch=True), st.sampled_from([" ", "-", ""]))
def test_every_valid_nhs_number_is_redacted_however_spaced(nine, separator):
    number = _with_check_digit(nine)
    assume(number is not None)
    written = f"{number[:3]}{separator}{number[3:6]}{separator}{number[6:]}"
    assert redact(f"NHS number {written} on file") == "NHS number [nhs] on file"


names = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(
    names, names, st.sampled_from(["{f} {s}", "{s}, {f}", "{F} {S}", "{f}'s", "({f})", "{f}-{s}"])
)
def test_no_part_of_a_known_name_survives(first, surname, shape):
    text = (
        "Notes: "
        + shape.format(f=first, s=surname, F=first.upper(), S=surname.upper())
        + " agreed."
    )
    redacted = redact(text, {"child": [f"{first} {surname}"]})
    for part in (first, surname, first.upper(), surname.upper()):
        assert part not in redacted
