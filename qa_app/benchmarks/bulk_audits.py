"""A national-scale database of finished audits, written with bulk inserts.

The ORM demo generator writes a few hundred plans with their text; the dashboard benchmark
needs 100,000 audits and about three million criterion scores, so rows are made here as
plain tuples and written with one ``executemany`` per table (SQLite) or ``COPY``
(PostgreSQL). Plans carry metadata only: the dashboard never reads plan text.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import make_url

from qa_app.domain import plan_facts
from qa_app.domain.grading import NOT_APPLICABLE, grade
from qa_app.services.rubrics import rubric_of
from qa_app.store.engine import engine_for, session_scope
from qa_app.store.models import Audit, CriterionScore, Moderation, Plan, RubricVersion, User

TEAMS = ["North locality", "South locality", "East locality", "West locality", "Post-16 team"]
NEEDS = list(plan_facts.PRIMARY_NEEDS)
SETTINGS = list(plan_facts.SETTING_TYPES)
AGENCY_MIX = {"education": 0.8, "health": 0.1, "social_care": 0.1}
AUDITORS_PER_AGENCY = 12
DOUBLE_RATE_SHARE = 0.12
CHUNK = 50_000


@dataclass
class Rows:
    users: list[dict]
    plans: list[dict]
    audits: list[dict]
    scores: list[dict]
    moderations: list[dict]


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)), tzinfo=UTC)


class _Maker:
    def __init__(
        self,
        rubric,
        rubric_version_id: int,
        first_user_id: int,
        seed: int,
        months: int,
        until: date,
    ):
        self.rubric = rubric
        self.rubric_version_id = rubric_version_id
        self.rng = random.Random(seed)
        self.until = until
        self.start = until - timedelta(days=int(months * 30.44))
        self.span_days = (until - self.start).days
        self.rows = Rows([], [], [], [], [])
        self.auditors: dict[str, list[int]] = {}
        user_id = first_user_id
        for agency in AGENCY_MIX:
            self.auditors[agency] = []
            for number in range(AUDITORS_PER_AGENCY):
                self.rows.users.append(
                    {
                        "id": user_id,
                        "username": f"bulk_{agency}_{number}_{seed}",
                        "display_name": f"Bulk auditor {user_id}",
                        "agency": agency,
                        "is_active": True,
                        "is_synthetic": True,
                        "created_at": datetime.now(UTC),
                    }
                )
                self.auditors[agency].append(user_id)
                user_id += 1

    def plan(self, plan_id: int, day: date) -> tuple[dict, float]:
        rng = self.rng
        team = rng.choice(TEAMS)
        year_group = rng.randint(12, 16) if team == "Post-16 team" else rng.randint(-1, 11)
        plan_type = "new" if rng.random() < 0.45 else "annual_review"
        row = {
            "id": plan_id,
            "reference": f"BULK-{plan_id:08d}",
            "year_group": year_group,
            "age_at_audit": year_group + 5,
            "key_stage": plan_facts.key_stage_for_year_group(year_group),
            "primary_need": rng.choice(NEEDS),
            "setting_type": rng.choice(SETTINGS),
            "team": team,
            "writer_code": f"W{rng.randint(1, 20):02d}",
            "plan_type": plan_type,
            "request_date": None,
            "issue_date": None,
            "source": "demo",
            "is_synthetic": True,
            "weak_flag": rng.random() < 0.3,
            "created_at": _moment(day, rng),
        }
        if plan_type == "new":
            row["issue_date"] = day - timedelta(days=rng.randint(5, 25))
            row["request_date"] = row["issue_date"] - timedelta(weeks=max(10.0, rng.gauss(22, 5)))
        progress = (day - self.start).days / max(1, self.span_days)
        quality = 2.3 + 0.6 * progress + TEAMS.index(team) * -0.08 + rng.gauss(0, 0.45)
        return row, quality

    def audit(
        self,
        audit_id: int,
        plan: dict,
        agency: str,
        quality: float,
        day: date,
        rating_order: int,
        double: bool,
    ) -> dict:
        rng = self.rng
        criteria = self.rubric.criteria_for(agency, plan)
        scores = {}
        for criterion in criteria:
            if criterion.allow_na and rng.random() < 0.1:
                scores[criterion.id] = NOT_APPLICABLE
            else:
                scores[criterion.id] = max(1, min(4, round(quality + rng.gauss(0, 0.6))))
        result = grade(self.rubric, scores, plan)
        submitted = _moment(min(day + timedelta(days=rng.randint(2, 20)), self.until), rng)
        for criterion_id, value in scores.items():
            self.rows.scores.append(
                {
                    "id": len(self.rows.scores) + 1,
                    "audit_id": audit_id,
                    "criterion_id": criterion_id,
                    "score": None if value == NOT_APPLICABLE else value,
                    "not_applicable": value == NOT_APPLICABLE,
                    "note": "",
                    "updated_at": submitted,
                }
            )
        row = {
            "id": audit_id,
            "plan_id": plan["id"],
            "rubric_version_id": self.rubric_version_id,
            "sample_id": None,
            "auditor_id": rng.choice(self.auditors[agency]),
            "agency": agency,
            "status": "submitted",
            "double_rated": double,
            "rating_order": rating_order,
            "due_date": day + timedelta(days=21),
            "strengths": "",
            "areas_for_development": "",
            "overall_grade": result.overall,
            "section_grades": result.sections,
            "grade_reasons": result.reasons,
            "version": 2,
            "is_synthetic": True,
            "created_at": _moment(day, rng),
            "updated_at": submitted,
            "submitted_at": submitted,
        }
        self.rows.audits.append(row)
        return row

    def moderation(self, first: dict, second: dict) -> None:
        first["status"] = second["status"] = "moderated"
        agreed = self.rng.choice([first["overall_grade"], second["overall_grade"]])
        self.rows.moderations.append(
            {
                "id": len(self.rows.moderations) + 1,
                "plan_id": first["plan_id"],
                "rubric_version_id": self.rubric_version_id,
                "first_audit_id": first["id"],
                "second_audit_id": second["id"],
                "moderator_id": None,
                "status": "agreed",
                "overall_grade": agreed,
                "rationale": "",
                "version": 1,
                "is_synthetic": True,
                "created_at": second["submitted_at"],
                "updated_at": second["submitted_at"],
                "agreed_at": second["submitted_at"],
            }
        )

    def make(self, n_audits: int, first_plan_id: int, first_audit_id: int) -> Rows:
        rng = self.rng
        plan_id, audit_id = first_plan_id, first_audit_id
        agencies, weights = list(AGENCY_MIX), list(AGENCY_MIX.values())
        while len(self.rows.audits) < n_audits:
            day = self.start + timedelta(days=rng.randrange(self.span_days))
            plan, quality = self.plan(plan_id, day)
            self.rows.plans.append(plan)
            agency = rng.choices(agencies, weights)[0]
            double = agency == "education" and rng.random() < DOUBLE_RATE_SHARE
            first = self.audit(audit_id, plan, agency, quality, day, 1, double)
            audit_id += 1
            if double:
                second = self.audit(audit_id, plan, agency, quality, day, 2, True)
                audit_id += 1
                self.moderation(first, second)
            plan_id += 1
        return self.rows


def _next_id(session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def make_rows(
    url: str, n_audits: int, *, seed: int = 11, months: int = 24, until: date | None = None
) -> Rows:
    with session_scope(url) as session:
        version = session.scalar(
            select(RubricVersion)
            .where(RubricVersion.rubric_key == "ehcp_core")
            .order_by(RubricVersion.id.desc())
        )
        if version is None:
            raise LookupError("the ehcp_core rubric is not registered in this database")
        maker = _Maker(
            rubric_of(version),
            version.id,
            _next_id(session, User),
            seed,
            months,
            until or date.today(),
        )
        return maker.make(n_audits, _next_id(session, Plan), _next_id(session, Audit))


def _tables() -> list[tuple[str, Table]]:
    return [
        ("users", User.__table__),
        ("plans", Plan.__table__),
        ("audits", Audit.__table__),
        ("scores", CriterionScore.__table__),
        ("moderations", Moderation.__table__),
    ]


def _write_sqlite(url: str, rows: Rows) -> None:
    with engine_for(url).begin() as connection:
        for name, table in _tables():
            batch = getattr(rows, name)
            for start in range(0, len(batch), CHUNK):
                connection.execute(insert(table), batch[start : start + CHUNK])


def _copy_value(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def _write_postgres(url: str, rows: Rows) -> None:
    raw = engine_for(url).raw_connection()
    try:
        cursor = raw.cursor()
        for name, table in _tables():
            batch = getattr(rows, name)
            if not batch:
                continue
            columns = list(batch[0])
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row([_copy_value(row[c]) for c in columns])
        for table in ("users", "plans", "audits", "criterion_scores", "moderations"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def fill(
    url: str, n_audits: int, *, seed: int = 11, months: int = 24, until: date | None = None
) -> Rows:
    """Add ``n_audits`` finished audits (with plans, scores and moderations) to a migrated
    database whose rubrics are registered; returns the rows written."""
    rows = make_rows(url, n_audits, seed=seed, months=months, until=until)
    if make_url(url).get_backend_name() == "sqlite":
        _write_sqlite(url, rows)
        with engine_for(url).begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    else:
        _write_postgres(url, rows)
    return rows
