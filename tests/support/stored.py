"""Waiting for what a browser test typed to reach the database: the server saves in its
own time, so a test asks the database again until the text is there."""

from __future__ import annotations

import time
from collections.abc import Callable

POLL_SECONDS = 0.2


def wait_until_stored(read: Callable[[], object], expected: object, timeout_s: float = 30) -> None:
    """Call ``read`` until it returns ``expected``; fail, saying what it returned, after
    ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if read() == expected:
            return
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"stored: {read()!r}, expected {expected!r}")
