"""Moderation: double-rated audits side by side, the agreed record, and how well
auditors agree."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.domain.agreement import Agreement
from qa_app.domain.grading import NOT_APPLICABLE
from qa_app.services import moderation as service
from qa_app.services.access import Action, require
from qa_app.services.errors import ServiceError
from qa_app.services.typed_text import TypedField
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.actions_panel import render_actions_panel
from qa_app.ui.components.autosave import save_tracked, typed_field
from qa_app.ui.components.keyboard_choice import choose, picked_row
from qa_app.ui.components.labels import label
from qa_app.ui.components.notice import notice
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db
from qa_app.ui.session import current_actor

STATE_KEY = "moderation_state"


def _moderation_id() -> int | None:
    raw = st.query_params.get("moderation")
    return int(raw) if raw and raw.isdigit() else None


def _state() -> dict:
    """This session's account of its moderation saves (see ``components.autosave``)."""
    return st.session_state.setdefault(STATE_KEY, {"version": None, "problem": None, "unsaved": {}})


def _level_text(view, value) -> str:
    if value is None:
        return "—"
    return "N/A" if value == NOT_APPLICABLE else view.rubric.label(value)


def _key(moderation_id: int, kind: str, target: str) -> str:
    return f"mod-{moderation_id}-{kind}-{target}"


def _save_level(moderation_id: int, criterion_id: str) -> None:
    """Callback: save the agreed level a select box was just set to."""
    key = _key(moderation_id, "level", criterion_id)
    value = st.session_state[key]
    save_tracked(
        _state(),
        key,
        ("level", criterion_id, value),
        lambda s, a, v: service.save_agreed_score(
            s, a, moderation_id, criterion_id, expected_version=v, level=value
        ),
    )


def _save_grade(moderation_id: int) -> None:
    key = _key(moderation_id, "overall", "grade")
    value = st.session_state[key]
    save_tracked(
        _state(),
        key,
        ("grade", "", value),
        lambda s, a, v: service.save_overall(
            s, a, moderation_id, expected_version=v, overall_grade=value
        ),
    )


def _agree(moderation_id: int) -> None:
    save_tracked(
        _state(),
        "agree",
        None,
        lambda s, a, v: service.agree(s, a, moderation_id, expected_version=v),
    )


def _start(first_audit_id: int) -> None:
    try:
        with db() as session:
            moderation_id = service.start_moderation(session, current_actor(), first_audit_id)
        st.query_params["moderation"] = str(moderation_id)
    except ServiceError as error:
        _state()["problem"] = (str(error), [])


def _pairs_list() -> None:
    with db() as session:
        pairs = service.double_rated_pairs(session, current_actor())
    if not pairs:
        st.info("No plans are double-rated yet. Set a double-rated share when assigning a sample.")
        return
    ready = [p for p in pairs if p.ready and p.moderation_status != "agreed"]
    st.caption(
        f"{len(pairs)} double-rated pairs: {len(ready)} ready to moderate, "
        f"{sum(not p.ready for p in pairs)} waiting for an auditor, "
        f"{sum(p.moderation_status == 'agreed' for p in pairs)} agreed."
    )
    table = pd.DataFrame(
        [
            {
                "first": p.first_audit_id,
                "Plan": p.plan_reference,
                "Agency": label("agency", p.agency),
                "First auditor": p.first_auditor,
                "Second auditor": p.second_auditor,
                "State": {"agreed": "Agreed", "draft": "In moderation"}.get(
                    p.moderation_status, "Ready" if p.ready else "Waiting for both to submit"
                ),
            }
            for p in pairs
        ]
    ).set_index("first")
    picked = choose(
        "Open a pair",
        {
            first: f"{row['Plan']} · {row['Agency']} · {row['State']}"
            for first, row in table.iterrows()
        },
        key="moderation_open",
        placeholder="Choose a double-rated plan…",
    )
    selected = picked_row(table, "moderation_pairs")
    if selected is not None:
        picked = selected
    if picked is not None:
        first_id = int(picked)
        pair = next(p for p in pairs if p.first_audit_id == first_id)
        if pair.moderation_id:
            st.query_params["moderation"] = str(pair.moderation_id)
            st.rerun()
        elif pair.ready:
            st.button(
                f"Moderate {pair.plan_reference}",
                type="primary",
                on_click=_start,
                args=(first_id,),
                key="moderation_start",
            )
        else:
            st.warning("Both auditors must submit before this pair can be moderated.")


