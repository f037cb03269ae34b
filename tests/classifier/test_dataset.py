import re
from collections import Counter

import pytest

from qa_app.classifier.dataset import (
    NEED_AREAS,
    PFA_DOMAINS,
    PHASES,
    DatasetError,
    load_dataset,
)
from qa_app.classifier.reasons import REASON_CODES


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_has_at_least_800_statements(dataset):
    assert len(dataset.rows) >= 800


def test_labels_are_roughly_balanced(dataset):
    share_weak = sum(row.weak for row in dataset.rows) / len(dataset.rows)
    assert 0.45 <= share_weak <= 0.55


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
    normalised = [re.sub(r"\W+", " ", row.text.lower()).strip() for row in dataset.rows]
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
    header = "id,text,label,reasons,need_area,phase,pfa_domain\n"
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "row, message",
    [
        ("x1,Some text,weak,,semh,primary,", "need reason codes"),
        ("x1,Some text,strong,no_timescale,semh,primary,", "must have none"),
        ("x1,Some text,weak,too_short,semh,primary,", "unknown reason code"),
        ("x1,Some text,meh,,semh,primary,", "label must be"),
        ("x1,Some text,strong,,maths,primary,", "unknown need_area"),
        ("x1,Some text,strong,,semh,primary,leisure", "unknown pfa_domain"),
    ],
)
def test_invalid_rows_are_rejected_with_their_line(tmp_path, row, message):
    with pytest.raises(DatasetError, match=f"line 2: .*{message}"):
        load_dataset(_write(tmp_path, [row]))
