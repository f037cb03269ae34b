"""Keeps the dashboard's summary tables in step with the audits they summarise.

At write time: a service that changes what the dashboards count (submit, reopen, agree a
moderation) opens a ``SummaryChange`` before the change and applies it after, in the same
transaction. The change recomputes the facts of the audits it touched and adds the
difference into the month and criterion totals, so the summary is current the moment the
change commits and the next dashboard request has nothing to catch up.

As a safety net for every other writer (bulk loads, restores, re-flagging plans): the
*data version* is a change counter that database triggers keep (migration 0010: one more
whenever a finished audit, an agreed moderation or a plan's weak flag changes, whoever
writes it), read in one row on every dashboard request and compared with the version the
summary reflects. When it differs, the facts of the audits that may have changed are
recomputed and compared with the stored ones; only the months whose facts changed have
their totals aggregated again from the score rows.

Counted audits are finished (submitted or moderated) first ratings: the second rating of a
double-rated plan is not counted again, and where moderation has agreed a grade, that
grade replaces the first auditor's.
"""

from __future__ import annotations

import threading
from typing import cast

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, case, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from qa_app.store.models import Audit, CriterionScore, Moderation, Plan
from qa_app.store.summary_tables import (
    COUNTS,
    PLAN_DIMENSIONS,
    audit_facts,
    change_counter,
    criterion_totals,
    month_totals,
    summary_state,
)

FINISHED = ("submitted", "moderated")
CHUNK = 500
MONTH = 3  # position of the month in a facts row
_refresh_lock = threading.Lock()
_COUNTED = (Audit.status.in_(FINISHED), Audit.submitted_at.is_not(None), Audit.rating_order == 1)
TIMELY_DAYS = 20 * 7
SCORE_COUNTS = ("score_sum", "score_count", "good_count")
FACT_NAMES = tuple(column.name for column in audit_facts.columns)


def count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def fact_counts() -> list:
    """The additive counts of a group of audit facts, labelled as in ``COUNTS``."""
    f = audit_facts.c
    expressions = {
        "audits": func.count(),
        "graded": func.count(f.grade),
        "good": count_if(f.grade >= 3),
        **{f"grade_{g}": count_if(f.grade == g) for g in (4, 3, 2, 1)},
        "flag_known": func.count(f.weak_flag),
        "flagged": count_if(f.weak_flag == 1),
        "pairs": func.count(f.pair_agreed),
        "agreed": count_if(f.pair_agreed == 1),
        "new_dated": func.count(f.days_to_issue),
        "on_time": count_if(f.days_to_issue <= TIMELY_DAYS),
    }
    return [expressions[name].label(name) for name in COUNTS]


def data_version(session: Session, *, lock: bool = False) -> str:
    """The change counter the triggers keep: it moves whenever a counted audit, an agreed
    moderation or a plan's weak flag changes (a new plan, a draft audit or a moderation in
    progress changes nothing the dashboards count). One row, so cheap on every request.
    ``lock`` holds the counter until the transaction ends, so that no other writer's change
    is counted in between."""
    query = select(change_counter.c.changes).where(change_counter.c.id == 1)
    if lock:
        query = query.with_for_update()
    return str(session.scalar(query) or 0)


def stored_version(session: Session) -> str:
    return session.scalar(select(summary_state.c.data_version).where(summary_state.c.id == 1)) or ""


def _agreed_grades(session: Session, plan_ids: list[int] | None) -> dict[int, int]:
    """Grades agreed at moderation, by the first audit of the pair."""
    query = select(Moderation.first_audit_id, Moderation.overall_grade).where(
        Moderation.status == "agreed", Moderation.overall_grade.is_not(None)
    )
    if plan_ids is not None:
        query = query.where(Moderation.plan_id.in_(plan_ids))
    # The query leaves out moderations without a grade.
    return cast(dict[int, int], dict(session.execute(query).all()))


