"""The frozen list of ordinary words that redaction keeps when they are capitalised.

``known_words.txt`` (in this package) is built from texts that ship with the tool and name
no real person: the rubrics and the demo phrase bank. It is versioned and frozen, so
what a report masks does not change when the classifier's training data changes. Refresh
it after changing those texts, and raise ``VERSION``:

    python -m qa_app.reports.known_words
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from qa_app.settings import PROJECT_ROOT

VERSION = 3
KNOWN_WORDS_PATH = Path(__file__).resolve().parent / "known_words.txt"
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def source_paths(root: Path = PROJECT_ROOT) -> list[Path]:
    return [
        *sorted((root / "rubrics").glob("*.y*ml")),
        root / "qa_app" / "services" / "demo_text.py",
    ]


def build_known_words(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Words the texts write in lower case, and the acronyms (two or more capitals) they use."""
    lower: set[str] = set()
    acronyms: set[str] = set()
    for text in texts:
        for word in _WORD.findall(text):
            if word.islower():
                lower.add(word)
            elif word.isupper() and len(word) >= 2:
                acronyms.add(word)
    return frozenset(lower), frozenset(acronyms)


def render_known_words(lower: frozenset[str], acronyms: frozenset[str], paths: list[Path]) -> str:
    names = ", ".join(str(path.relative_to(PROJECT_ROOT)) for path in paths)
    return "".join(
        [
            f"# known words, version {VERSION}; built from {names}\n",
            "# lower-case words, then acronyms after the [acronyms] line\n",
            *(f"{word}\n" for word in sorted(lower)),
            "[acronyms]\n",
            *(f"{word}\n" for word in sorted(acronyms)),
        ]
    )


def parse_known_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    lower: set[str] = set()
    acronyms: set[str] = set()
    target = lower
    for line in text.splitlines():
        if line == "[acronyms]":
            target = acronyms
        elif line and not line.startswith("#"):
            target.add(line)
    return frozenset(lower), frozenset(acronyms)


@lru_cache(maxsize=1)
def known_words() -> tuple[frozenset[str], frozenset[str]]:
    """The frozen list: ordinary lower-case words, and acronyms."""
    return parse_known_words(KNOWN_WORDS_PATH.read_text(encoding="utf-8"))


def rebuild(paths: list[Path] | None = None) -> str:
    paths = source_paths() if paths is None else paths
    lower, acronyms = build_known_words(path.read_text(encoding="utf-8") for path in paths)
    return render_known_words(lower, acronyms, paths)


if __name__ == "__main__":
    KNOWN_WORDS_PATH.write_text(rebuild(), encoding="utf-8")
    print(f"wrote {KNOWN_WORDS_PATH}")
