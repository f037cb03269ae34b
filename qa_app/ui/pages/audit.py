"""Audit: score one plan against the rubric, the plan beside the criteria.

Every change is saved to the database: a level by its radio's on_change callback, a
note or the closing text as it is typed (``components.autosave``, which also sends the
last text as the page closes), so a refresh, a closed tab or a server restart loses
nothing; each render re-reads the audit from the database. A save that fails (someone
else saved first, or the audit was locked) keeps what the auditor typed on screen, marked
unsaved, and says what happened. While the database cannot be reached the page stays,
drawn from the audit as last read, with the unsaved values on it; once the database
answers again the outage banner goes and "Try saving again" saves them.

The plan and the rubric each scroll in their own column under a summary that stays in
view (progress, saved state, grade so far). Submit asks first, saying what it locks; a
refused submit links to each criterion it names, and a finished audit links to the next.
"""

from __future__ import annotations

import streamlit as st

from qa_app.domain.grading import NOT_APPLICABLE
from qa_app.domain.plan_facts import SECTION_TITLES
from qa_app.services import audits, reaudits, typed_text
from qa_app.services.access import Action, allowed
from qa_app.services.errors import ServiceError, StaleVersion
from qa_app.services.health import DatabaseUnavailable, readiness
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.actions_panel import render_actions_panel
from qa_app.ui.components.autosave import save_tracked, save_typed_field, typed_field
from qa_app.ui.components.earlier_audit import earlier_caption, render_comparison
from qa_app.ui.components.family_voice import render_family_voice
from qa_app.ui.components.jump_links import enable_jump_links, jump_link
from qa_app.ui.components.labels import label, year_group_label
from qa_app.ui.components.notice import notice
from qa_app.ui.components.outcome_flags import flagged_outcome_count, render_outcome_flags
from qa_app.ui.components.plain import plain
from qa_app.ui.components.provision_checks import render_provision_checks
from qa_app.ui.db import db
from qa_app.ui.navigation import page_link
from qa_app.ui.session import current_actor

VIEWED_KEY = "audit_page_viewed"
RECOVERY_CHECK_SECONDS = 5
BACK_MESSAGE = (
    "The database is back. Your changes below were not saved yet: press Try saving again."
)
SUBMITTED = "The audit is submitted and locked."
# Each column scrolls on its own, as tall as the window leaves below the summary; on a
# phone the columns stack and the page scrolls as one.
_LAYOUT_CSS = """
<style>
.st-key-audit_summary {
  position: sticky; top: 4rem; z-index: 5;
  background: var(--st-background-color, #ffffff);
}
[data-testid="stLayoutWrapper"]:has(> .st-key-audit_plan_scroll),
[data-testid="stLayoutWrapper"]:has(> .st-key-audit_rubric_scroll),
.st-key-audit_plan_scroll, .st-key-audit_rubric_scroll {
  height: max(24rem, calc(100dvh - 25rem)) !important;
}
@media (max-width: 640px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-audit_plan_scroll),
  [data-testid="stLayoutWrapper"]:has(> .st-key-audit_rubric_scroll),
  .st-key-audit_plan_scroll, .st-key-audit_rubric_scroll {
    height: auto !important; overflow: visible !important;
  }
}
</style>
"""
SCROLL_HEIGHT = 600  # pixels, before the style above fits the columns to the window


def _audit_id() -> int | None:
    raw = st.query_params.get("audit")
    return int(raw) if raw and raw.isdigit() else None


def _key(audit_id: int, kind: str, target: str) -> str:
    return f"audit-{audit_id}-{kind}-{target}"


def _state(audit_id: int) -> dict:
    """This browser session's bookkeeping for one audit: the version last read, changes
    not yet saved, and the latest save outcome."""
    return st.session_state.setdefault(
        f"audit-{audit_id}-state",
        {
            "version": None,
            "unsaved": {},
            "problem": None,
            "saved_at": None,
            "submit": None,
            "outage": False,
            "conflict": False,
            "view": None,
            "field_saved_at": {},
        },
    )


def _save(audit_id: int, kind: str, target: str) -> None:
    """Callback: save the widget that just changed."""
    key = _key(audit_id, kind, target)
    value = st.session_state[key]
    _write(audit_id, kind, target, value)


def _write(audit_id: int, kind: str, target: str, value) -> None:
    state = _state(audit_id)
    key = _key(audit_id, kind, target)
    if kind == "level":
        save_tracked(
            state,
            key,
            (kind, target, value),
            lambda session, actor, version: audits.save_score(
                session, actor, audit_id, target, expected_version=version, level=value
            )[0],
        )
    else:
        save_typed_field(state, typed_text.TypedField(kind, audit_id, target), key, value)


