"""Text typed or imported into the app, checked once where it enters a service.

The same rules hold on SQLite and PostgreSQL (whose text type cannot hold NUL at all):

- a NUL character is refused with a message saying so;
- vertical tab and form feed, which Word's Shift+Enter and page breaks paste, become
  line breaks, as do carriage returns;
- every other C0 control character (and DEL) is dropped; tab and newline are kept;
- each field has a length limit, named in the message that refuses longer text.

Single-line fields (usernames, filters, team names) turn line breaks into spaces.
"""

from __future__ import annotations

import re

from qa_app.services.errors import InvalidInput

NOTE_LIMIT = 10_000
AUDIT_TEXT_LIMIT = 20_000
RATIONALE_LIMIT = 10_000
REASON_LIMIT = 2_000
SECTION_LIMIT = 100_000
OUTCOME_LIMIT = 5_000
PROVISION_LIMIT = 10_000
USERNAME_LIMIT = 120
DISPLAY_NAME_LIMIT = 200
EMAIL_LIMIT = 254
PASSWORD_LIMIT = 1_000
TEAM_LIMIT = 80
FILTER_LIMIT = 200
SAMPLE_NAME_LIMIT = 200

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c]")
_DROPPED = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")


def clean_text(value: str | None, label: str, limit: int, *, single_line: bool = False) -> str:
    """``value`` with the rules above applied; raises ``InvalidInput`` naming ``label``
    for a NUL character or text longer than ``limit`` characters."""
    if value is None:
        return ""
    if "\x00" in value:
        raise InvalidInput(
            f"{label} contains a NUL character (often pasted from another program), which cannot be stored. "
            "Remove it and try again."
        )
    text = _DROPPED.sub("", _LINE_BREAKS.sub("\n", value))
    if single_line:
        text = text.replace("\n", " ")
    if len(text) > limit:
        raise InvalidInput(
            f"{label} is {len(text):,} characters long; the limit is {limit:,} characters."
        )
    return text


def refuse_nul(value: str | None, label: str, limit: int) -> str:
    """A secret such as a password is never altered, only refused when it cannot be stored
    or is beyond the limit."""
    value = value or ""
    if "\x00" in value:
        raise InvalidInput(f"{label} contains a NUL character, which cannot be used.")
    if len(value) > limit:
        raise InvalidInput(
            f"{label} is {len(value):,} characters long; the limit is {limit:,} characters."
        )
    return value
