"""Rubric files and their stored versions.

A rubric file on disk is registered as a ``RubricVersion`` keyed by its content hash. An
edited file becomes a new version; audits keep the version they were scored on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.domain.rubric import Rubric, RubricError, content_hash, load_rubric_text
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, require
from qa_app.services.errors import NotFound
from qa_app.services.events import RubricRegistered
from qa_app.store.models import RubricVersion, utcnow


@lru_cache(maxsize=64)
def parse_rubric(text: str, source: str = "<stored rubric>") -> Rubric:
    return load_rubric_text(text, source)


_by_content_hash: dict[str, Rubric] = {}
PARSED_RUBRICS = 64


def rubric_of(version: RubricVersion) -> Rubric:
    """The parsed rubric of a stored version. A version's text never changes and its
    content hash names it, so a version seen before is found by hash without reading
    (or hashing) its text again."""
    rubric = _by_content_hash.get(version.content_hash)
    if rubric is None:
        rubric = parse_rubric(version.content, f"{version.rubric_key} v{version.version}")
        if len(_by_content_hash) >= PARSED_RUBRICS:
            _by_content_hash.clear()
        _by_content_hash[version.content_hash] = rubric
    return rubric


def rubric_files(directory: str | Path) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml")) + sorted(Path(directory).glob("*.yml"))


def register_rubric_text(session: Session, actor: Actor, text: str, source: str) -> RubricVersion:
    """Store this rubric text as a version unless an identical one is stored already."""
    require(actor, Action.ADD_RUBRICS)
    rubric = parse_rubric(text, source)
    digest = content_hash(text)
    existing = session.scalar(
        select(RubricVersion).where(
            RubricVersion.rubric_key == rubric.id, RubricVersion.content_hash == digest
        )
    )
    if existing is not None:
        return existing
    version = RubricVersion(
        rubric_key=rubric.id,
        version=rubric.version,
        title=rubric.title,
        content_hash=digest,
        content=text,
    )
    session.add(version)
    session.flush()
    event_log.record(
        session,
        actor,
        RubricRegistered(
            version.id,
            new=f"{rubric.id} v{rubric.version} {digest[:12]}",
        ),
    )
    return version


def register_rubric_files(
    session: Session, actor: Actor, directory: str | Path
) -> tuple[list[RubricVersion], list[RubricError]]:
    """Register every valid rubric file; broken files are returned, not raised, so one
    bad file does not hide the others."""
    versions, errors = [], []
    for path in rubric_files(directory):
        try:
            versions.append(
                register_rubric_text(session, actor, path.read_text(encoding="utf-8"), path.name)
            )
        except RubricError as error:
            errors.append(error)
    return versions, errors


def current_versions(session: Session) -> list[RubricVersion]:
    """The newest stored version of each rubric: plan rubrics first, then the other kinds
    (annual reviews), each by title."""
    newest: dict[str, RubricVersion] = {}
    for version in session.scalars(select(RubricVersion).order_by(RubricVersion.id)):
        newest[version.rubric_key] = version
    return sorted(newest.values(), key=lambda v: (rubric_of(v).kind != "plan", v.title))


def all_versions(session: Session) -> list[RubricVersion]:
    return list(
        session.scalars(select(RubricVersion).order_by(RubricVersion.rubric_key, RubricVersion.id))
    )


def get_version(session: Session, version_id: int) -> RubricVersion:
    version = session.get(RubricVersion, version_id)
    if version is None:
        raise NotFound(f"There is no rubric version {version_id}.")
    return version


def mark_used(version: RubricVersion) -> None:
    if version.first_used_at is None:
        version.first_used_at = utcnow()