def _save_mine_again(audit_id: int) -> None:
    state = _state(audit_id)
    state["problem"] = None
    for kind, target, value in list(state["unsaved"].values()):
        _write(audit_id, kind, target, value)


def _discard_mine(audit_id: int) -> None:
    state = _state(audit_id)
    state["unsaved"].clear()
    state["problem"] = None


def _gap_key(audit_id: int, gap: audits.SubmitGap) -> str:
    """The widget a gap is fixed in: the criterion's levels, or its evidence note."""
    if gap.needs == "note":
        return _key(audit_id, "note", gap.criterion_id) + "-autosave"
    return _key(audit_id, "level", gap.criterion_id)


def _refusal(audit_id: int, gaps) -> tuple[str, list[tuple[str, str | None]]]:
    return ("refused", [(gap.text, _gap_key(audit_id, gap)) for gap in gaps])


def _submit(audit_id: int) -> None:
    state = _state(audit_id)
    try:
        with db() as session:
            state["version"] = audits.submit(
                session, current_actor(), audit_id, expected_version=state["version"]
            )
        state["submit"] = ("success", [(SUBMITTED, None)])
    except audits.SubmitRefused as refused:
        state["submit"] = (
            _refusal(audit_id, refused.gaps)
            if refused.gaps
            else ("refused", [(problem, None) for problem in refused.problems])
        )
    except StaleVersion as error:
        state["submit"] = ("refused", [(line, None) for line in (str(error), *error.changes)])
    except ServiceError as error:
        state["submit"] = ("refused", [(str(error), None)])


def _reopen(audit_id: int) -> None:
    state = _state(audit_id)
    reason = st.session_state.get(_key(audit_id, "reopen", "reason"), "")
    try:
        with db() as session:
            state["version"] = audits.reopen(session, current_actor(), audit_id, reason)
        state["submit"] = ("success", [("The audit is reopened as a draft.", None)])
    except ServiceError as error:
        state["submit"] = ("refused", [(str(error), None)])


def _stored_values(view: audits.AuditView) -> dict[str, tuple[str, str, object]]:
    """Each level radio's key with its criterion and the level stored in the database."""
    stored = {}
    for criterion in view.criteria:
        score = view.scores.get(criterion.id)
        stored[_key(view.id, "level", criterion.id)] = (
            "level",
            criterion.id,
            score.level if score else None,
        )
    return stored


def _typed_field(
    view: audits.AuditView, label_text: str, kind: str, target: str, stored: str | None, rows: int
) -> str:
    return typed_field(
        _state(view.id),
        typed_text.TypedField(kind, view.id, target),
        label_text,
        key=_key(view.id, kind, target),
        stored=stored,
        disabled=not view.editable,
        rows=rows,
    )


def _catch_up(view: audits.AuditView) -> bool:
    """Save any level radio the browser changed whose callback did not run. Streamlit can
    drop a callback when two changes arrive while the page is still redrawing. Returns
    whether anything was saved."""
    state = _state(view.id)
    shown = state.setdefault("shown", {})
    saved = False
    for key, (kind, target, stored) in _stored_values(view).items():
        if key not in shown or key not in st.session_state or key in state["unsaved"]:
            continue
        current = st.session_state[key]
        if current != shown[key] and current != stored:
            _write(view.id, kind, target, current)
            saved = True
    return saved


def _sync_widgets(view: audits.AuditView) -> None:
    """Put the stored values (or this session's unsaved ones) into the widgets' state."""
    state = _state(view.id)
    shown = state.setdefault("shown", {})
    for key, (_, _, value) in _stored_values(view).items():
        unsaved = state["unsaved"].get(key)
        st.session_state[key] = shown[key] = unsaved[2] if unsaved else value


def _level_label(view: audits.AuditView, value) -> str:
    return "N/A" if value == NOT_APPLICABLE else f"{value} · {view.rubric.label(value)}"


def _plan_pane(view: audits.AuditView) -> None:
    meta = view.plan_meta
    st.caption(
        f"{year_group_label(meta['year_group'])} · {meta['key_stage'] or '—'} · {meta['primary_need'] or '—'} · "
        f"{label('setting_type', meta['setting_type'])} · {label('plan_type', meta['plan_type'])} · {plain(meta['team']) if meta['team'] else '—'}"
    )
    for letter, text in view.plan_sections:
        with st.expander(
            f"Section {letter}: {SECTION_TITLES.get(letter, '')}",
            expanded=letter in ("A", "E"),
            key=f"audit-{view.id}-plan-{letter}",
        ):
            if letter == "E" and view.outcomes:
                _outcomes(view)
            else:
                st.text(text or "(empty)")


