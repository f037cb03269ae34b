import re
import subprocess
import sys
from collections import Counter

import pytest

from qa_app.classifier.data_card import DATA_CARD_PATH, render_figures
from qa_app.classifier.dataset import (
    CONTRAST_PATH,
    DATASET_PATH,
    KINDS,
    NEED_AREAS,
    PFA_DOMAINS,
    PHASES,
    DatasetError,
    load_contrast_set,
    load_dataset,
)
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.surface import MIN_SHARE, cue_shares
from qa_app.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_has_at_least_2000_statements_of_every_kind(dataset):
    assert len(dataset.rows) >= 2000
    for kind in KINDS:
        assert {row.weak for row in dataset.rows if row.kind == kind} == {True, False}, kind


@pytest.mark.parametrize(
    "cue", ["states a timescale", "contains a number or percentage", "starts with By"]
)
def test_no_surface_cue_decides_the_label(dataset, cue):
    share = cue_shares(dataset.rows)[cue]
    assert share["weak_share_with"] >= MIN_SHARE
    assert share["strong_share_without"] >= MIN_SHARE


def test_a_strong_statement_without_a_timescale_in_words_has_one_in_its_field_or_is_an_iep_goal(
    dataset,
):
    from qa_app.classifier.surface import SURFACE_CUES

    states = SURFACE_CUES["states a timescale"]
    undated_strong = [r for r in dataset.rows if not r.weak and not states(r.text.lower())]
    assert undated_strong
    unexplained = [
        r for r in undated_strong if not r.timescale and r.kind not in ("iep_goal", "post_school")
    ]
    # The hand-written statements use a few time phrases the pattern does not know.
    assert len(unexplained) <= 0.05 * len(undated_strong)


def test_every_row_has_provenance_and_a_group(dataset):
    assert all(r.source == "written" or r.source.startswith("https://") for r in dataset.rows)
    groups = Counter(r.group for r in dataset.rows)
    assert len(groups) >= 10
    assert max(groups.values()) <= 0.15 * len(dataset.rows)


def test_the_data_card_shows_the_computed_figures(dataset):
    card = DATA_CARD_PATH.read_text(encoding="utf-8")
    assert render_figures(dataset, len(load_contrast_set())).strip() in card


def test_the_build_script_gives_the_committed_files(tmp_path):
    script = PROJECT_ROOT / "data" / "outcomes" / "build_outcomes.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "outcomes.csv").read_bytes() == DATASET_PATH.read_bytes()
    assert (tmp_path / "contrast.csv").read_bytes() == CONTRAST_PATH.read_bytes()


def test_contrast_pairs_differ_in_one_respect_and_share_nothing_with_training(dataset):
    pairs = load_contrast_set()
    assert len(pairs) >= 200
    assert set(Counter(p.change for p in pairs)) == {
        "criterion",
        "timescale",
        "timescale_field",
        "provision",
    }
    training = {re.sub(r"\W+", " ", r.text.lower()).strip() for r in dataset.rows}
    for pair in pairs:
        assert not pair.strong.weak and pair.weak.weak
        for member in (pair.strong, pair.weak):
            assert re.sub(r"\W+", " ", member.text.lower()).strip() not in training
        if pair.change == "timescale_field":
            assert (
                pair.strong.text == pair.weak.text
                and pair.strong.timescale
                and not pair.weak.timescale
            )


def test_labels_are_roughly_balanced(dataset):
    share_weak = sum(row.weak for row in dataset.rows) / len(dataset.rows)
    assert 0.45 <= share_weak <= 0.58


def test_every_reason_code_is_used(dataset):
    used = Counter(code for row in dataset.rows for code in row.reasons)
    assert set(used) == set(REASON_CODES)
    assert min(used.values()) >= 40


def test_weak_rows_have_reasons_and_strong_rows_none(dataset):
    assert all(bool(row.reasons) == row.weak for row in dataset.rows)


def test_covers_every_need_area_phase_and_pfa_domain_with_both_labels(dataset):
    for column, values in (
        ("need_area", NEED_AREAS),
        ("phase", PHASES),
        ("pfa_domain", PFA_DOMAINS),
    ):
        for value in values:
            labels = {row.weak for row in dataset.rows if getattr(row, column) == value}
            assert labels == {True, False}, (column, value)


def test_no_duplicate_statements_or_ids(dataset):
    normalised = [
        (re.sub(r"\W+", " ", row.text.lower()).strip(), row.timescale.lower())
        for row in dataset.rows
    ]
    assert len(set(normalised)) == len(normalised)
    assert len({row.id for row in dataset.rows}) == len(dataset.rows)


def test_includes_the_hard_cases(dataset):
    rows = dataset.rows
    assert any(
        not r.weak and re.search(r"\bwith (one|an?) adult", r.text, re.IGNORECASE) for r in rows
    )
    assert any(
        r.weak and "no_timescale" not in r.reasons and re.search(r"\b20\d\d\b", r.text)
        for r in rows
    )
    assert any(not r.weak and len(r.text.split()) >= 50 for r in rows)
    assert any(len(r.text.split()) <= 2 for r in rows)


def test_targets_line_up_with_reason_codes(dataset):
    targets = dataset.targets
    assert targets.shape == (len(dataset.rows), 1 + len(REASON_CODES))
    first_weak = next(i for i, row in enumerate(dataset.rows) if row.weak)
    expected = [1, *(int(code in dataset.rows[first_weak].reasons) for code in REASON_CODES)]
    assert targets[first_weak].tolist() == expected


def _write(tmp_path, rows):
    path = tmp_path / "outcomes.csv"
    header = "id,text,timescale,label,reasons,kind,need_area,phase,pfa_domain,group,source\n"
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "row, message",
    [
        ("x1,Some text,,weak,,ehcp,semh,primary,,g,written", "need reason codes"),
        ("x1,Some text,,strong,no_timescale,ehcp,semh,primary,,g,written", "must have none"),
        ("x1,Some text,,weak,too_short,ehcp,semh,primary,,g,written", "unknown reason code"),
        ("x1,Some text,,meh,,ehcp,semh,primary,,g,written", "label must be"),
        ("x1,Some text,,strong,,ehcp,maths,primary,,g,written", "unknown need_area"),
        ("x1,Some text,,strong,,ehcp,semh,primary,leisure,g,written", "unknown pfa_domain"),
        ("x1,Some text,,strong,,plan,semh,primary,,g,written", "unknown kind"),
        ("x1,Some text,,strong,,ehcp,semh,primary,,g,copied", "source must be"),
        ("x1,Some text,,strong,,ehcp,semh,primary,,,written", "empty group"),
    ],
)
def test_invalid_rows_are_rejected_with_their_line(tmp_path, row, message):
    with pytest.raises(DatasetError, match=f"line 2: .*{message}"):
        load_dataset(_write(tmp_path, [row]))
