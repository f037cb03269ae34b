"""Accessibility statement, as the Public Sector Bodies (Websites and Mobile Applications)
Accessibility Regulations 2018 ask for: how accessible the app is, what is known not to
work, how it was tested, and how to report a problem. Open to everyone, signed in or not."""

from __future__ import annotations

import streamlit as st

TESTED = "1 December 2026"

KNOWN_GAPS = [
    "Chart pictures are drawn on a canvas. Each chart has a list of the audits behind it and a CSV download of its "
    "figures, which screen readers can read, but the chart itself cannot be explored point by point.",
    "Tables drawn by the app (for example the lists of audits and plans) are canvas grids: they can be read with "
    "the keyboard, but screen readers announce them only partly. Every table that opens something has a select "
    "box or links beside it that do the same.",
    "The app has not yet been tested with a screen reader user or by an external auditor.",
    "The layout is built for screens 1000 pixels wide or more; on a phone the audit page is long and tables "
    "scroll sideways. Zooming to 200% and reflow have not been tested.",
    "The audit page is long: the plan and the rubric scroll together, and when a submit is refused the list of "
    "what is missing does not link to each criterion.",
]


def render() -> None:
    st.title("Accessibility statement")
    st.markdown(
        "This statement covers the EHCP quality-assurance audit tool. We want as many people as possible to be "
        "able to use it. You should be able to:"
    )
    st.markdown(
        "- do every task with the keyboard alone, with the focus always visible\n"
        "- read every text and control at a contrast of 4.5:1 or more (3:1 for chart colours and focus rings)\n"
        "- tell the grades apart in charts without colour: every grade is also named\n"
        "- use the app with a screen reader: every control has a name"
    )
    st.subheader("How accessible it is")
    st.markdown(
        "The app aims to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. "
        "It is **partially compliant**, because of the gaps listed below."
    )
    st.subheader("Known gaps")
    st.markdown("\n".join(f"- {gap}" for gap in KNOWN_GAPS))
    st.subheader("How it was tested")
    st.markdown(
        f"Last tested on {TESTED}. An automated test in the project's test suite signs in as every role, opens "
        "every page (and an audit, a plan and a moderation), and runs axe-core against the WCAG 2.0, 2.1 and "
        "2.2 A and AA rules in Chromium; it fails on any serious or critical problem. A second test does a whole "
        "audit with the keyboard alone. The Word reports are checked for page numbers, language, document title, "
        "image descriptions and repeating table headers."
    )
    st.subheader("Reporting a problem")
    st.markdown(
        "If something does not work for you, tell your QA lead or the council's service desk, saying which page and "
        "what you were doing. If you are not happy with the answer, you can contact the Equality Advisory and "
        "Support Service (EASS). The Equality and Human Rights Commission enforces the regulations in England."
    )
