"""Section E outcomes on the audit page, each with the classifier's flag, its probability
and reasons, a hint on making the outcome SMART, and one-click agree/disagree buttons
whose judgement is stored at once."""

from __future__ import annotations

import streamlit as st

from qa_app.classifier import REASON_HINTS, smart_parts
from qa_app.services.outcome_feedback import (
    OutcomeFlagView,
    outcome_flags_for_audit,
    record_judgement,
)
from qa_app.ui.components.judgement_buttons import (
    judgement_buttons,
    show_refusal,
    store_judgement,
)
from qa_app.ui.components.notice import notice
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db

PROBLEM_KEY = "outcome_flags_problem"


def _judge(actor, audit_id: int, outcome_id: int, agrees: bool) -> None:
    store_judgement(
        PROBLEM_KEY,
        record_judgement,
        actor,
        audit_id=audit_id,
        outcome_id=outcome_id,
        agrees=agrees,
    )


def _reason_label(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _flag(item: OutcomeFlagView) -> None:
    verdict = item.flag.verdict
    if not verdict.weak:
        notice(
            f"Not flagged: {verdict.p_weak:.0%} likely to be weak.", icon="check", tone="success"
        )
        return
    lines = [f"**Flagged as possibly weak** ({verdict.p_weak:.0%} likely)."]
    lines += [
        f"- *{_reason_label(code)}*: {REASON_HINTS[code]}"
        if code in REASON_HINTS
        else f"- *{_reason_label(code)}*"
        for code in verdict.reasons
    ]
    notice("\n".join(lines), icon="flag", tone="warning", markup=True)


def _smart_parts(item: OutcomeFlagView) -> None:
    """The SMART parts the classifier read, as plain text (they are the plan's words)."""
    parts = smart_parts(item.text, item.timescale)
    shown = [
        ("Who", parts.who),
        ("Action", parts.action if parts.action_kind == "observable" else ""),
        ("Condition", parts.condition),
        ("Success criterion", parts.criterion),
        ("Timescale", parts.timescale),
    ]
    st.text(
        "SMART parts read: " + "; ".join(f"{name}: {value or 'not found'}" for name, value in shown)
    )


def _buttons(actor, audit_id: int, number: int, item: OutcomeFlagView) -> None:
    judgement_buttons(
        f"outcome {number}",
        "weak" if item.flag.verdict.weak else "not weak",
        f"outcome-flag-{audit_id}-{item.outcome_id}",
        item.agrees,
        _judge,
        (actor, audit_id, item.outcome_id),
    )


def render_outcome_flags(actor, audit_id: int) -> None:
    """Every outcome of the audited plan; judging buttons on the auditor's own audit."""
    with db() as session:
        flags = outcome_flags_for_audit(session, actor, audit_id)
    show_refusal(PROBLEM_KEY)
    for number, item in enumerate(flags.outcomes, start=1):
        with st.container(border=True):
            st.markdown(f"**Outcome {number}.** {plain(item.text)}")
            details = " · ".join(part for part in (item.area, item.timescale) if part)
            if details:
                st.caption(plain(details))
            _flag(item)
            _smart_parts(item)
            if flags.can_judge:
                _buttons(actor, audit_id, number, item)


def flagged_outcome_count(actor, audit_id: int) -> int:
    """How many of the plan's outcomes are flagged, by the same verdicts as the plan pane."""
    with db() as session:
        flags = outcome_flags_for_audit(session, actor, audit_id)
    return sum(item.flag.verdict.weak for item in flags.outcomes)
