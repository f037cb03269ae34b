"""Agree and Disagree buttons for a classifier's verdict on one plan statement (an
outcome's flag, a provision item's check), stored at once in the button's callback."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from qa_app.services.errors import ServiceError
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db


def judgement_buttons(
    statement: str, shown: str, key: str, agrees: bool | None, on_click, args: tuple
) -> None:
    """Named in full ("Agree that outcome 3 is weak"): a screen reader's list of buttons
    shows names without the statement they sit beside. ``on_click(*args, agrees)``
    stores the judgement; ``agrees`` is the one stored so far, if any."""
    for agreeing, text in ((True, "Agree"), (False, "Disagree")):
        st.button(
            f"{text} that {statement} is {shown}",
            key=f"{key}-{'agree' if agreeing else 'disagree'}",
            type="primary" if agrees is agreeing else "secondary",
            on_click=on_click,
            args=(*args, agreeing),
            width="stretch",
        )
    if agrees is not None:
        st.caption(f"You {'agreed' if agrees else 'disagreed'} that it is {plain(shown)}.")


def show_refusal(problem_key: str) -> None:
    """The refusal ``store_judgement`` kept, shown once."""
    problem = st.session_state.pop(problem_key, None)
    if problem:
        st.error(problem)


def store_judgement(problem_key: str, record: Callable, actor, **judgement) -> None:
    """``record(session, actor, **judgement)``; a refusal is kept under ``problem_key``
    for the next run to show."""
    try:
        with db() as session:
            record(session, actor, **judgement)
        st.session_state.pop(problem_key, None)
    except ServiceError as problem:
        st.session_state[problem_key] = str(problem)
