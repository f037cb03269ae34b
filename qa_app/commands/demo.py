"""``qa-app demo``: make the configured database a demo one, or add to a demo one, with
synthetic plans and audits and the demo accounts. A real database is refused."""

from __future__ import annotations

import sys

from qa_app.services.access import SYSTEM


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="add synthetic demo plans and audits")
    demo.add_argument("--plans", type=int, default=400, help="number of plans (default 400)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--months", type=int, default=24, help="months of audits (default 24)")
    demo.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services import demo, rubrics
    from qa_app.services.errors import DemoDatabase
    from qa_app.store.engine import open_session

    settings = args.settings
    try:
        with open_session(settings.database_url, migrate=True) as session:
            rubrics.register_rubric_files(session, SYSTEM, settings.rubrics_dir)
            summary = demo.fill_demo_database(
                session,
                SYSTEM,
                plans=args.plans,
                seed=args.seed,
                months=args.months,
                settings=settings,
            )
    except DemoDatabase as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    print(
        f"added synthetic demo data: {summary.plans} plans, {summary.audits} audits, "
        f"{summary.scores} criterion scores, {summary.moderations} moderations"
    )
    return 0
