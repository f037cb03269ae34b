import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone

from qa_app.classifier import REASON_CODES, load_model
from qa_app.classifier.baseline import KeywordBaseline
from qa_app.classifier.dataset import load_contrast_set, load_dataset
from qa_app.classifier.evaluation import score_contrast, score_verdicts
from qa_app.classifier.model import OutcomeClassifier
from qa_app.classifier.training import model_version


@pytest.fixture(scope="module")
def shipped():
    return load_model()


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_shipped_model_was_trained_on_the_current_dataset(shipped, dataset):
    assert shipped.metadata["data_sha256"] == dataset.sha256
    assert shipped.version == model_version(dataset.sha256, shipped.metadata["seed"])


def test_shipped_numpy_copy_gives_the_estimators_probabilities(shipped, dataset):
    import joblib

    from qa_app.classifier.shipped import MODEL_DIR, MODEL_FILE

    estimator = joblib.load(MODEL_DIR / MODEL_FILE)
    texts = [*dataset.texts, "", "x", "  spaced \t out  ", "Ünïcode café!"]
    fields = [*(row.timescale for row in dataset.rows), "", "July 2027", "", " "]
    inputs = list(zip(texts, fields))
    expected, actual = estimator.verdicts(inputs), shipped.classify(texts, fields)
    assert [v.weak for v in actual] == [v.weak for v in expected]
    assert [v.reasons for v in actual] == [v.reasons for v in expected]
    np.testing.assert_allclose(
        [v.p_weak for v in actual], [v.p_weak for v in expected], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        shipped.model.probabilities(texts, [f.strip() for f in fields])[:, 1:],
        estimator.reason_proba(inputs),
        rtol=0,
        atol=1e-12,
    )


def test_shipped_model_beats_the_keyword_baseline_on_its_held_out_rows(shipped, dataset):
    test_ids = set(shipped.metadata["test_ids"])
    test = dataset.subset([i for i, row in enumerate(dataset.rows) if row.id in test_ids])
    assert len(test.rows) == shipped.metadata["n_test"]
    fields = [row.timescale for row in test.rows]
    model = score_verdicts(shipped.classify(test.texts, fields), test.targets)
    baseline = score_verdicts(
        KeywordBaseline().fit(test.inputs).verdicts(test.inputs), test.targets
    )
    assert model["weak"]["f1"] > baseline["weak"]["f1"]
    assert model["weak"]["brier"] < baseline["weak"]["brier"]
    assert model == shipped.metadata["metrics"]["holdout"]["model"]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Sam will receive speech and language therapy.", "provision_not_outcome"),
        ("Jo will have access to a quiet room and a key adult.", "provision_not_outcome"),
        ("Alex wants to be a vet when he grows up.", "aspiration_not_outcome"),
        ("Mia will improve her reading.", "not_measurable"),
        ("Mia will improve her reading.", "no_timescale"),
        ("Rory will access the curriculum and reach his full potential.", "vague_or_generic"),
    ],
)
def test_clear_weak_cases_get_the_obvious_reason(shipped, text, reason):
    [verdict] = shipped.classify([text])
    assert verdict.weak
    assert reason in verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "By the end of Year 4, Sam will read 40 of the 45 common exception words correctly in a dictation check.",
        "By July 2027, with one adult prompt, Jo will ask a peer to join her game at break on three days a week.",
        "Within six months, Alex will travel by bus to college on his own, four days a week.",
    ],
)
def test_clear_strong_cases_are_not_flagged(shipped, text):
    [verdict] = shipped.classify([text])
    assert not verdict.weak
    assert verdict.reasons == ()
    assert verdict.p_weak < 0.5


def test_adding_a_timescale_and_criterion_lowers_the_probability(shipped):
    vague, smart = shipped.classify(
        [
            "Noor will get better at spelling.",
            "By the end of Year 5, Noor will spell 18 of 20 weekly words correctly without help.",
        ]
    )
    assert smart.p_weak < vague.p_weak


def test_every_weak_verdict_has_a_reason_and_probabilities_are_in_range(shipped, dataset):
    verdicts = shipped.classify(dataset.texts[:200], [row.timescale for row in dataset.rows[:200]])
    assert all(0.0 <= v.p_weak <= 1.0 for v in verdicts)
    assert all(bool(v.reasons) == v.weak for v in verdicts)
    assert all(set(v.reasons) <= set(REASON_CODES) for v in verdicts)


