import pytest

from qa_app.classifier import PART_NAMES, classify_outcomes, explain_outcomes, smart_parts


def test_parts_of_a_given_form_goal_with_its_timescale_in_a_field():
    parts = smart_parts(
        "Given a passage at her reading level, Mia will read aloud at 90 words per minute.",
        timescale="July 2027",
    )
    assert parts.who == "Mia"
    assert parts.action.startswith("read aloud")
    assert parts.action_kind == "observable"
    assert parts.condition == "Given a passage at her reading level"
    assert parts.criterion == "90 words per minute"
    assert (parts.timescale, parts.timescale_from) == ("July 2027", "field")
    assert parts.missing == ()


def test_timescale_and_criterion_found_in_the_text_stop_at_each_other():
    parts = smart_parts("I will make my own sandwich without help by July 2027.")
    assert parts.who == "I"
    assert parts.action == "make my own sandwich"
    assert parts.criterion == "without help"
    assert (parts.timescale, parts.timescale_from) == ("by July 2027", "text")


@pytest.mark.parametrize(
    "text, who, kind",
    [
        ("Sam will receive speech and language therapy.", "Sam", "provision"),
        ("By the end of Year 6, Ayo will improve his reading.", "Ayo", "vague"),
        ("Leo's goal is to travel to college on the bus on his own.", "Leo", "observable"),
        ("Priya wants to be a vet.", "", "wish"),
        ("To write three sentences with full stops by the end of Year 3.", "", "observable"),
    ],
)
def test_who_and_the_kind_of_action(text, who, kind):
    parts = smart_parts(text)
    assert parts.who == who
    assert parts.action_kind == kind


def test_a_vague_undated_statement_misses_action_criterion_and_timescale():
    missing = smart_parts("Mia will improve her listening skills.").missing
    assert {"action", "criterion", "timescale", "condition"} <= set(missing)
    assert "who" not in missing
    assert set(missing) <= set(PART_NAMES)


def test_explain_and_classify_take_one_timescale_per_text():
    texts = ["Mia will read 20 words.", "Sam will count to 20."]
    parts = explain_outcomes(texts, [None, "end of Reception"])
    assert [p.timescale_from for p in parts] == ["", "field"]
    assert len(classify_outcomes(texts, [None, "end of Reception"])) == 2
    with pytest.raises(ValueError):
        classify_outcomes(texts, ["July 2027"])
