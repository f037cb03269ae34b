"""Foundation figures: seeding the demo database and grading speed."""

from __future__ import annotations

import random
import time

from qa_app.benchmarks import figure
from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.domain.grading import grade
from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.services.rubrics import parse_rubric
from qa_app.settings import RUBRICS_DIR
from qa_app.store.engine import session_scope


@figure("demo_seed_400_s")
def demo_seed_400_s() -> dict[str, float]:
    with scratch_sqlite() as url:
        started = time.perf_counter()
        with session_scope(url) as session:
            demo.seed_demo(session, SYSTEM, plans=400, seed=7)
        return {"demo_seed_400_s": round(time.perf_counter() - started, 3)}


@figure("grades_per_s")
def grades_per_s() -> dict[str, float]:
    rubric = parse_rubric((RUBRICS_DIR / "ehcp_core.yaml").read_text(encoding="utf-8"))
    rng = random.Random(1)
    plan = {"year_group": 10}
    score_sets = [{c.id: rng.randint(1, 4) for c in rubric.criteria} for _ in range(500)]
    started, cpu_started = time.perf_counter(), time.process_time()
    count = 0
    while time.perf_counter() - started < 1.0:
        for scores in score_sets:
            grade(rubric, scores, plan)
        count += len(score_sets)
    # Wall time counts the neighbours on a shared machine too; CPU time is what this
    # process spent grading, closer to what an unshared core would do.
    return {
        "grades_per_s": round(count / (time.perf_counter() - started)),
        "grades_per_cpu_s": round(count / (time.process_time() - cpu_started)),
    }
