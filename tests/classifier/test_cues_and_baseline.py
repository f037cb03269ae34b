import pytest

from qa_app.classifier.baseline import KeywordBaseline, keyword_reasons
from qa_app.classifier.cues import cue_flags


@pytest.mark.parametrize(
    "text, cue",
    [
        ("By the end of Year 4, she will read.", "timescale"),
        ("Within six months he will sit.", "timescale"),
        ("By July 2027 he will sit.", "timescale"),
        ("By [date], he will sit.", "timescale"),
        ("By (annual review date) he will sit.", "timescale"),
        ("After leaving school, she will enrol on a course.", "timescale"),
        ("By her Year 10 annual review, she will sit.", "timescale"),
        ("He will read 4 out of 5 words.", "success_criterion"),
        ("She will score 90% in the check.", "success_criterion"),
        ("He will dress independently.", "success_criterion"),
        ("He will walk without adult help.", "success_criterion"),
        ("Sam will receive speech and language therapy.", "provision"),
        ("She will have access to a quiet room.", "provision"),
        ("He will be supported in class.", "provision"),
        ("Support as appropriate, where possible.", "hedge"),
        ("She will improve her reading.", "vague_change"),
        ("He will access the curriculum.", "generic"),
        ("She wants to be a vet.", "aspiration"),
    ],
)
def test_cue_is_found(text, cue):
    assert cue_flags(text)[cue]


@pytest.mark.parametrize(
    "text, cue",
    [
        ("Sam will read ten words.", "timescale"),
        ("She will improve her reading.", "success_criterion"),
        ("By July 2027 she will read 40 words.", "provision"),
        ("Hopefully he will be calmer.", "aspiration"),
        ("Leo's goal is to travel on the bus on his own.", "aspiration"),
        ("She will cook a meal once a week for six weeks.", "timescale"),
    ],
)
def test_cue_is_not_found(text, cue):
    assert not cue_flags(text)[cue]


def test_baseline_reasons_follow_the_rules():
    assert keyword_reasons("Sam will receive speech and language therapy.") == (
        "provision_not_outcome",
        "no_timescale",
    )
    assert keyword_reasons("By July 2027, Sam will improve his reading.") == ("not_measurable",)
    assert keyword_reasons("By July 2027, Sam will read 40 of 45 words with 90% accuracy.") == ()
    assert keyword_reasons("Sam will read 40 of 45 words.", "July 2027") == ()
    assert keyword_reasons("Sam will read 40 of 45 words.") == ("no_timescale",)


def test_baseline_probabilities_are_hard():
    baseline = KeywordBaseline().fit(["x"])
    p = baseline.predict_proba(
        [
            "Sam wants to be a vet.",
            "By July 2027, Sam will read 40 of 45 words.",
            ("Sam will read 40 of 45 words.", "End of Year 3"),
        ]
    )
    assert p[:, 1].tolist() == [1.0, 0.0, 0.0]


def test_anchored_cue_search_gives_each_patterns_own_answer():
    from qa_app.classifier.cues import CONDITION, CUES, cue_hits
    from qa_app.classifier.dataset import load_contrast_set, load_dataset

    texts = [row.text for row in load_dataset().rows]
    texts += [m.text for pair in load_contrast_set() for m in (pair.strong, pair.weak)]
    texts += ["1:1 support", "4/5 times", "by 12 june", "from september 2026", "", "x"]
    patterns = [*CUES.values(), CONDITION]
    for text in texts:
        lowered = text.lower()
        assert cue_hits(lowered) == [p.search(lowered) is not None for p in patterns], text
