"""Where this machine's PostgreSQL programs are: the server's (``initdb``, ``pg_ctl``)
and the newest ``pg_dump``/``pg_restore``, which must not be older than the server."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path


def server_bin_dir() -> Path | None:
    """The folder of the newest installed PostgreSQL server's programs, or None."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    return Path(candidates[-1]).parent if candidates else None