def _stored(view) -> dict[str, tuple[object, object]]:
    """Each select box's key with the callback that saves it and the stored value."""
    mid = view.id
    stored = {_key(mid, "overall", "grade"): (lambda: _save_grade(mid), view.overall_grade)}
    for row in view.rows:
        cid = row.criterion.id
        stored[_key(mid, "level", cid)] = (lambda cid=cid: _save_level(mid, cid), row.agreed)
    return stored


def _catch_up(view) -> bool:
    """Save a widget the browser changed whose callback Streamlit dropped (two changes
    arriving while the page redraws). Returns whether anything was saved."""
    state = _state()
    shown = state.setdefault("shown", {})
    saved = False
    for key, (save, stored) in _stored(view).items():
        if key not in shown or key not in st.session_state or key in state["unsaved"]:
            continue
        if st.session_state[key] != shown[key] and st.session_state[key] != stored:
            save()
            saved = True
    return saved


def _sync(view) -> None:
    """Stored values into the widgets, except those whose save failed: they keep what
    was typed."""
    state = _state()
    shown = state.setdefault("shown", {})
    for key, (_, value) in _stored(view).items():
        unsaved = state["unsaved"].get(key)
        st.session_state[key] = shown[key] = unsaved[2] if unsaved else value


def _side_by_side(view) -> None:
    editable = view.status != "agreed"
    st.caption(
        f"{label('agency', view.agency)} · first auditor {plain(view.first_auditor)} "
        f"({_level_text(view, view.first_grade)}) · second auditor {plain(view.second_auditor)} "
        f"({_level_text(view, view.second_grade)}) · {view.disagreements} disagreements"
    )
    only_disagreements = st.toggle(
        "Show disagreements only, the widest apart first", value=False, key=f"mod-{view.id}-only"
    )
    levels = [lv.value for lv in view.rubric.levels_high_to_low]
    for row in view.disagreements_by_size() if only_disagreements else view.rows:
        with st.container(border=True):
            apart = f" by {row.size} level(s)" if 0 < row.size < 99 else ""
            flag = f"  :red-badge[disagree{apart}]" if row.disagree else "  :green-badge[agree]"
            st.markdown(f"**{plain(row.criterion.title)}**{flag}")
            for letter, text in view.plan_text_for(row.criterion):
                with st.expander(
                    f"The plan's section {letter}",
                    key=f"mod-{view.id}-plan-{row.criterion.id}-{letter}",
                ):
                    st.text(text or "(empty)")
            first, second, agreed = st.columns(3)
            first.markdown(f"First: **{_level_text(view, row.first)}**")
            if row.first_note:
                first.caption(plain(row.first_note))
            second.markdown(f"Second: **{_level_text(view, row.second)}**")
            if row.second_note:
                second.caption(plain(row.second_note))
            options = levels + ([NOT_APPLICABLE] if row.criterion.allow_na else [])
            agreed.selectbox(
                "Agreed level",
                options,
                index=None,
                format_func=lambda v: _level_text(view, v),
                key=_key(view.id, "level", row.criterion.id),
                on_change=_save_level,
                args=(view.id, row.criterion.id),
                disabled=not editable,
            )
            if row.disagree:
                with agreed:
                    typed_field(
                        _state(),
                        TypedField("rationale", view.id, row.criterion.id),
                        "Rationale",
                        key=_key(view.id, "rationale", row.criterion.id),
                        stored=row.rationale,
                        disabled=not editable,
                        rows=2,
                    )

    st.subheader("Overall")
    st.caption(
        f"The agreed levels so far grade the plan {view.suggested.overall_label}."
        + (" " + " ".join(view.suggested.reasons) if view.suggested.reasons else "")
    )
    st.selectbox(
        "Agreed overall grade",
        levels,
        index=None,
        format_func=lambda v: _level_text(view, v),
        key=_key(view.id, "overall", "grade"),
        on_change=_save_grade,
        args=(view.id,),
        disabled=not editable,
    )
    typed_field(
        _state(),
        TypedField("overall", view.id),
        "Rationale for the agreed grade",
        key=_key(view.id, "overall", "rationale"),
        stored=view.rationale,
        disabled=not editable,
        rows=3,
    )
    if editable:
        gaps = service.agreement_gaps(view)
        if gaps:
            st.caption("Still to agree: " + "; ".join(gaps) + ".")
        st.button(
            "Close the moderation",
            type="primary",
            on_click=_agree,
            args=(view.id,),
            key=f"mod-{view.id}-agree",
        )
    else:
        st.success("This moderation is agreed. The two audits keep their own scores.")
        render_actions_panel(
            current_actor(),
            view.first_audit_id,
            view.rubric,
            {row.criterion.id: row.agreed for row in view.rows},
            finished=True,
            prefix=f"mod-{view.id}",
            moderation_id=view.id,
        )


