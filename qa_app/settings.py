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
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "audits" / "qa.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    rubrics_dir: str = str(PROJECT_ROOT / "rubrics")
    demo: bool = True
    good_target_pct: float = 100.0
    suppression_size: int = 5
    weak_share_threshold: float = 0.5
    weak_mean_p_threshold: float = 0.5
    min_outcomes: int = 3
    idle_timeout_minutes: int = 30
    session_max_hours: int = 12
    retention_days: int = 730
    show_auditor_names: bool = False
    oidc_role_claim: str = ""
    oidc_agency_claim: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_default_database(self) -> bool:
        return self.database_url == Settings.database_url

    @property
    def seed_demo_on_start(self) -> bool:
        """Demo data is seeded only into the embedded default database, unless asked."""
        explicit = os.environ.get("QA_DEMO")
        if explicit is not None:
            return self.demo
        return self.demo and self.is_default_database


def _coerce(raw: str, kind: type):
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values = {}
    for field in fields(Settings):
        raw = environ.get(f"QA_{field.name.upper()}")
        if raw not in (None, ""):
            kind = {"bool": bool, "int": int, "float": float}.get(str(field.type), str)
            values[field.name] = _coerce(raw, kind)
    return Settings(**values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()
