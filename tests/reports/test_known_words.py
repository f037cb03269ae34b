from qa_app.reports import known_words as kw
from qa_app.reports.privacy import Scrubber, shipped_vocabulary
from qa_app.settings import PROJECT_ROOT


def test_frozen_list_is_what_its_sources_give():
    frozen = kw.KNOWN_WORDS_PATH.read_text(encoding="utf-8")
    assert frozen.startswith(f"# known words, version {kw.VERSION};")
    assert kw.rebuild() == frozen, "sources changed: run python -m qa_app.reports.known_words"


def test_list_does_not_read_the_training_data():
    sources = kw.source_paths()
    assert not any("outcomes" in path.parts for path in sources)
    assert all(path.is_relative_to(PROJECT_ROOT) for path in sources)
    lower, acronyms = shipped_vocabulary()
    assert (lower, acronyms) == kw.parse_known_words(kw.KNOWN_WORDS_PATH.read_text("utf-8"))
    assert {"plan", "outcome"} <= lower
    assert "SEND" in acronyms


def test_build_splits_lower_case_words_and_acronyms(tmp_path):
    lower, acronyms = kw.build_known_words(["The SENCO met Jo about the plan; SALT too.", "I"])
    assert lower == {"met", "about", "the", "plan", "too"}
    assert acronyms == {"SENCO", "SALT"}
    text = kw.render_known_words(lower, acronyms, [PROJECT_ROOT / "README.md"])
    assert kw.parse_known_words(text) == (lower, acronyms)


def test_a_name_in_a_new_training_statement_cannot_become_an_ordinary_word():
    # Words the frozen list holds are ordinary; any other capitalised word mid-sentence is masked.
    scrubber = Scrubber()
    assert (
        scrubber.clean_free_text("The plan names Zebedee twice.") == "The plan names [name] twice."
    )
