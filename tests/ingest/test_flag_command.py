"""``qa-app flag``: re-checks plans imported through ``qa-app ingest``, all of them or only
those flagged by another model version; prints the count and logs the run."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from qa_app.cli import main
from qa_app.store.engine import session_scope
from qa_app.store.models import EventLogEntry, Outcome, Plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import LAYOUTS


@pytest.fixture
def cli(capsys, point_app_at, sqlite_url):
    settings = point_app_at(sqlite_url)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args), settings=settings)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def imported(cli, tmp_path, sqlite_url):
    files = []
    for layout in (factory() for factory in LAYOUTS[:4]):
        path = tmp_path / f"{layout.name}.docx"
        path.write_bytes(build_docx(layout.items))
        files.append(str(path))
    code, _, err = cli("ingest", *files)
    assert code == 0, err
    return sqlite_url


def _plans(url):
    with session_scope(url) as session:
        return [
            (p.id, p.weak_flag, p.weak_flag_model)
            for p in session.scalars(select(Plan).order_by(Plan.id))
        ]


def test_flag_all_rechecks_every_imported_plan_and_logs_the_run(cli, imported):
    before = _plans(imported)
    assert len(before) == 4 and all(model for _, _, model in before)
    code, out, err = cli("flag")
    assert code == 0, err
    flagged = sum(bool(flag) for _, flag, _ in before)
    assert out.strip() == f"flagged {flagged} of 4 plans"
    assert _plans(imported) == before
    assert err == ""  # no progress bar when stderr is not a terminal
    with session_scope(imported) as session:
        run = session.scalars(select(EventLogEntry).where(EventLogEntry.action == "flag_run")).one()
        assert '"plans": 4' in run.detail and '"scope": "all"' in run.detail


def test_model_changed_takes_only_plans_flagged_by_another_model_or_none(cli, imported):
    first, second, *_ = [plan_id for plan_id, _, _ in _plans(imported)]
    with session_scope(imported) as session:
        session.execute(
            update(Plan).where(Plan.id == first).values(weak_flag_model="outcome-model-0.1")
        )
        session.execute(
            update(Plan).where(Plan.id == second).values(weak_flag=None, weak_flag_model=None)
        )
        session.execute(
            update(Outcome)
            .where(Outcome.plan_id == second)
            .values(weak=None, p_weak=None, reasons=None, model_version=None)
        )
    code, out, err = cli("flag", "--model-changed")
    assert code == 0, err
    assert out.strip().endswith(" of 2 plans")
    after = _plans(imported)
    current = after[2][2]
    assert [model for _, _, model in after] == [current] * 4
    with session_scope(imported) as session:
        rechecked = session.scalars(select(Outcome).where(Outcome.plan_id == second)).all()
        assert all(o.model_version == current and o.p_weak is not None for o in rechecked)
        assert session.get(Plan, second).weak_flag is not None
        run = session.scalars(select(EventLogEntry).where(EventLogEntry.action == "flag_run")).one()
        assert '"scope": "model-changed"' in run.detail and '"plans": 2' in run.detail


def test_all_and_model_changed_cannot_be_given_together(cli):
    with pytest.raises(SystemExit):
        cli("flag", "--all", "--model-changed")
