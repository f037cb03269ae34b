"""Configuration, read once from the environment into a typed object.

Every setting has an environment variable named ``QA_<FIELD>`` in upper case; the README
lists them all (a test checks that none is undocumented).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "audits" / "demo.sqlite3"
# The project's rubrics/ folder; an installed wheel carries a copy inside the package.
RUBRICS_DIR = next(
    (
        folder
        for folder in (PROJECT_ROOT / "rubrics", Path(__file__).resolve().parent / "rubrics")
        if folder.is_dir()
    ),
    PROJECT_ROOT / "rubrics",
)


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    rubrics_dir: str = str(RUBRICS_DIR)
    demo: bool | None = None
    good_target_pct: float = 100.0
    suppression_size: int = 5
    weak_share_threshold: float = 0.5
    weak_mean_p_threshold: float = 0.5
    min_outcomes: int = 3
    provision_weak_share_threshold: float = 0.5
    thread_gap_threshold: int = 3
    idle_timeout_minutes: int = 30
    session_max_hours: int = 12
    retention_days: int = 730
    show_auditor_names: bool = False
    oidc_role_claim: str = ""
    oidc_agency_claim: str = ""
    migrate_on_start: bool | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_default_database(self) -> bool:
        return self.database_url == Settings.database_url

    @property
    def migrates_on_start(self) -> bool:
        """The app's start-up may create or migrate the database: by default only the
        embedded SQLite one; a PostgreSQL deployment runs ``qa-app db upgrade`` instead."""
        return self.is_sqlite if self.migrate_on_start is None else self.migrate_on_start

    @property
    def new_database_is_demo(self) -> bool:
        """Whether a database created now (empty until now) becomes a demo database.

        ``QA_DEMO`` matters only at that moment: by default the embedded database is a demo
        one and any other is real. A demo database on PostgreSQL is made only by
        ``qa-app demo``.
        """
        if not self.is_sqlite:
            return False
        return self.demo if self.demo is not None else self.is_default_database


# The settings with nothing configured: what a service uses when its caller passes none
# (auditors unnamed, the smallest group shown of five).
DEFAULTS = Settings()

BOOLEAN_WORDS = {"1": True, "true": True, "0": False, "false": False}
_KINDS = {"bool": bool, "bool | None": bool, "int": int, "float": float}


class SettingsError(ValueError):
    """A ``QA_*`` variable holds a value that cannot be read; the message names it."""


def _coerce(name: str, raw: str, kind: type):
    if kind is bool:
        value = BOOLEAN_WORDS.get(raw.strip().lower())
        if value is None:
            raise SettingsError(f"{name} must be 1, 0, true or false, not {raw!r}.")
        return value
    try:
        return kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}.") from None


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """Raises ``SettingsError`` naming the variable when a value cannot be read: a
    boolean is only ever 1, 0, true or false (any case), never empty."""
    environ = os.environ if environ is None else environ
    values = {}
    for field in fields(Settings):
        name = f"QA_{field.name.upper()}"
        raw = environ.get(name)
        kind = _KINDS.get(str(field.type), str)
        if raw is None or (raw == "" and kind is str):
            continue
        values[field.name] = _coerce(name, raw, kind)
    return Settings(**values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()