def _outcomes(view: audits.AuditView) -> None:
    if _state(view.id)["outage"]:
        st.caption("The outcomes' weak-outcome flags show again when the database is back.")
        return
    render_outcome_flags(current_actor(), view.id)


def _saved_state(view: audits.AuditView) -> str:
    state = _state(view.id)
    if not view.editable:
        return (
            ":material/lock: "
            + ("Moderated" if view.status == "moderated" else "Submitted")
            + ", locked"
        )
    if state["unsaved"]:
        return f":orange[:material/sync_problem:] **{len(state['unsaved'])} change(s) not saved** (see above)"
    if state["saved_at"]:
        return f":material/cloud_done: All changes saved at {state['saved_at']}"
    return ":material/cloud_done: Every change is saved as you make it"


def _summary(view: audits.AuditView) -> None:
    """Progress, saved state and the grade so far, kept in view while the columns scroll."""
    result = view.result
    scored = sum(
        1 for c in view.criteria if c.id in view.scores and view.scores[c.id].level is not None
    )
    mean = f" · weighted mean {result.mean:.2f}" if result.mean is not None else ""
    with st.container(key="audit_summary", border=True):
        progress, grade, saved, submit = st.columns([3, 4, 4, 2], vertical_alignment="center")
        progress.progress(
            scored / len(view.criteria) if view.criteria else 0.0,
            text=f"Scored {scored} of {len(view.criteria)}",
        )
        so_far = " so far" if view.editable else ""
        grade.markdown(f"Overall grade{so_far}: **{result.overall_label}**{mean}")
        saved.markdown(_saved_state(view))
        with submit:
            if view.editable:
                st.markdown(jump_link("Go to Submit", _key(view.id, "submit", "go")))
            else:
                _next_audit_link(view)
        for reason in result.reasons:
            st.markdown(f":orange[**Why:** {reason}]")


def _problem_banner(view: audits.AuditView) -> None:
    state = _state(view.id)
    if state["problem"] is None:
        return
    message, changes = state["problem"]
    lines = "\n".join(f"- {change}" for change in changes)
    st.error(f"{message}\n\n{lines}" if lines else message, icon=":material/sync_problem:")
    if state["outage"]:
        _watch_for_recovery(view.id)
    if state["unsaved"]:
        st.caption(f"{len(state['unsaved'])} change(s) of yours are shown but not saved.")
        cols = st.columns(2)
        retry = "Save my changes over theirs" if state["conflict"] else "Try saving again"
        cols[0].button(
            retry,
            on_click=_save_mine_again,
            args=(view.id,),
            key=_key(view.id, "retry", "all"),
            disabled=not view.editable or state["outage"],
        )
        cols[1].button(
            "Discard my unsaved changes",
            on_click=_discard_mine,
            args=(view.id,),
            key=_key(view.id, "discard", "all"),
        )


@st.fragment(run_every=RECOVERY_CHECK_SECONDS)
def _watch_for_recovery(audit_id: int) -> None:
    """While the database is away: check it every few seconds; when it answers, clear the
    outage banner and redraw the page from the database, unsaved values kept."""
    if readiness(current_settings().database_url).reachable:
        state = _state(audit_id)
        state["outage"] = False
        state["problem"] = (BACK_MESSAGE, []) if state["unsaved"] else None
        st.rerun(scope="app")
    st.caption(f"Checking the database again every {RECOVERY_CHECK_SECONDS} seconds…")


def _criterion(view: audits.AuditView, criterion) -> None:
    audit_id = view.id
    with st.container(border=True):
        st.markdown(
            f"**{criterion.title}**" + ("  :red-badge[critical]" if criterion.critical else "")
        )
        options = [lv.value for lv in view.rubric.levels_high_to_low]
        captions = [criterion.descriptors[value] for value in options]
        if criterion.allow_na:
            options.append(NOT_APPLICABLE)
            captions.append("Not applicable to this plan.")
        level_key = _key(audit_id, "level", criterion.id)
        st.radio(
            criterion.question,
            options,
            format_func=lambda v: _level_label(view, v),
            captions=captions,
            key=level_key,
            on_change=_save,
            args=(audit_id, "level", criterion.id),
            disabled=not view.editable,
        )
        earlier_caption(_state(audit_id).get("earlier"), view.rubric, criterion.id)
        if criterion.guidance:
            st.caption(f"Guidance: {criterion.guidance}")
        level = st.session_state.get(level_key)
        needed = audits.note_required(level)
        score = view.scores.get(criterion.id)
        note = _typed_field(
            view,
            "Evidence note" + (" (required)" if needed else ""),
            "note",
            criterion.id,
            score.note if score else "",
            rows=2,
        )
        if needed and not note.strip():
            st.caption(f":red[An evidence note is required for {view.rubric.label(level)}.]")
        if level_key in _state(audit_id)["unsaved"]:
            st.caption(":orange[Not saved — see the message at the top.]")


