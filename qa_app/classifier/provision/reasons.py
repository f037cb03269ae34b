"""Why a provision item is weak (vague), and what the writer should add."""

from __future__ import annotations

from qa_app.classifier.reasons import parse_codes

PROVISION_REASON_CODES: tuple[str, ...] = (
    "no_frequency",
    "no_duration_or_amount",
    "no_deliverer",
    "hedged_wording",
    "no_group_size",
    "not_provision",
)

PROVISION_REASON_HINTS: dict[str, str] = {
    "no_frequency": "say how often (daily, three times a week, each half term)",
    "no_duration_or_amount": "say for how long or how much (20-minute sessions, 5 hours a week, a block of 10)",
    "no_deliverer": "say who delivers it, with their role and any qualification or training",
    "hedged_wording": 'remove hedges such as "access to", "regular", "up to", "as required", "opportunities"',
    "no_group_size": "say the group size or ratio (1:1, a group of no more than four)",
    "not_provision": "this reads as an outcome or a need: move it to section E or B and say what will be provided",
}


def parse_provision_reasons(text: str) -> tuple[str, ...]:
    return parse_codes(text, PROVISION_REASON_CODES)


def missing_sentence(reasons) -> str:
    """One plain sentence naming what a weak item lacks, e.g. "Say how often; say who
    delivers it, ..."."""
    hints = [PROVISION_REASON_HINTS[code] for code in reasons if code in PROVISION_REASON_HINTS]
    if not hints:
        return ""
    text = "; ".join(hints)
    return text[0].upper() + text[1:] + "."
