"""The SQL a pg_dump archive would run, read as text and checked before any of it runs.

Loading an archive runs the SQL it carries with the owner role's rights, and a crafted
archive can carry any SQL under any entry's name: a function that a check constraint
calls while the rows load, a statement that changes a role. So a restore first has
``pg_restore --file=-`` write out what it would run, which connects to no database, and
checks it here:

- the data part may hold only ``COPY`` into this app's tables, ``setval`` on a sequence
  and pg_restore's own session settings (``data_script``);
- the schema part must be, entry for entry, the SQL that a dump of this release's own
  schema at the backup's revision holds, made the same way (``schema_entries``,
  ``entry_differences``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# What pg_restore writes around the entries, rather than an entry's SQL.
_GENERATED_COMMENTS = re.compile(
    r"--( PostgreSQL database dump( complete)?| Dumped (from database|by pg_dump) version .*)?"
)
_ENTRY_HEADER = re.compile(r"-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: .*")
# pg_restore 17.6 and later fence the script with a random key of its own.
_RESTRICT = re.compile(r"\\(un)?restrict [A-Za-z0-9]+")
_SESSION_SETTINGS = frozenset(
    {
        "statement_timeout",
        "lock_timeout",
        "idle_in_transaction_session_timeout",
        "transaction_timeout",
        "client_encoding",
        "standard_conforming_strings",
        "check_function_bodies",
        "xmloption",
        "client_min_messages",
        "row_security",
        "default_tablespace",
        "default_table_access_method",
    }
)
_SETTING = re.compile(r"SET ([a-z_]+) = [^;]*;")
_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', '', false);"
_SETVAL = re.compile(r"SELECT pg_catalog\.setval\('public\.[a-z0-9_]+', \d+, (true|false)\);")
_COPY = re.compile(r"COPY public\.([a-z0-9_]+) \(([a-z0-9_, \"]+)\) FROM stdin;")
_END_OF_COPY = "\\."


def _generated(line: str) -> bool:
    return not line.strip() or bool(
        _GENERATED_COMMENTS.fullmatch(line) or _RESTRICT.fullmatch(line)
    )


@dataclass
class DataScript:
    """Reads the data part line by line: ``problem`` names the first line that is not
    data for one of ``tables``; ``revisions`` holds the ``alembic_version`` rows."""

    tables: frozenset[str]
    problem: str | None = None
    revisions: list[str] = field(default_factory=list)
    _copying: str | None = None

    def read(self, lines: Iterable[str]) -> DataScript:
        for raw in lines:
            self._line(raw.rstrip("\n"))
        if self._copying is not None:
            self._refuse(f"the rows of {self._copying} do not end")
        return self

    def _refuse(self, problem: str) -> None:
        # Only the first is named; reading on still finds the revision.
        self.problem = self.problem or problem

    def _line(self, line: str) -> None:
        if self._copying is not None:
            if line == _END_OF_COPY:
                self._copying = None
            elif self._copying == "alembic_version":
                self.revisions.append(line)
            return
        if _generated(line) or _ENTRY_HEADER.fullmatch(line) or line == _SEARCH_PATH:
            return
        setting = _SETTING.fullmatch(line)
        if (setting and setting[1] in _SESSION_SETTINGS) or _SETVAL.fullmatch(line):
            return
        copy = _COPY.fullmatch(line)
        if copy:
            self._copying = copy[1]
            if copy[1] not in self.tables:
                self._refuse(f"it holds rows of {copy[1]}, which is not one of this app's tables")
            return
        self._refuse(f"it runs SQL that is not a row of this app's tables ({line[:60]!r})")


def schema_entries(lines: Iterable[str]) -> dict[str, list[str]]:
    """The schema part as ``"TYPE schema.name" -> [SQL of each such entry]``; what comes
    before the first entry is under ``"settings"``."""
    entries: dict[str, list[list[str]]] = defaultdict(list)
    current = "settings"
    entries[current].append([])
    for raw in lines:
        line = raw.rstrip("\n")
        header = _ENTRY_HEADER.fullmatch(line)
        if header:
            name, kind, schema = header.groups()
            current = f"{kind} {schema}.{name}"
            entries[current].append([])
            continue
        if _generated(line):
            continue
        entries[current][-1].append(line)
    return {key: sorted("\n".join(body) for body in bodies) for key, bodies in entries.items()}


def entry_differences(found: dict[str, list[str]], expected: dict[str, list[str]]) -> list[str]:
    """What the archive's schema SQL holds that this app's does not, and the reverse."""
    differences = []
    for key in sorted(found.keys() | expected.keys()):
        kind, _, name = key.partition(" ")
        what = f"{kind.lower()} {name.removeprefix('public.')}" if name else key
        if key not in expected:
            differences.append(f"{what} is not part of this app's schema")
        elif key not in found:
            differences.append(f"{what} is missing")
        elif found[key] != expected[key]:
            differences.append(f"{what} is defined differently")
    return differences
