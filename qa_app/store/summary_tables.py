"""Summary tables behind the dashboards, derived from audits and rebuilt by
``qa_app.services.dashboard_summary`` whenever the audits they summarise change.

``dashboard_audit_facts`` holds one narrow row per counted audit with the plan metadata
copied in, so trend queries scan one small table instead of joining audits to plans.
``dashboard_month_totals`` holds the same audits counted per month, once for all plans
(``dimension`` = "all") and once per value of each plan filter; ``dashboard_criterion_totals``
holds score sums per month and criterion, once for all
plans (``dimension`` = "all") and once per value of each plan filter, so the criterion
heatmap does not scan millions of score rows.
"""

from __future__ import annotations

import itertools

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table

from qa_app.store.models import Base, CriterionScore

audit_facts = Table(
    "dashboard_audit_facts",
    Base.metadata,
    # No foreign key: a deleted audit's row must outlive it until the refresh that
    # takes its counts out of the month totals.
    Column("audit_id", Integer, primary_key=True, autoincrement=False),
    Column("plan_id", Integer, nullable=False),
    Column("audit_version", Integer, nullable=False),
    Column("month", String(7), nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("rubric_version_id", Integer, nullable=False),
    Column("agency", String(20), nullable=False),
    Column("team", String(80)),
    Column("primary_need", String(10)),
    Column("key_stage", String(10)),
    Column("setting_type", String(30)),
    Column("plan_type", String(20)),
    Column("year_group", Integer),
    Column("grade", Integer),
    Column("weak_flag", Integer),
    Column("pair_agreed", Integer),
    Column("days_to_issue", Integer),
)
Index("ix_dashboard_audit_facts_month", audit_facts.c.rubric_version_id, audit_facts.c.month)
PLAN_DIMENSIONS = ("team", "primary_need", "key_stage", "setting_type", "plan_type")
for _name in PLAN_DIMENSIONS:
    Index(f"ix_dashboard_audit_facts_{_name}", audit_facts.c[_name])
# Two plan filters at once are answered from the facts: one index per pair finds the
# audits of both values in the chosen months without reading the rest.
for _first, _second in itertools.combinations(PLAN_DIMENSIONS, 2):
    Index(
        f"ix_dashboard_audit_facts_{_first}_{_second}",
        audit_facts.c[_first],
        audit_facts.c[_second],
        audit_facts.c.rubric_version_id,
        audit_facts.c.month,
    )

# The criterion heatmap under two plan filters reads these scores without the table.
Index(
    "ix_criterion_scores_audit_score",
    CriterionScore.audit_id,
    CriterionScore.criterion_id,
    CriterionScore.score,
)

COUNTS = (
    "audits",
    "graded",
    "good",
    "grade_4",
    "grade_3",
    "grade_2",
    "grade_1",
    "flag_known",
    "flagged",
    "pairs",
    "agreed",
    "new_dated",
    "on_time",
)


def _grouping_columns() -> list[Column]:
    """The key every monthly total is kept under: month, rubric, agency and one plan
    dimension's value (dimension ``all``, value "" for the whole)."""
    return [
        Column("id", Integer, primary_key=True),
        Column("month", String(7), nullable=False),
        Column("rubric_version_id", Integer, nullable=False),
        Column("agency", String(20), nullable=False),
        Column("dimension", String(20), nullable=False),
        Column("value", String(80), nullable=False),
    ]


month_totals = Table(
    "dashboard_month_totals",
    Base.metadata,
    *_grouping_columns(),
    *(Column(name, Integer, nullable=False) for name in COUNTS),
)
Index(
    "ix_dashboard_month_totals_lookup",
    month_totals.c.dimension,
    month_totals.c.rubric_version_id,
    month_totals.c.month,
)

criterion_totals = Table(
    "dashboard_criterion_totals",
    Base.metadata,
    *_grouping_columns(),
    Column("criterion_id", String(80), nullable=False),
    Column("score_sum", Integer, nullable=False),
    Column("score_count", Integer, nullable=False),
    Column("good_count", Integer, nullable=False),
)
Index(
    "ix_dashboard_criterion_totals_lookup",
    criterion_totals.c.dimension,
    criterion_totals.c.rubric_version_id,
    criterion_totals.c.month,
)

summary_state = Table(
    "dashboard_summary_state",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("data_version", String(200), nullable=False),
)

change_counter = Table(
    "dashboard_changes",
    Base.metadata,
    # One row. Triggers (migration 0010) add one whenever a finished audit, an agreed
    # moderation or a plan's weak flag changes, whoever writes it.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("changes", BigInteger, nullable=False),
)
