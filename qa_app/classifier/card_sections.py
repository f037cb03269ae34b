"""Sections of ``docs/model-card.md`` owned by different training runs.

Each run that writes to the card (outcomes, provision, thread) owns the text between
``<!-- section:NAME start -->`` and ``<!-- section:NAME end -->``; writing one section
keeps every other section as it was, so an outcome run does not erase the provision
figures, and the other way round.
"""

from __future__ import annotations

import re
from pathlib import Path


def _start(name: str) -> str:
    return f"<!-- section:{name} start -->"


def _end(name: str) -> str:
    return f"<!-- section:{name} end -->"


_BLOCK = re.compile(r"<!-- section:([\w-]+) start -->.*?<!-- section:\1 end -->\n?", re.DOTALL)


def marked(name: str, body: str) -> str:
    return f"{_start(name)}\n{body.rstrip()}\n{_end(name)}\n"


def sections_of(text: str) -> dict[str, str]:
    """Every marked block in the text, by name, markers included."""
    return {match.group(1): match.group(0) for match in _BLOCK.finditer(text)}


def replace_section(text: str, name: str, body: str) -> str:
    """The text with section ``name`` set to ``body`` (appended when not there yet)."""
    block = marked(name, body)
    current = sections_of(text).get(name)
    if current is not None:
        return text.replace(current, block.rstrip("\n") + ("\n" if current.endswith("\n") else ""))
    return text.rstrip("\n") + "\n\n" + block


def write_section(path: Path, name: str, body: str) -> None:
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(replace_section(text, name, body), encoding="utf-8")


def keep_other_sections(new_text: str, path: Path) -> str:
    """``new_text`` followed by the marked sections of the file at ``path`` that
    ``new_text`` does not itself hold: what a run that rewrites the whole card keeps."""
    path = Path(path)
    if not path.exists():
        return new_text
    own = sections_of(new_text)
    kept = [
        block
        for name, block in sections_of(path.read_text(encoding="utf-8")).items()
        if name not in own
    ]
    if not kept:
        return new_text
    return new_text.rstrip("\n") + "\n\n" + "\n".join(block.rstrip("\n") + "\n" for block in kept)
