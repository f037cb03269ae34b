"""The provision check: its labelled data, its model, the shipped copy, the CLI and the
model card section it writes."""

from __future__ import annotations

import csv
import io
import json
import sys

import numpy as np
import pytest

from qa_app.classifier.card_sections import keep_other_sections, replace_section, sections_of
from qa_app.classifier.dataset import DatasetError
from qa_app.classifier.provision import (
    PROVISION_REASON_CODES,
    classify_provision,
    load_provision_model,
)
from qa_app.classifier.provision.cues import cue_flags
from qa_app.classifier.provision.dataset import load_provision_dataset
from qa_app.classifier.provision.model import CompiledProvisionModel, ProvisionClassifier
from qa_app.classifier.provision.shares import cue_shares
from qa_app.cli import main

VAGUE = "Access to speech and language therapy as required."
SPECIFIED = (
    "A speech and language therapist (HCPC registered) will see Amir 1:1 for 30 minutes "
    "every week, and a TA trained by the therapist will run his programme for 15 minutes daily."
)


@pytest.fixture(scope="module")
def dataset():
    return load_provision_dataset()


def test_the_labelled_set_is_large_sourced_and_varied(dataset):
    assert len(dataset.rows) >= 600
    assert all(row.source == "written" or row.source.startswith("http") for row in dataset.rows)
    assert len({row.style for row in dataset.rows}) >= 6
    assert {row.section for row in dataset.rows} == {"F", "G", "H1", "H2"}
    for code in PROVISION_REASON_CODES:
        assert sum(code in row.reasons for row in dataset.rows) >= 40, code
    weak = sum(row.weak for row in dataset.rows)
    assert 0.35 < weak / len(dataset.rows) < 0.65


def test_no_surface_cue_decides_the_label(dataset):
    shares = cue_shares(dataset)
    for cue in (
        "contains a digit",
        "starts with a name and 'will'",
        "is a table row (field: value)",
        "over 25 words",
    ):
        assert shares[cue]["weak_among_with"] >= 1 / 3, cue
        assert shares[cue]["specified_among_without"] >= 1 / 3, cue
    for cue in ("names a frequency", "names a duration or amount", "names a deliverer role"):
        assert shares[cue]["weak_among_with"] >= 1 / 3, cue


def test_the_data_card_shows_the_current_shares(dataset):
    from qa_app.settings import PROJECT_ROOT

    card = (PROJECT_ROOT / "data" / "provision" / "DATA_CARD.md").read_text(encoding="utf-8")
    for cue, share in cue_shares(dataset).items():
        assert f"| {cue} | {share['with']} | {share['weak_among_with']:.0%} |" in card


def test_a_row_without_provenance_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "id,text,label,reasons,section,need_area,style,source\n"
        "x1,Weekly 30-minute ELSA sessions with the trained ELSA 1:1.,specified,,F,semh,sentence,\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match="source"):
        load_provision_dataset(path)


def test_cues_read_numbers_in_words_and_digits():
    assert cue_flags("twenty minutes twice a week with the SENCo")["duration_or_amount"]
    assert cue_flags("20 mins, 3 times per week")["frequency"]
    assert cue_flags("in a group of no more than four")["group_size"]
    assert not cue_flags("in a small group")["group_size"]
    assert cue_flags("regular support as required")["hedge"]


def test_the_compiled_copy_gives_the_estimators_probabilities(dataset):
    part = dataset.subset(range(0, len(dataset.rows), 3))
    fitted = ProvisionClassifier(random_state=1).fit(part.texts, part.targets)
    compiled = CompiledProvisionModel.from_estimator(fitted)
    texts = dataset.texts[1::7] + ["", "Staff"]
    np.testing.assert_allclose(
        compiled.probabilities(texts), fitted.probabilities(texts), atol=1e-9
    )
    assert [(v.weak, v.reasons) for v in compiled.verdicts(texts)] == [
        (v.weak, v.reasons) for v in fitted.verdicts(texts)
    ]


