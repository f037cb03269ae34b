"""Evidence pack: the Word document a QA lead takes to an area SEND inspection."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from qa_app.services.errors import ServiceError
from qa_app.services.evidence_pack import EvidenceRequest, build_evidence_pack, evidence_teams
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.downloads import build_and_offer
from qa_app.ui.db import db
from qa_app.ui.session import current_actor

READY_KEY = "evidence_pack_ready"
SECTIONS = (
    "QA activity and how the sample was drawn; quality over time against the target; moderation and "
    "agreement; actions and the change at re-audit; what children, young people and families said; annual "
    "reviews; and the cases available for deep dives, by pseudonymous reference."
)


def _request(teams: list[str]) -> EvidenceRequest:
    today = date.today()
    cols = st.columns(3)
    date_from = cols[0].date_input(
        "From", value=today - timedelta(days=365), key="pack_from", format="DD/MM/YYYY"
    )
    date_to = cols[1].date_input("To", value=today, key="pack_to", format="DD/MM/YYYY")
    team = cols[2].selectbox(
        "Team",
        [None, *teams],
        format_func=lambda v: "All teams" if v is None else v,
        key="pack_team",
    )
    return EvidenceRequest(date_from, date_to, team=team)


def render() -> None:
    actor = current_actor()
    st.title("Inspection evidence pack")
    st.caption(
        "A Word document for an area SEND inspection: "
        + SECTIONS
        + " No child or member of staff is named, "
        "small numbers are suppressed, and each pack made is recorded in the audit log as an export."
    )
    try:
        with db() as session:
            request = _request(evidence_teams(session, actor))
    except ServiceError as error:
        st.error(str(error))
        return
    build_and_offer(
        request,
        lambda session: build_evidence_pack(session, actor, request, settings=current_settings()),
        name="Evidence pack",
        button="Build the evidence pack",
        key="pack",
        ready_key=READY_KEY,
    )
