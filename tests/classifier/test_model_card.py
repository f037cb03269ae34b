from qa_app.classifier.model_card import (
    CARD_TITLE,
    OUTCOME_END,
    OUTCOME_START,
    compose_card,
)

SECTION = f"{OUTCOME_START}\n## Weak-outcome classifier\nnew figures\n{OUTCOME_END}\n"


def test_the_outcome_section_replaces_only_itself():
    card = (
        f"{CARD_TITLE}\n\n{OUTCOME_START}\n## Weak-outcome classifier\nold figures\n{OUTCOME_END}\n\n"
        "<!-- provision-model:start -->\n## Provision classifier\nkept\n<!-- provision-model:end -->\n"
    )
    updated = compose_card(card, SECTION)
    assert "new figures" in updated and "old figures" not in updated
    assert "## Provision classifier\nkept" in updated
    assert updated.count(OUTCOME_START) == 1 and updated.startswith(CARD_TITLE)


def test_a_card_without_the_outcome_section_keeps_its_text_and_gains_the_section():
    card = "# Model cards\n\n## Provision classifier\nkept\n"
    updated = compose_card(card, SECTION)
    assert updated.startswith(card.rstrip("\n"))
    assert updated.endswith(SECTION)


def test_the_old_single_model_card_and_a_missing_card_become_the_sections_card():
    old = "# Model card: weak-outcome classifier\n\nold text\n"
    assert compose_card(old, SECTION) == f"{CARD_TITLE}\n\n{SECTION}"
    assert compose_card(None, SECTION) == f"{CARD_TITLE}\n\n{SECTION}"
