"""Hands a new session's token to the ``/api/session`` route, which answers with the
HttpOnly cookie; from then on the token is out of reach of the page's scripts."""

from __future__ import annotations

import streamlit as st

_JS = """
export default function(component) {
    const { data, parentElement } = component;
    if (parentElement.dataset.handedOver === data.token) return;
    parentElement.dataset.handedOver = data.token;
    fetch(data.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: data.token }),
    }).then((response) => {
        parentElement.dataset.cookie = response.ok ? "set" : "refused";
    }).catch(() => { parentElement.dataset.cookie = "failed"; });
}
"""

_component = st.components.v2.component("qa_session_cookie", js=_JS, isolate_styles=False)

SESSION_ROUTE = "/api/session"


def hand_over_cookie(token: str) -> None:
    _component(key="qa_session_cookie", data={"token": token, "url": SESSION_ROUTE}, height=0)
