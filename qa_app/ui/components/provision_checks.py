"""Beside the provision criteria on the audit page: each provision item with the
provision check's verdict, what it lacks, and agree/disagree buttons stored at once; and
the plan's golden thread as a matrix of areas of need × need, outcomes and provision, gaps
highlighted. Plan text is shown as plain text only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.domain.thread import AREA_NAMES, AREAS
from qa_app.services.provision_feedback import (
    AuditProvisionChecks,
    ProvisionCheckView,
    provision_checks_for_audit,
    record_provision_judgement,
)
from qa_app.ui.components.judgement_buttons import (
    judgement_buttons,
    show_refusal,
    store_judgement,
)
from qa_app.ui.components.notice import notice
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db

PROBLEM_KEY = "provision_checks_problem"
GAP_LABELS = {
    "need_without_outcome": "need without an outcome",
    "need_without_provision": "need without provision",
    "outcome_without_provision": "outcome without provision",
    "provision_without_need": "provision without a need",
    "no_preparing_for_adulthood_outcome": "no Preparing for Adulthood outcome",
}


def _judge(actor, audit_id: int, provision_id: int, agrees: bool) -> None:
    store_judgement(
        PROBLEM_KEY,
        record_provision_judgement,
        actor,
        audit_id=audit_id,
        provision_id=provision_id,
        agrees=agrees,
    )


def _item(actor, audit_id: int, item: ProvisionCheckView, can_judge: bool) -> None:
    with st.container(border=True):
        area = AREA_NAMES.get(item.area or "", "no area found")
        st.caption(f"Provision {item.number} · section {plain(item.section)} · {plain(area)}")
        st.text(item.text)
        verdict = item.verdict
        if verdict.weak:
            notice(
                f"Possibly vague ({verdict.p_weak:.0%} likely). {verdict.missing}",
                icon="flag",
                tone="warning",
            )
        else:
            notice(
                f"Specified and quantified ({verdict.p_weak:.0%} likely to be vague).",
                icon="check",
                tone="success",
            )
        if not can_judge:
            return
        judgement_buttons(
            f"provision item {item.number}",
            "vague" if verdict.weak else "specified",
            f"provision-check-{audit_id}-{item.provision_id}",
            item.agrees,
            _judge,
            (actor, audit_id, item.provision_id),
        )


def thread_matrix(checks: AuditProvisionChecks) -> pd.DataFrame:
    """One row per area of need that the thread touches: is the need described, which
    outcomes and provision items serve it, and its gaps."""
    thread = checks.thread
    areas_of_provision = {item.number - 1: item.area for item in checks.items}
    rows = []
    touched = (
        set(thread["needs"])
        | {link["area"] for link in thread["links"]}
        | {area for area in areas_of_provision.values() if area}
    )
    for area in [*AREAS, ""]:
        outcomes = [str(link["outcome"] + 1) for link in thread["links"] if link["area"] == area]
        provision = [str(j + 1) for j, a in areas_of_provision.items() if (a or "") == area]
        gaps = [
            GAP_LABELS.get(gap["kind"], gap["kind"])
            for gap in thread["gaps"]
            if (gap["area"] or "") == area
        ]
        if area not in touched and not (area == "" and (outcomes or provision or gaps)):
            continue
        rows.append(
            {
                "Area of need": AREA_NAMES.get(area, "no area"),
                "Need in B–D": "yes" if area in thread["needs"] else "no",
                "Outcomes": ", ".join(outcomes) or "none",
                "Provision": ", ".join(provision) or "none",
                "Gaps": "; ".join(dict.fromkeys(gaps)) or "",
            }
        )
    return pd.DataFrame(
        rows, columns=["Area of need", "Need in B–D", "Outcomes", "Provision", "Gaps"]
    )


def _highlight(frame: pd.DataFrame):
    def style(row):
        gap = bool(row["Gaps"])
        return ["background-color: #fde2e1; color: #5c0a05" if gap else "" for _ in row]

    return frame.style.apply(style, axis=1)


def _thread(checks: AuditProvisionChecks) -> None:
    st.markdown("**Golden thread: need → outcome → provision**")
    thread = checks.thread
    if not thread["links"] and not thread["needs"] and not thread["gaps"]:
        st.caption("No golden thread is stored for this plan.")
        return
    frame = thread_matrix(checks)
    st.table(_highlight(frame))
    st.caption(
        "Outcomes and provision are numbered as in sections E and F. Rows with gaps are highlighted."
    )
    if thread["gaps"]:
        st.markdown(f"**{len(thread['gaps'])} gap(s) found:**")
        for gap in thread["gaps"]:
            st.text(f"• {GAP_LABELS.get(gap['kind'], gap['kind'])}: {gap['detail']}")
    else:
        st.caption("No gaps found.")


def render_provision_checks(actor, audit_id: int) -> None:
    with db() as session:
        checks = provision_checks_for_audit(session, actor, audit_id)
    show_refusal(PROBLEM_KEY)
    weak = sum(item.verdict.weak for item in checks.items)
    st.caption(
        f"{len(checks.items)} provision items in this plan, {weak} possibly vague. "
        "Each says what is missing; agree or disagree to teach the check."
    )
    st.markdown(f"**Provision check: {weak:d} of {len(checks.items):d} items possibly vague**")
    if not checks.items:
        st.caption("No provision items were found in this plan.")
    for item in checks.items:
        _item(actor, audit_id, item, checks.can_judge)
    _thread(checks)
