"""Whether the database is a demo one or a real one, recorded once when it is created.

Demo data and demo accounts live only in a demo database; real accounts and imported
plans only in a real one. Nothing changes the kind afterwards (the database refuses to).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qa_app.services.errors import DemoDatabase
from qa_app.store.models import DatabaseKind, Plan, User

DEMO = "demo"
REAL = "real"

START_FOR_REAL = (
    "To start for real, point QA_DATABASE_URL at a new, empty database and run "
    "`qa-app db upgrade`, then create the first administrator with "
    '`qa-app users add NAME --name "Full Name" --role admin`.'
)


def kind_of(session: Session) -> str | None:
    """``"demo"``, ``"real"``, or None for a database whose creator has not yet said."""
    return session.scalar(select(DatabaseKind.kind).where(DatabaseKind.id == 1))


def is_demo(session: Session) -> bool:
    return kind_of(session) == DEMO


def settle_kind(session: Session, kind_if_new: str) -> str:
    """The database's kind; a new database takes ``kind_if_new``, an older one keeps its own."""
    if kind_if_new not in (DEMO, REAL):
        raise ValueError(f"unknown database kind {kind_if_new!r}")
    existing = kind_of(session)
    if existing is not None:
        return existing
    if kind_if_new == DEMO and _holds_real_records(session):
        kind_if_new = REAL
    session.add(DatabaseKind(id=1, kind=kind_if_new))
    session.flush()
    return kind_if_new


def refuse_in_demo(session: Session, doing: str) -> None:
    """Raise ``DemoDatabase`` when real work (``doing``) is asked of a demo database. A
    database whose kind is not yet recorded becomes a real one by this work."""
    if settle_kind(session, REAL) == DEMO:
        raise DemoDatabase(
            f"This is a demo database, holding only synthetic data: {doing} is not allowed here. "
            + START_FOR_REAL
        )


def refuse_unless_demo(session: Session) -> None:
    """Raise ``DemoDatabase`` when demo data is asked of a real database."""
    if kind_of(session) == REAL:
        raise DemoDatabase(
            "This is a real database: demo data and demo accounts are never added to one. "
            "For a demo, run `qa-app demo` with QA_DATABASE_URL naming a new, empty database "
            "(or leave QA_DATABASE_URL unset to use audits/demo.sqlite3)."
        )


def _holds_real_records(session: Session) -> bool:
    real_user = select(User.id).where(User.is_synthetic.is_(False))
    real_plan = select(Plan.id).where(Plan.is_synthetic.is_(False))
    return session.scalar(select(or_(real_user.exists(), real_plan.exists()))) or False