def _second_grades(
    session: Session, plan_ids: list[int] | None
) -> dict[tuple[int, str], int | None]:
    """The second auditor's own grade, by plan and agency, for double-rated plans."""
    query = (
        select(Audit.plan_id, Audit.agency, Audit.overall_grade)
        .where(Audit.rating_order == 2, Audit.status.in_(FINISHED))
        .order_by(Audit.id.desc())
    )
    if plan_ids is not None:
        query = query.where(Audit.plan_id.in_(plan_ids))
    return {(plan_id, agency): grade for plan_id, agency, grade in session.execute(query)}


def _current_facts(session: Session, only: list[int] | None = None) -> dict[int, tuple]:
    """The facts of every counted audit (or of those in ``only`` that count)."""
    plan_ids = None
    if only is not None and len(only) <= CHUNK:
        plan_ids = list(session.scalars(select(Audit.plan_id).where(Audit.id.in_(only)).distinct()))
    agreed, seconds = _agreed_grades(session, plan_ids), _second_grades(session, plan_ids)
    query = (
        select(
            Audit.id,
            Audit.plan_id,
            Audit.version,
            Audit.submitted_at,
            Audit.rubric_version_id,
            Audit.agency,
            Plan.team,
            Plan.primary_need,
            Plan.key_stage,
            Plan.setting_type,
            Plan.plan_type,
            Plan.year_group,
            Audit.overall_grade,
            Audit.double_rated,
            Plan.weak_flag,
            Plan.request_date,
            Plan.issue_date,
        )
        .join(Plan, Plan.id == Audit.plan_id)
        .where(*_COUNTED)
    )
    rows = (
        session.execute(query)
        if only is None
        else (
            row for ids in _chunks(only) for row in session.execute(query.where(Audit.id.in_(ids)))
        )
    )
    facts: dict[int, tuple] = {}
    for (
        audit_id,
        plan_id,
        audit_version,
        submitted_at,
        rubric_version_id,
        agency,
        team,
        need,
        stage,
        setting,
        kind,
        year,
        own_grade,
        double_rated,
        weak,
        requested,
        issued,
    ) in rows:
        assert submitted_at is not None  # _COUNTED: finished audits only
        second_grade = seconds.get((plan_id, agency)) if double_rated else None
        days_to_issue = (
            (issued - requested).days if kind == "new" and requested and issued else None
        )
        facts[audit_id] = (
            audit_id,
            plan_id,
            audit_version,
            submitted_at.strftime("%Y-%m"),
            submitted_at.date(),
            rubric_version_id,
            agency,
            team,
            need,
            stage,
            setting,
            kind,
            year,
            agreed.get(audit_id, own_grade),
            None if weak is None else int(weak),
            None if second_grade is None or own_grade is None else int(second_grade == own_grade),
            days_to_issue,
        )
    return facts


def _stored_facts(session: Session, only: list[int] | None = None) -> dict[int, tuple]:
    query = select(*audit_facts.columns)
    rows = (
        session.execute(query)
        if only is None
        else (
            row
            for ids in _chunks(only)
            for row in session.execute(query.where(audit_facts.c.audit_id.in_(ids)))
        )
    )
    return {row[0]: tuple(row) for row in rows}


def _flag_as_int(column):
    return case((column.is_(True), 1), (column.is_(False), 0), else_=None)


def _candidates(session: Session) -> list[int]:
    """Audits whose facts may have changed: new or re-versioned counted audits, the first
    ratings of double-rated plans and moderated pairs (their partner or agreed grade may
    have changed), audits of plans whose weak flag changed, and stored facts whose audit
    no longer counts."""
    f = audit_facts.c
    moderated = select(Moderation.first_audit_id)
    current = (
        select(Audit.id)
        .outerjoin(audit_facts, (f.audit_id == Audit.id) & (f.audit_version == Audit.version))
        .where(
            *_COUNTED, f.audit_id.is_(None) | Audit.double_rated.is_(True) | Audit.id.in_(moderated)
        )
    )
    counted = select(Audit.id).where(*_COUNTED, Audit.id == f.audit_id).exists()
    gone = select(f.audit_id).where(~counted)
    reflagged = (
        select(f.audit_id)
        .join(Plan, Plan.id == f.plan_id)
        .where(func.coalesce(f.weak_flag, -1) != func.coalesce(_flag_as_int(Plan.weak_flag), -1))
    )
    return sorted(
        set(session.scalars(current)) | set(session.scalars(gone)) | set(session.scalars(reflagged))
    )


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Aggregating from scratch reads each counted score row once and adds it up with numpy
# under every plan filter (one bincount per filter and count); grouping in SQL would sort
# the millions of score rows once per filter, which SQLite does slowly.
HEAD = ["month", "rubric_version_id", "agency"]
WHOLE_TABLE_FROM = 20_000  # audits