def _rubric_pane(view: audits.AuditView) -> None:
    sections = [s for s in view.rubric.sections if any(c.section == s.id for c in view.criteria)]
    for section in sections:
        members = [c for c in view.criteria if c.section == section.id]
        grade = view.result.sections.get(section.id)
        with st.expander(section.title, expanded=True, key=f"audit-{view.id}-rubric-{section.id}"):
            st.caption(f"Section grade: {view.rubric.label(grade)}")
            if section.id == "E" and view.outcomes:
                flagged = (
                    "—"
                    if _state(view.id)["outage"]
                    else flagged_outcome_count(current_actor(), view.id)
                )
                st.caption(
                    f"{len(view.outcomes)} outcomes in this plan, {flagged} flagged as possibly weak "
                    "(each is shown in the plan pane)."
                )
            if section.id == "F":
                render_provision_checks(current_actor(), view.id)
            for criterion in members:
                _criterion(view, criterion)


def _what_submit_locks(view: audits.AuditView) -> str:
    notes = sum(
        1
        for c in view.criteria
        if (view.scores.get(c.id) or audits.ScoreState(None, "")).note.strip()
    )
    written = [
        title for field, title in audits.TEXT_FIELDS.items() if (getattr(view, field) or "").strip()
    ]
    lines = [
        f"Submitting locks your audit of plan {plain(view.plan_reference)}:",
        f"- the {len(view.criteria)} scores, graded **{view.result.overall_label}** overall;",
        f"- {notes} evidence note(s);",
        f"- {' and '.join(written) if written else 'the overall comments (none written)'}.",
        "",
        "After that nobody can change it unless a QA lead reopens it, giving a reason.",
    ]
    if view.double_rated:
        lines.append("It then goes to moderation beside the other auditor's scores.")
    return "\n".join(lines)


def _stop_asking() -> None:
    audit_id = _audit_id()
    if audit_id is not None:
        _state(audit_id)["confirming"] = False


@st.dialog("Submit this audit?", on_dismiss=_stop_asking)
def _confirm_submit(view: audits.AuditView) -> None:
    """Asked until answered (or closed), so a redraw of the page in between keeps it."""
    st.markdown(_what_submit_locks(view))
    with st.container(horizontal=True):
        if st.button("Submit and lock", type="primary", key=_key(view.id, "submit", "confirm")):
            _stop_asking()
            _submit(view.id)
            st.rerun()
        if st.button("Keep editing", key=_key(view.id, "submit", "cancel")):
            _stop_asking()
            st.rerun()


def _ask_to_submit(view: audits.AuditView) -> None:
    """Refuse at once, with links, if something is missing; else ask before locking."""
    state = _state(view.id)
    gaps = audits.submit_gaps(view.scores, view.criteria, view.rubric)
    if state["unsaved"]:
        unsaved = f"{len(state['unsaved'])} change(s) are not saved yet (see the top of the page)."
        state["submit"] = ("refused", [(unsaved, None)])
    elif gaps:
        state["submit"] = _refusal(view.id, gaps)
    else:
        state["submit"] = None
        state["confirming"] = True


def _submit_outcome(view: audits.AuditView) -> None:
    outcome, lines = _state(view.id)["submit"]
    if outcome == "success":
        st.success(" ".join(text for text, _ in lines))
        return
    items = "\n".join(f"- {jump_link(text, key) if key else plain(text)}" for text, key in lines)
    intro = (
        "Not submitted. Go to each one to finish it:"
        if any(key for _, key in lines)
        else "Not submitted:"
    )
    st.error(f"{intro}\n\n{items}")


def _following(view: audits.AuditView) -> audits.AuditSummary | None:
    """The signed-in person's next audit to do after this one (most urgent first)."""
    state = _state(view.id)
    if state.get("following", (None,))[0] != view.version:  # read once per version shown
        with db() as session:
            drafts = audits.my_audits(session, current_actor(), include_finished=False)
        state["following"] = (view.version, next((a for a in drafts if a.id != view.id), None))
    return state["following"][1]


def _next_audit_link(view: audits.AuditView) -> None:
    following = _following(view)
    if following:
        page_link("audit", f"Next audit: plan {following.plan_reference}", audit=following.id)
    else:
        page_link("my_audits", "Back to My audits")


