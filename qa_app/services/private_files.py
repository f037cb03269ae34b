"""Files that carry personal data (backups, exports, reports) are created readable and
writable by their owner only, before any data goes into them, and replaced atomically."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_NOTE = "file mode 0600: readable and writable by its owner only"


def private_partial(target: Path) -> Path:
    """An empty file beside ``target``, created 0600, to write into and then move over
    ``target`` with ``os.replace``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
    return partial


def write_private(target: Path, content: bytes) -> Path:
    """Write ``content`` to ``target`` as a 0600 file (an existing file is replaced)."""
    target = Path(target)
    partial = private_partial(target)
    try:
        partial.write_bytes(content)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