def _fact_frame(session: Session, months: list[str]) -> pd.DataFrame:
    f = audit_facts.c
    names = [
        "audit_id",
        *HEAD,
        *PLAN_DIMENSIONS,
        "grade",
        "weak_flag",
        "pair_agreed",
        "days_to_issue",
    ]
    rows = [
        tuple(row)
        for row in session.execute(select(*(f[n] for n in names)).where(f.month.in_(months)))
    ]
    facts = pd.DataFrame(rows, columns=names)
    for name in PLAN_DIMENSIONS:
        facts[name] = facts[name].fillna("")
    return facts


def _score_rows(session: Session, audit_ids: list[int]) -> list[tuple]:
    """(audit id, criterion id, score) of every level score of these audits; for a large
    share of all audits, read in one sequential pass over the score table (as plain tuples
    from the driver's cursor) rather than looked up audit by audit."""
    score = CriterionScore.score
    query = select(CriterionScore.audit_id, CriterionScore.criterion_id, score).where(
        score.is_not(None)
    )
    if len(audit_ids) <= WHOLE_TABLE_FROM:
        return [
            tuple(row)
            for ids in _chunks(audit_ids)
            for row in session.execute(query.where(CriterionScore.audit_id.in_(ids)))
        ]
    connection = session.connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(query.compile(dialect=connection.dialect)))
        return cast(list[tuple], cursor.fetchall())  # DB-API: a list of row tuples
    finally:
        cursor.close()


def _count_columns(facts: pd.DataFrame) -> np.ndarray:
    """Each audit's contribution to every one of ``COUNTS`` (as ``fact_counts`` counts),
    one column per count."""
    grade, weak, pair, days = (
        facts["grade"],
        facts["weak_flag"],
        facts["pair_agreed"],
        facts["days_to_issue"],
    )
    counts = {
        "audits": pd.Series(1, index=facts.index),
        "graded": grade.notna(),
        "good": grade >= 3,
        **{f"grade_{g}": grade == g for g in (4, 3, 2, 1)},
        "flag_known": weak.notna(),
        "flagged": weak == 1,
        "pairs": pair.notna(),
        "agreed": pair == 1,
        "new_dated": days.notna(),
        "on_time": days <= TIMELY_DAYS,
    }
    return np.column_stack([counts[name].to_numpy(dtype=np.int64) for name in COUNTS])


