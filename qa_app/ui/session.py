"""Who is using the app in this browser session."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import select

from qa_app.services.access import ROLES, Actor, actor_for
from qa_app.store.models import User
from qa_app.ui.db import db

ACTOR_KEY = "actor"


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def choose_demo_user() -> Actor | None:
    """Demo mode: pick one of the synthetic demo accounts to act as."""
    with db() as session:
        users = list(session.scalars(select(User).where(User.is_synthetic.is_(True), User.is_active.is_(True)).order_by(User.id)))
        choices = {u.id: (f"{u.display_name} — {', '.join(ROLES[r] for r in sorted(u.roles))}", actor_for(u)) for u in users}
    if not choices:
        return None
    current = current_actor()
    ids = list(choices)
    index = ids.index(current.user_id) if current and current.user_id in choices else 0
    picked = st.sidebar.selectbox("Acting as (demo accounts)", ids, index=index, format_func=lambda i: choices[i][0], key="demo_user")
    st.session_state[ACTOR_KEY] = choices[picked][1]
    return choices[picked][1]
