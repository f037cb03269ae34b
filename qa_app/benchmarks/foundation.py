"""Foundation figures: seeding the demo database and grading speed.

Grading speed is measured over 500 random score sets, and with ``--scale`` over the
audits stored at each size: grading never reads the database, so the size only changes
how many different scores and plans it meets (its tables of worked-out results are
bounded)."""

from __future__ import annotations

import random
import time

from sqlalchemy import select

from qa_app import benchmarks
from qa_app.benchmarks import figure
from qa_app.benchmarks.bulk_audits import fill
from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.domain.grading import NOT_APPLICABLE, PLAN_FIELDS, grade
from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.services.rubrics import parse_rubric, rubric_of
from qa_app.settings import RUBRICS_DIR
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, CriterionScore, Plan, RubricVersion


@figure("demo_seed_400_s")
def demo_seed_400_s() -> dict[str, float]:
    with scratch_sqlite() as url:
        started = time.perf_counter()
        with session_scope(url) as session:
            demo.seed_demo(session, SYSTEM, plans=400, seed=7)
        return {"demo_seed_400_s": round(time.perf_counter() - started, 3)}


@figure("grades_per_s", scales=True)
def grades_per_s(scale: bool = False) -> dict[str, float]:
    """With ``scale``, also graded over every audit stored at each size, on SQLite."""
    rubric = parse_rubric((RUBRICS_DIR / "ehcp_core.yaml").read_text(encoding="utf-8"))
    rng = random.Random(1)
    plan = {"year_group": 10}
    cases = [({c.id: rng.randint(1, 4) for c in rubric.criteria}, plan) for _ in range(500)]
    figures = _grading_speed(rubric, cases, "")
    for size, audit_count in (benchmarks.SCALE_SIZES if scale else {}).items():
        with scratch_sqlite() as url:
            fill(url, audit_count)
            stored_rubric, stored_cases = _stored_audits(url)
        figures |= _grading_speed(stored_rubric, stored_cases, f"_sqlite_{size}")
    return figures


def _grading_speed(rubric, cases: list[tuple[dict, dict]], suffix: str) -> dict[str, float]:
    """Grade the cases over and over for at least a second."""
    started, cpu_started = time.perf_counter(), time.process_time()
    count = 0
    while time.perf_counter() - started < 1.0:
        for scores, plan in cases:
            grade(rubric, scores, plan)
        count += len(cases)
    # Wall time counts the neighbours on a shared machine too; CPU time is what this
    # process spent grading, closer to what an unshared core would do.
    return {
        f"grades_per_s{suffix}": round(count / (time.perf_counter() - started)),
        f"grades_per_cpu_s{suffix}": round(count / (time.process_time() - cpu_started)),
    }


def _stored_audits(url: str):
    """The rubric of the stored audits, and each audit's scores with its plan's facts,
    read back from the database (every bulk audit is graded by the same version)."""
    with session_scope(url) as session:
        (version_id,) = session.scalars(select(Audit.rubric_version_id).distinct()).all()
        rubric = rubric_of(session.get(RubricVersion, version_id))
        facts = [getattr(Plan, name) for name in PLAN_FIELDS]
        plans = {
            audit_id: dict(zip(PLAN_FIELDS, values))
            for audit_id, *values in session.execute(
                select(Audit.id, *facts).join(Plan, Plan.id == Audit.plan_id)
            )
        }
        scores: dict[int, dict] = {audit_id: {} for audit_id in plans}
        for audit_id, criterion_id, score, not_applicable in session.execute(
            select(
                CriterionScore.audit_id,
                CriterionScore.criterion_id,
                CriterionScore.score,
                CriterionScore.not_applicable,
            )
        ):
            scores[audit_id][criterion_id] = NOT_APPLICABLE if not_applicable else score
    return rubric, [(scores[audit_id], plan) for audit_id, plan in plans.items()]