def _next_audit(view: audits.AuditView) -> None:
    """Links onward from a finished audit: the next one to do, and My audits."""
    following = _following(view)
    if following:
        due = f", due {following.due_date:%d %b %Y}" if following.due_date else ""
        page_link("audit", f"Next audit: plan {following.plan_reference}{due}", audit=following.id)
    else:
        st.markdown("You have no other audits to do.")
    page_link("my_audits", "Back to My audits")


def _closing(view: audits.AuditView) -> None:
    st.subheader("Overall", anchor=False)
    for field, title in audits.TEXT_FIELDS.items():
        _typed_field(view, title, "text", field, getattr(view, field), rows=4)
    # The outcome goes above the button: where the button was when it was pressed.
    outcome = st.container()
    if view.editable and st.button(
        "Submit audit", type="primary", key=_key(view.id, "submit", "go")
    ):
        _ask_to_submit(view)
    if view.editable and _state(view.id).get("confirming"):
        _confirm_submit(view)
    if _state(view.id)["submit"]:
        with outcome:
            _submit_outcome(view)
    if not view.editable:
        _next_audit(view)
    if not view.editable and allowed(current_actor(), Action.REOPEN_AUDIT):
        with st.form(key=_key(view.id, "reopen", "form"), border=True):
            st.text_input("Reason for reopening", key=_key(view.id, "reopen", "reason"))
            st.form_submit_button("Reopen audit", on_click=_reopen, args=(view.id,))


def render() -> None:
    actor = current_actor()
    audit_id = _audit_id()
    if audit_id is None:
        st.title("Audit")
        notice("Choose an audit from My audits.", icon="info")
        page_link("my_audits", "Go to My audits")
        return
    first_view = st.session_state.get(VIEWED_KEY) != audit_id
    state = _state(audit_id)
    try:
        with db() as session:
            view = audits.open_audit(session, actor, audit_id, log_view=first_view)
    except DatabaseUnavailable as outage:
        if state["view"] is None:
            raise
        # Keep the page as last read, with what the auditor changed since, on screen.
        view = state["view"]
        state["outage"] = True
        state["problem"] = state["problem"] if state["unsaved"] else (str(outage), [])
    except ServiceError as error:
        st.title("Audit")
        st.error(str(error))
        return
    st.session_state[VIEWED_KEY] = audit_id
    if not state["outage"]:
        state["view"] = view
        state["version"] = view.version
    if not state["outage"] and view.editable and _catch_up(view):
        with db() as session:
            view = audits.open_audit(session, actor, audit_id, log_view=False)
        state["version"] = view.version
    _sync_widgets(view)

    kind = "Audit" if view.rubric.kind == "plan" else view.rubric.kind_label
    st.title(f"{kind} of plan {view.plan_reference}")
    status = {
        "draft": "Draft",
        "submitted": "Submitted (locked)",
        "moderated": "Moderated (locked)",
    }[view.status]
    due = f" · due {view.due_date:%d %b %Y}" if view.due_date else ""
    blind = " · double-rated blind" if view.double_rated else ""
    st.caption(
        f"{label('agency', view.agency)} audit by {plain(view.auditor_name)} · {status}{due}{blind}"
    )
    for reopening in view.reopenings:
        reason = reopening.reason or "(the reason was removed with the plan's text)"
        st.text(f"Reopened {reopening.at:%d %b %Y %H:%M} by {reopening.by}: {reason}")
    _problem_banner(view)
    st.html(_LAYOUT_CSS)
    enable_jump_links()
    _summary(view)
    if not state["outage"]:
        with db() as session:
            state["earlier"] = reaudits.earlier_audit(session, actor, audit_id)
    if state.get("earlier") is not None:
        render_comparison(state["earlier"], view.rubric, view.id)
    plan_col, rubric_col = st.columns([5, 7], gap="large")
    with plan_col:
        st.subheader("The plan", anchor=False)
        with st.container(height=SCROLL_HEIGHT, key="audit_plan_scroll"):
            _plan_pane(view)
            if not state["outage"]:
                render_family_voice(actor, view.id)
    with rubric_col:
        st.subheader("The rubric", anchor=False)
        with st.container(height=SCROLL_HEIGHT, key="audit_rubric_scroll"):
            _rubric_pane(view)
            _closing(view)
            if not state["outage"]:
                render_actions_panel(
                    actor,
                    view.id,
                    view.rubric,
                    {cid: s.level for cid, s in view.scores.items()},
                    finished=not view.editable,
                    prefix=f"audit-{view.id}",
                )
