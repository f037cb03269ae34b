from qa_app.classifier.card_sections import marked, sections_of
from qa_app.classifier.model_card import CARD_TITLE, MODEL_CARD_PATH, SECTION, compose_card

BODY = "## Weak-outcome classifier\nnew figures\n"
PROVISION = marked("provision", "## Provision check\nkept")


def test_the_outcome_section_replaces_only_itself():
    old = marked(SECTION, "## Weak-outcome classifier\nold figures")
    card = f"{CARD_TITLE}\n\n{old}\n{PROVISION}"
    updated = compose_card(card, BODY)
    assert "new figures" in updated and "old figures" not in updated
    assert sections_of(updated)["provision"] == PROVISION
    assert updated.startswith(CARD_TITLE)


def test_the_old_unmarked_outcome_card_is_replaced_and_other_sections_kept():
    old = f"# Model card: weak-outcome classifier\n\nold text\n\n{PROVISION}"
    updated = compose_card(old, BODY)
    assert "old text" not in updated
    assert updated.startswith(f"{CARD_TITLE}\n\n")
    assert set(sections_of(updated)) == {SECTION, "provision"}
    assert compose_card(None, BODY) == f"{CARD_TITLE}\n\n{marked(SECTION, BODY)}"


def test_the_shipped_card_holds_the_outcome_section_once():
    card = MODEL_CARD_PATH.read_text(encoding="utf-8")
    assert card.startswith(CARD_TITLE)
    assert card.count("## Weak-outcome classifier") == 1
    assert "### Contrast set" in sections_of(card)[SECTION]