def test_the_shipped_model_is_trained_on_the_shipped_data(dataset):
    model = load_provision_model()
    assert model.metadata["data_sha256"] == dataset.sha256
    assert model.version.startswith("provision-v")


def test_vague_and_specified_items_get_their_verdicts():
    vague, specified = classify_provision([VAGUE, SPECIFIED])
    assert vague.weak and vague.p_weak > 0.5
    assert "hedged_wording" in vague.reasons
    assert "say" in vague.missing.lower()
    assert not specified.weak and specified.reasons == () and specified.missing == ""


def test_csv_output_keeps_columns_and_adds_the_verdict(tmp_path, capsys):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["ref", "text"], ["1", VAGUE], ["2", SPECIFIED]])
    assert main(["classify", "--kind", "provision", str(source), "--output", str(target)]) == 0
    with open(target, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["ref", "text", "weak", "p_weak", "reasons"]
    assert [row["weak"] for row in rows] == ["1", "0"]
    assert "hedged_wording" in rows[0]["reasons"].split(";")
    assert rows[1]["reasons"] == ""
    assert "classified 2 provision items" in capsys.readouterr().err


def test_json_mode_for_provision(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{VAGUE}\n\n{SPECIFIED}\n"))
    assert main(["classify", "--kind", "provision", "--json"]) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [set(o) for o in objects] == [{"text", "weak", "p_weak", "reasons"}] * 2
    assert [o["weak"] for o in objects] == [1, 0]


def test_outcome_stays_the_default_kind(monkeypatch, capsys):
    monkeypatch.setattr(
        sys, "stdin", io.StringIO("Sam will receive speech and language therapy.\n")
    )
    assert main(["classify", "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert "provision_not_outcome" in verdict["reasons"].split(";")


def test_card_sections_survive_a_whole_card_rewrite(tmp_path):
    card = tmp_path / "model-card.md"
    card.write_text("# Outcome card\nold figures\n", encoding="utf-8")
    card.write_text(
        replace_section(card.read_text(), "provision", "## Provision\nP 0.9"), encoding="utf-8"
    )
    card.write_text(
        replace_section(card.read_text(), "thread", "## Thread\nlinks 0.8"), encoding="utf-8"
    )
    card.write_text(
        replace_section(card.read_text(), "provision", "## Provision\nP 0.95"), encoding="utf-8"
    )
    rewritten = keep_other_sections("# Outcome card\nnew figures\n", card)
    assert "new figures" in rewritten and "old figures" not in rewritten
    assert set(sections_of(rewritten)) == {"provision", "thread"}
    assert "P 0.95" in rewritten and "P 0.9\n" not in rewritten


def test_the_outcome_card_writer_keeps_the_provision_section(tmp_path):
    from qa_app.classifier.dataset import load_dataset
    from qa_app.classifier.model_card import write_model_card
    from qa_app.classifier.shipped import load_model

    card = tmp_path / "model-card.md"
    card.write_text(
        replace_section("", "provision", "## Provision check\nfigures"), encoding="utf-8"
    )
    write_model_card(load_model().metadata, load_dataset(), path=card)
    text = card.read_text(encoding="utf-8")
    assert text.startswith("# Model card")
    assert "## Provision check\nfigures" in text


def test_auditors_judgements_train_the_weak_head_only(dataset):
    part = dataset.subset(range(0, len(dataset.rows), 4))
    judged = ["Access to a quiet room as required."] * 3
    texts = part.texts + judged
    unknown = np.full((len(judged), part.targets.shape[1]), -1)
    unknown[:, 0] = 0  # auditors said: specified
    targets = np.vstack([part.targets, unknown])
    without = ProvisionClassifier(random_state=1).fit(part.texts, part.targets)
    with_feedback = ProvisionClassifier(random_state=1).fit(texts, targets)
    p_before = without.probabilities(judged[:1])[0, 0]
    p_after = with_feedback.probabilities(judged[:1])[0, 0]
    assert p_after < p_before
    assert len(with_feedback.reason_heads_) == len(PROVISION_REASON_CODES)
