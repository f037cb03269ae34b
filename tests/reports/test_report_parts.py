"""The pure parts of a report: periods, themes and training actions."""

from __future__ import annotations

from datetime import date

from qa_app.reports.actions import training_actions
from qa_app.reports.figures import CriterionFigure, previous_period
from qa_app.reports.themes import find_themes


def test_previous_period_is_whole_months_or_the_same_number_of_days():
    assert previous_period(date(2026, 1, 1), date(2026, 6, 30)) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert previous_period(date(2026, 1, 10), date(2026, 1, 19)) == (
        date(2025, 12, 31),
        date(2026, 1, 9),
    )


def test_themes_group_shared_phrases_and_count_audits():
    notes = [
        (1, "Outcomes have no timescales. Provision is not quantified."),
        (2, "Outcomes have no timescales or interim steps."),
        (3, "Several outcomes have no timescales."),
        (4, "Provision is not quantified at all."),
        (5, "The family's views are missing."),
    ]
    themes = find_themes(notes, clean=str, min_audits=2)
    assert [theme.audits for theme in themes] == [3, 2]
    assert "timescales" in themes[0].key_phrases
    assert themes[0].share == 3 / 5
    assert "quantified" in " ".join(themes[1].key_phrases)
    assert find_themes(notes, clean=str, min_audits=4) == []


def _criterion(title: str, action: str, below: int, scored: int = 10) -> CriterionFigure:
    return CriterionFigure(
        title.lower(), title, "E", scored, 2.0, below, "good", "outstanding", action
    )


def test_training_actions_merge_shared_actions_and_put_the_widest_weakness_first():
    actions = training_actions(
        [
            _criterion("Timescales", "Teach SMART outcomes.", 4),
            _criterion("Measurable", "Teach  SMART outcomes.", 7),
            _criterion("Provision", "Teach quantified provision.", 5),
            _criterion("Voice", "", 9),
            _criterion("Placement", "Name the school.", 0),
        ]
    )
    assert [(a.action, a.criteria, a.below_good_share) for a in actions] == [
        ("Teach SMART outcomes.", ("Timescales", "Measurable"), 0.7),
        ("Teach quantified provision.", ("Provision",), 0.5),
    ]


def test_sentences_with_no_content_words_are_left_out_of_themes():
    notes = [(i, "It was [name] at [postcode]. Outcomes have no timescales.") for i in range(3)]
    themes = find_themes(notes, clean=str, min_audits=2)
    assert [(theme.example, theme.audits) for theme in themes] == [
        ("Outcomes have no timescales.", 3)
    ]


def test_a_vague_provision_item_is_rewritten_with_its_hedges_out_and_prompts_for_what_is_missing():
    from qa_app.reports.provision_learning import rewrite_skeleton

    rewrite = rewrite_skeleton(
        "Access to speech and language therapy as required.",
        ["no_deliverer", "no_frequency", "hedged_wording"],
    )
    assert rewrite.startswith("Speech and language therapy, delivered by [role")
    assert (
        "[how often" in rewrite
        and "as required" not in rewrite
        and "access to" not in rewrite.lower()
    )
    assert (
        rewrite_skeleton("Sam would benefit from a small class.", ["hedged_wording"])
        == "A small class."
    )