def _by_every_filter(
    facts: pd.DataFrame, owner: np.ndarray, extra: np.ndarray, extra_names: list, values: np.ndarray
) -> list[tuple]:
    """Rows of a totals table: ``values`` (one row per input row, one column per sum)
    added up per month, rubric, agency and extra key (a criterion, or nothing), for all
    plans and per value of each plan filter. ``owner`` is each input row's audit, as a
    position in ``facts``; ``extra`` its extra key, as a position in ``extra_names``."""
    rows: list[tuple] = []
    width = len(extra_names)
    for dimension in ("all", *PLAN_DIMENSIONS):
        keys = HEAD if dimension == "all" else [*HEAD, dimension]
        group_of_fact = facts.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
        groups = int(group_of_fact.max()) + 1
        labels = facts[keys].to_numpy()[np.unique(group_of_fact, return_index=True)[1]]
        cell = group_of_fact[owner] * width + extra
        present = np.bincount(cell, minlength=groups * width) > 0
        sums = [
            np.bincount(cell, weights=values[:, j], minlength=groups * width)[present].astype(
                np.int64
            )
            for j in range(values.shape[1])
        ]
        for index, *totals in zip(np.flatnonzero(present), *sums):
            month, rubric_version_id, agency, *value = labels[index // width]
            name = extra_names[index % width]
            rows.append(
                (
                    month,
                    int(rubric_version_id),
                    agency,
                    dimension,
                    value[0] if value else "",
                    *(() if name is None else (name,)),
                    *map(int, totals),
                )
            )
    return rows


def _insert_rows(session: Session, table, columns: list[str], rows: list[tuple]) -> None:
    """Many rows at once: COPY on PostgreSQL, the driver's executemany on SQLite."""
    if not rows:
        return
    connection = session.connection()
    cursor = connection.connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(
                f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows
            )
    finally:
        cursor.close()


def _aggregate_months(session: Session, months: list[str]) -> None:
    session.execute(delete(month_totals).where(month_totals.c.month.in_(months)))
    session.execute(delete(criterion_totals).where(criterion_totals.c.month.in_(months)))
    facts = _fact_frame(session, months)
    if facts.empty:
        return
    grouping = ["month", "rubric_version_id", "agency", "dimension", "value"]
    everyone = np.arange(len(facts))
    _insert_rows(
        session,
        month_totals,
        [*grouping, *COUNTS],
        _by_every_filter(
            facts, everyone, np.zeros(len(facts), dtype=np.int64), [None], _count_columns(facts)
        ),
    )
    fact_ids = facts["audit_id"].to_numpy(dtype=np.int64)
    scores = _score_rows(session, fact_ids.tolist())
    if not scores:
        return
    audit_ids = np.fromiter((row[0] for row in scores), dtype=np.int64, count=len(scores))
    criteria = np.fromiter((row[1] for row in scores), dtype=object, count=len(scores))
    levels = np.fromiter((row[2] for row in scores), dtype=np.int64, count=len(scores))
    # Each score's audit as a position among the facts; scores of other audits drop out.
    order = np.argsort(fact_ids)
    found = np.minimum(np.searchsorted(fact_ids, audit_ids, sorter=order), len(order) - 1)
    counted = fact_ids[order[found]] == audit_ids
    criterion_codes, criterion_names = pd.factorize(criteria[counted])
    values = np.column_stack(
        [
            levels[counted],
            np.ones(int(counted.sum()), dtype=np.int64),
            (levels[counted] >= 3).astype(np.int64),
        ]
    )
    _insert_rows(
        session,
        criterion_totals,
        [*grouping, "criterion_id", *SCORE_COUNTS],
        _by_every_filter(
            facts, order[found[counted]], criterion_codes, list(criterion_names), values
        ),
    )


def _fact_rows(session: Session, facts: dict[int, tuple], audit_ids: list[int]) -> list[tuple]:
    if session.get_bind().dialect.name != "sqlite":
        return [facts[a] for a in audit_ids]
    # sqlite3's own date adapter is deprecated: dates go in as the text SQLAlchemy writes.
    return [(*facts[a][:4], facts[a][4].isoformat(), *facts[a][5:]) for a in audit_ids]


def _build(session: Session) -> None:
    """The whole summary from scratch, filled table by table in bulk."""
    for table in (audit_facts, month_totals, criterion_totals):
        session.execute(delete(table))
    facts = _current_facts(session)
    connection = session.connection()
    # The facts' indexes are made after the rows arrive, each in one sorted pass, rather
    # than kept up row by row.
    for index in audit_facts.indexes:
        index.drop(bind=connection)
    _insert_rows(session, audit_facts, list(FACT_NAMES), _fact_rows(session, facts, list(facts)))
    for index in audit_facts.indexes:
        index.create(bind=connection)
    months = sorted({row[MONTH] for row in facts.values()})
    if months:
        _aggregate_months(session, months)
    # Give the query planner the tables' real sizes and spreads.
    for table in (audit_facts, month_totals, criterion_totals):
        session.execute(text(f"ANALYZE {table.name}"))


def _catch_up(session: Session, version: str) -> None:
    session.execute(select(summary_state.c.id).where(summary_state.c.id == 1).with_for_update())
    stored = stored_version(session)
    if stored == version:
        return
    if not stored:
        _build(session)
    else:
        only = _candidates(session)
        new, old = _current_facts(session, only), _stored_facts(session, only)
        changed = [audit_id for audit_id, row in new.items() if old.get(audit_id) != row]
        removed = [audit_id for audit_id in old if audit_id not in new]
        dirty_months = {new[a][MONTH] for a in changed} | {
            old[a][MONTH] for a in changed + removed if a in old
        }
        for ids in _chunks(changed + removed):
            session.execute(delete(audit_facts).where(audit_facts.c.audit_id.in_(ids)))
        _insert_rows(session, audit_facts, list(FACT_NAMES), _fact_rows(session, new, changed))
        if dirty_months:
            _aggregate_months(session, sorted(dirty_months))
    session.execute(
        update(summary_state).where(summary_state.c.id == 1).values(data_version=version)
    )


def refresh(session: Session) -> str:
    """Bring the summary up to date if the audits changed; returns the data version it
    now reflects. The catch-up is committed in a transaction of its own, one at a time
    per process, so that concurrent readers never rebuild the same months twice."""
    version = data_version(session)
    if stored_version(session) == version:
        return version
    with _refresh_lock, Session(session.get_bind()) as own:
        _catch_up(own, version)
        own.commit()
    return version


# ------------------------------------------------------------------------- write time
GROUPING = ("month", "rubric_version_id", "agency", "dimension", "value")


def _fact_counts(fact: dict) -> tuple[int, ...]:
    """One audit's contribution to each of ``COUNTS``, as ``fact_counts`` adds them up."""
    grade, weak, pair, days = (
        fact["grade"],
        fact["weak_flag"],
        fact["pair_agreed"],
        fact["days_to_issue"],
    )
    contribution = {
        "audits": 1,
        "graded": grade is not None,
        "good": grade is not None and grade >= 3,
        **{f"grade_{g}": grade == g for g in (4, 3, 2, 1)},
        "flag_known": weak is not None,
        "flagged": weak == 1,
        "pairs": pair is not None,
        "agreed": pair == 1,
        "new_dated": days is not None,
        "on_time": days is not None and days <= TIMELY_DAYS,
    }
    return tuple(int(contribution[name]) for name in COUNTS)


def _groups(fact: dict) -> list[tuple]:
    """The month-total keys one audit is counted under: all plans, and each plan filter."""
    head = (fact["month"], fact["rubric_version_id"], fact["agency"])
    return [(*head, "all", "")] + [(*head, name, fact[name] or "") for name in PLAN_DIMENSIONS]


def _add(deltas: dict, key: tuple, values: tuple, sign: int) -> None:
    current = deltas.get(key)
    signed = tuple(sign * v for v in values)
    deltas[key] = signed if current is None else tuple(a + b for a, b in zip(current, signed))


def _existing_rows(
    session: Session, table, keys: list[tuple], extra: tuple[str, ...]
) -> dict[tuple, int]:
    """Ids of the rows of ``table`` under these keys (grouping columns, then ``extra``)."""
    heads = sorted({key[:3] for key in keys})
    rows = {}
    for month, rubric_version_id, agency in heads:
        query = select(table.c.id, *(table.c[name] for name in GROUPING + extra)).where(
            table.c.month == month,
            table.c.rubric_version_id == rubric_version_id,
            table.c.agency == agency,
        )
        for row_id, *key in session.execute(query):
            rows[tuple(key)] = row_id
    return rows


def _apply_deltas(
    session: Session,
    table,
    deltas: dict[tuple, tuple],
    extra: tuple[str, ...],
    columns: tuple[str, ...],
    emptied_when: str,
) -> None:
    deltas = {key: values for key, values in deltas.items() if any(values)}
    if not deltas:
        return
    existing = _existing_rows(session, table, list(deltas), extra)
    names = GROUPING + extra
    updates = [
        {"row_id": existing[key], **{f"d_{c}": v for c, v in zip(columns, values)}}
        for key, values in deltas.items()
        if key in existing
    ]
    inserts = [
        {**dict(zip(names, key)), **dict(zip(columns, values))}
        for key, values in deltas.items()
        if key not in existing
    ]
    if updates:
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({c: table.c[c] + bindparam(f"d_{c}") for c in columns})
        )
        session.connection().execute(statement, updates)
    if inserts:
        session.connection().execute(insert(table), inserts)
    touched = [existing[key] for key in deltas if key in existing]
    for ids in _chunks(touched):
        session.execute(delete(table).where(table.c.id.in_(ids), table.c[emptied_when] == 0))