def test_blank_and_missing_text_are_classified_not_crashed_on(shipped):
    verdicts = shipped.classify(["", None])
    assert len(verdicts) == 2
    assert shipped.classify([]) == []


def test_follows_scikit_learn_conventions():
    model = OutcomeClassifier(C=2.0, random_state=3)
    assert model.get_params()["C"] == 2.0
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "weak_pipeline_")


def test_fit_rejects_targets_without_reason_columns(dataset):
    with pytest.raises(ValueError, match="one per reason code"):
        OutcomeClassifier().fit(dataset.texts[:20], dataset.targets[:20, 0])


def test_training_is_reproducible_with_a_fixed_seed(dataset):
    small = dataset.subset(range(0, len(dataset.rows), 4))
    probe = dataset.texts[1:40:3]

    def fitted_probabilities():
        model = OutcomeClassifier(calibration_folds=3, random_state=7)
        model.fit(small.inputs, small.targets)
        return model.predict_proba(probe)[:, 1], model.reason_proba(probe)

    first, second = fitted_probabilities(), fitted_probabilities()
    np.testing.assert_allclose(first[0], second[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(first[1], second[1], rtol=0, atol=1e-12)


def test_loading_the_shipped_model_does_not_import_scikit_learn():
    code = (
        "import sys; from qa_app.classifier import classify_outcomes; "
        "classify_outcomes(['Sam will receive speech therapy.']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'joblib')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_contrast_set_accuracy_of_the_shipped_model_meets_its_target(shipped):
    pairs = load_contrast_set()
    assert len(pairs) >= 200
    scores = score_contrast(
        lambda inputs: shipped.classify([t for t, _ in inputs], [f for _, f in inputs]), pairs
    )
    assert scores["accuracy"] >= 0.95
    assert scores == shipped.metadata["metrics"]["contrast"]["model"]


def test_grouped_cross_validation_figures_meet_the_targets(shipped):
    cv = shipped.metadata["metrics"]["grouped_cv"]
    assert cv["model"]["weak"]["f1"] >= 0.95
    assert cv["model"]["weak"]["precision"] >= 0.93
    assert cv["model"]["weak"]["brier"] < cv["baseline"]["weak"]["brier"]
    assert cv["model"]["weak"]["f1"] > cv["baseline"]["weak"]["f1"]
    assert set(cv["model"]["by_kind"]) == {"ehcp", "pfa", "iep_goal", "post_school"}


def test_a_timescale_in_its_own_field_answers_no_timescale(shipped):
    text = "Sam will ask an adult for help using a three-word phrase in 4 out of 5 opportunities."
    without, with_field = shipped.classify([text, text], [None, "End of Year 4"])
    assert without.weak and "no_timescale" in without.reasons
    assert not with_field.weak
    assert with_field.p_weak < without.p_weak


@pytest.mark.parametrize(
    "text",
    [
        "By July 2027, Sam will improve his reading.",
        "By the end of Year 6, Mia will have 3 sessions of speech therapy a week.",
        "By (annual review date), Jo will become more confident.",
    ],
)
def test_a_date_or_a_number_does_not_rescue_a_vague_aim(shipped, text):
    [verdict] = shipped.classify([text])
    assert verdict.weak
    assert "no_timescale" not in verdict.reasons


@pytest.mark.parametrize(
    "text, timescale",
    [
        (
            "Given a passage at her reading level, Mia will read aloud at 90 words per minute with 95% accuracy.",
            None,
        ),
        (
            "Leo's goal is to travel to college on the bus on his own, every college day for a month.",
            "July 2028",
        ),
        (
            "After leaving school, Jay will enrol on a Level 1 catering course at his local college.",
            None,
        ),
        ("I will make my own packed lunch without help on four days a week.", "End of Year 10"),
        ("Ask for help using a three-word phrase: 4 of 5 opportunities", "Summer term"),
    ],
)
def test_good_goals_in_other_forms_are_not_flagged(shipped, text, timescale):
    [verdict] = shipped.classify([text], [timescale])
    assert not verdict.weak, verdict
