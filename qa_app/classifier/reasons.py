"""The reason codes an auditor gives for a weak outcome, with a one-line hint on how to
make the statement SMART."""

from __future__ import annotations

REASON_CODES: tuple[str, ...] = (
    "provision_not_outcome",
    "not_measurable",
    "no_timescale",
    "vague_or_generic",
    "aspiration_not_outcome",
)

REASON_HINTS: dict[str, str] = {
    "provision_not_outcome": (
        "Say what the child will be able to do; move the support or service to section F."
    ),
    "not_measurable": (
        "Add a success criterion: how often, how well or with what help "
        '("in 4 out of 5 sessions", "without adult prompts").'
    ),
    "no_timescale": "Say by when: the end of a term, year or key stage, or a date.",
    "vague_or_generic": (
        "Name the specific skill or behaviour for this child, in plain words, "
        "so the outcome could not be pasted into another plan."
    ),
    "aspiration_not_outcome": (
        "Keep the wish in section A; write the next step towards it that the child will achieve."
    ),
}


def parse_codes(text: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Reason codes from their semicolon-separated form, in the order of ``codes``."""
    given = {part.strip() for part in text.split(";") if part.strip()}
    unknown = given.difference(codes)
    if unknown:
        raise ValueError(f"unknown reason code(s): {', '.join(sorted(unknown))}")
    return tuple(code for code in codes if code in given)


def parse_reasons(text: str) -> tuple[str, ...]:
    """Outcome reason codes from their semicolon-separated form, in canonical order."""
    return parse_codes(text, REASON_CODES)


def format_reasons(codes) -> str:
    return ";".join(code for code in REASON_CODES if code in set(codes))