class SummaryChange:
    """Keeps the summary current through one change to counted audits, inside the
    change's own transaction.

    ``SummaryChange(session)`` before the change locks the summary (changes to it are
    serialised until the transaction ends) and notes whether it is current;
    ``apply(audit_ids)`` after the change adds the difference it made. When the summary
    was not current (never built, or behind another writer) nothing is added here: the
    next dashboard request catches up from the data version as before.
    """

    def __init__(self, session: Session):
        self.session = session
        stored = session.scalar(
            select(summary_state.c.data_version).where(summary_state.c.id == 1).with_for_update()
        )
        self.current = bool(stored) and stored == data_version(session, lock=True)

    def apply(self, audit_ids: list[int]) -> None:
        if not self.current:
            return
        session = self.session
        session.flush()
        ids = self._with_first_ratings(audit_ids)
        new = {a: dict(zip(FACT_NAMES, row)) for a, row in _current_facts(session, ids).items()}
        old = {a: dict(zip(FACT_NAMES, row)) for a, row in _stored_facts(session, ids).items()}
        changed = [a for a in ids if new.get(a) != old.get(a)]
        if changed:
            self._add_difference(changed, new, old)
            session.execute(delete(audit_facts).where(audit_facts.c.audit_id.in_(changed)))
            rows = [new[a] for a in changed if a in new]
            if rows:
                session.connection().execute(insert(audit_facts), rows)
        session.execute(
            update(summary_state)
            .where(summary_state.c.id == 1)
            .values(data_version=data_version(session))
        )

    def _with_first_ratings(self, audit_ids: list[int]) -> list[int]:
        """The audits given and the first ratings of their plans, whose pair agreement
        depends on the second rating."""
        plans = select(Audit.plan_id).where(Audit.id.in_(audit_ids))
        firsts = self.session.scalars(
            select(Audit.id).where(Audit.plan_id.in_(plans), Audit.rating_order == 1)
        )
        return sorted(set(audit_ids) | set(firsts))

    def _add_difference(self, changed: list[int], new: dict, old: dict) -> None:
        scores: dict[int, list[tuple[str, int]]] = {}
        score_rows = select(
            CriterionScore.audit_id, CriterionScore.criterion_id, CriterionScore.score
        ).where(CriterionScore.audit_id.in_(changed), CriterionScore.score.is_not(None))
        for audit_id, criterion_id, score in self.session.execute(score_rows):
            assert score is not None  # the query leaves out N/A
            scores.setdefault(audit_id, []).append((criterion_id, score))
        months: dict[tuple, tuple] = {}
        criteria: dict[tuple, tuple] = {}
        for audit_id in changed:
            for fact, sign in ((old.get(audit_id), -1), (new.get(audit_id), 1)):
                if fact is None:
                    continue
                counts = _fact_counts(fact)
                for key in _groups(fact):
                    _add(months, key, counts, sign)
                    for criterion_id, score in scores.get(audit_id, []):
                        _add(criteria, (*key, criterion_id), (score, 1, int(score >= 3)), sign)
        _apply_deltas(self.session, month_totals, months, (), COUNTS, "audits")
        _apply_deltas(
            self.session, criterion_totals, criteria, ("criterion_id",), SCORE_COUNTS, "score_count"
        )
