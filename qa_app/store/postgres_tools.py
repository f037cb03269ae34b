"""Where this machine's PostgreSQL programs are: the server's (``initdb``, ``pg_ctl``)
and the newest ``pg_dump``/``pg_restore``, which must not be older than the server."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path


def tool_environment(password: str | None = None) -> dict[str, str]:
    """The environment a PostgreSQL program runs in: this process's own, with the
    password added, since on the command line a process listing would show it."""
    environment = dict(os.environ)
    if password:
        environment["PGPASSWORD"] = password
    return environment


def server_bin_dir() -> Path | None:
    """The folder of the newest installed PostgreSQL server's programs, or None."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    return Path(candidates[-1]).parent if candidates else None