def _moderate(moderation_id: int) -> None:
    state = _state()
    try:
        with db() as session:
            view = service.open_moderation(session, current_actor(), moderation_id)
    except ServiceError as error:
        st.error(str(error))
        return
    state["version"] = view.version
    if view.status != "agreed" and _catch_up(view):
        with db() as session:
            view = service.open_moderation(session, current_actor(), moderation_id)
        state["version"] = view.version
    _sync(view)
    st.subheader(f"Plan {view.plan_reference}")
    if st.button("Back to the list", key="moderation_back"):
        del st.query_params["moderation"]
        st.rerun()
    _side_by_side(view)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _coefficient(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


SUPPRESSED = "suppressed"


def _agreement_row(name: str, stats: Agreement, plans: int, suppressed: bool) -> dict:
    if suppressed:
        figures = dict.fromkeys(
            ("Exact", "Within one level", "Weighted kappa", "Krippendorff's alpha", "Gwet's AC1"),
            SUPPRESSED,
        )
    else:
        figures = {
            "Exact": _percent(stats.exact),
            "Within one level": _percent(stats.within_one),
            "Weighted kappa": _coefficient(stats.kappa),
            "Krippendorff's alpha": _coefficient(stats.alpha),
            "Gwet's AC1": _coefficient(stats.ac1),
        }
    return {"": name, "Plans double-rated": plans, "Criterion pairs": stats.pairs, **figures}


def _statistics() -> None:
    with db() as session:
        report = service.agreement_report(session, current_actor(), settings=current_settings())
    if report.overall.pairs == 0:
        notice("No double-rated pair has been submitted by both auditors yet.", icon="info")
        return
    k = report.suppression_size
    st.caption(
        f"Each figure rests on the double-rated plans shown (a criterion pair is two auditors' scores for one "
        f"criterion of one plan). As on the Trends page, a row resting on fewer than {k} plans is "
        "suppressed. Kappa (quadratic weights) misleads when most scores are Good; Gwet's AC1 does not. "
        "Krippendorff's alpha is shown where more than two auditors took part."
    )
    if report.suppressed(report.plans):
        notice(
            f"Agreement rests on {report.plans} double-rated plan(s) so far: its figures are shown from {k} "
            f"plans ({k - report.plans} more).",
            icon="visibility_off",
        )
    st.dataframe(
        pd.DataFrame(
            [
                _agreement_row(
                    "All criteria", report.overall, report.plans, report.suppressed(report.plans)
                )
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    by_criterion, by_auditor = st.tabs(["By criterion", "By auditor"])
    with by_criterion:
        rows = sorted(
            (
                _agreement_row(title, stats, stats.pairs, report.suppressed(stats.pairs))
                | {"_exact": stats.exact or 0}
                for _, title, stats in report.by_criterion
            ),
            key=lambda r: r["_exact"],
        )
        st.dataframe(pd.DataFrame(rows).drop(columns="_exact"), hide_index=True, width="stretch")
    with by_auditor:
        st.dataframe(
            pd.DataFrame(
                [
                    _agreement_row(
                        name,
                        stats,
                        report.plans_by_auditor[name],
                        report.suppressed(report.plans_by_auditor[name]),
                    )
                    for name, stats in report.by_auditor
                ]
            ),
            hide_index=True,
            width="stretch",
        )


def render() -> None:
    st.title("Moderation")
    try:
        require(current_actor(), Action.MODERATE)
    except ServiceError as error:
        st.error(str(error))
        return
    state = _state()
    if state["problem"]:
        message, changes = state["problem"]
        st.error(message + ("\n\n" + "\n".join(f"- {c}" for c in changes) if changes else ""))
    pairs_tab, stats_tab = st.tabs(["Double-rated audits", "Agreement statistics"])
    with pairs_tab:
        moderation_id = _moderation_id()
        if moderation_id is None:
            _pairs_list()
        else:
            _moderate(moderation_id)
    with stats_tab:
        _statistics()
