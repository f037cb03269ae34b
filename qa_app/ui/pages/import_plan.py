"""Import plans: upload Word or PDF plans (or one .zip of them), review what was read,
confirm the metadata and save each plan under a new pseudonymous reference; saving also
checks every outcome for weakness and flags the plan.

Only redacted readings are kept between reruns; the uploaded bytes are dropped once read.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from qa_app.domain import plan_facts
from qa_app.services import database_kind
from qa_app.services.access import Action, allowed
from qa_app.services.errors import ServiceError
from qa_app.services.plan_import import PlanDetails, UploadResult, import_plan, read_uploads
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.confirmation import confirm_here
from qa_app.ui.components.labels import label, need_label, year_group_label
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db
from qa_app.ui.navigation import page_link
from qa_app.ui.session import current_actor

RESULTS_KEY = "import_results"
SAVED_KEY = "import_saved"
LATEST_KEY = "import_latest_save"  # the index of the file saved last
SAVES_KEY = "import_save_count"  # each save brings its confirmation into view once


@dataclass(frozen=True)
class Saved:
    """A file's plan as stored, for its confirmation."""

    reference: str
    plan_id: int
    outcomes: int
    flag_note: str
    version_note: str


def render() -> None:
    actor = current_actor()
    st.title("Import plans")
    if not allowed(actor, Action.IMPORT_PLANS):
        st.info("Only QA leads can import plans.")
        return
    with db() as session:
        demo = database_kind.is_demo(session)
    if demo:
        st.warning(
            "This is a demo database, holding only synthetic data: real plans cannot be imported "
            "into it. " + database_kind.START_FOR_REAL,
            icon=":material/block:",
        )
        return
    st.caption(
        "Upload EHC plans as Word files (.docx) or text PDFs (.pdf), or one .zip of them. Names, dates of birth, "
        "NHS numbers and other identifiers are replaced by tags such as [child] as the files "
        "are read; the files themselves are not kept."
    )
    with st.form("import_upload", clear_on_submit=True):
        uploads = st.file_uploader(
            # No type filter: the browser would drop a .docm (or any other file) chosen among
            # others without a word; read_uploads refuses it by name and says so.
            "Plans",
            accept_multiple_files=True,
            key="import_files",
            help="Word (.docx), PDF with a text layer (.pdf), or a .zip of them; 25 MB a file.",
        )
        read = st.form_submit_button("Read files", type="primary")
    if read and uploads:
        _read(uploads)
    elif read:
        st.warning("Choose one or more .docx, .pdf or .zip files first, then press Read files.")
    results: list[UploadResult] = st.session_state.get(RESULTS_KEY, [])
    if not results:
        return
    _summary(results)
    for index, result in enumerate(results):
        if result.plan is not None:
            _review(index, result)


def _read(uploads) -> None:
    bar = st.progress(0.0, text="Reading…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Read {done} of {total}")

    files = [(upload.name, upload.getvalue()) for upload in uploads]
    st.session_state[RESULTS_KEY] = read_uploads(files, progress=progress)
    st.session_state[SAVED_KEY] = {}
    st.session_state.pop(LATEST_KEY, None)
    bar.empty()


def _summary(results: list[UploadResult]) -> None:
    rows = [
        {
            "File": r.name,
            "Result": "read" if r.plan else f"refused: {r.reason}",
            "Sections": len(r.plan.sections) if r.plan else None,
            "Outcomes": len(r.plan.outcomes) if r.plan else None,
            "Provision items": len(r.plan.provision) if r.plan else None,
            "Warnings": len(r.plan.warnings) if r.plan else None,
        }
        for r in results
    ]
    read = sum(1 for r in results if r.plan)
    st.subheader(f"{read} of {len(results)} files read")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    for result in results:
        if result.plan is None:
            st.error(f"{plain(result.name)}: refused: {plain(result.reason)}")


def _review(index: int, result: UploadResult) -> None:
    plan = result.plan
    saved = st.session_state.setdefault(SAVED_KEY, {})
    latest = st.session_state.get(LATEST_KEY)
    # The file just saved stays open, its confirmation in place of the form.
    with st.expander(plain(result.name), expanded=index not in saved or index == latest):
        if index in saved:
            _confirmation(index, result.name, saved[index])
            return
        for warning in plan.warnings:
            st.warning(plain(warning))
        confirmed = _details_form(index, plan)
        if confirmed is not None:
            _save(index, result, *confirmed)
        sections, outcomes, provision = st.tabs(["Sections", "Outcomes", "Provision"])
        with sections:
            for letter, text in plan.sections.items():
                st.markdown(
                    f"**Section {letter}: {plan_facts.SECTION_TITLES.get(letter, 'Social care provision')}**"
                )
                st.text(text or "(empty)")
        with outcomes:
            if plan.outcomes:
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                "Outcome": o.text,
                                "Area": o.area,
                                "Timescale": o.timescale,
                                "Steps": "; ".join(o.steps),
                            }
                            for o in plan.outcomes
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                )
                st.caption("Each outcome is checked for weakness when the plan is saved.")
            else:
                st.info("No outcomes were found in section E.")
        with provision:
            if plan.provision:
                st.dataframe(
                    pd.DataFrame(
                        [{"Section": p.section, "Provision": p.text} for p in plan.provision]
                    ),
                    hide_index=True,
                    width="stretch",
                )
            else:
                st.info("No provision items were found in sections F, G or H.")


def _details_form(index: int, plan) -> tuple[PlanDetails, str | None] | None:
    """The metadata form; returns the confirmed details, and the reference of the plan
    this is a new version of (if any), when the user saves."""
    found = plan.metadata
    with st.form(f"import_details_{index}"):
        st.markdown("**Plan details** — check what was read and correct it before saving.")
        cols = st.columns(3)
        year_groups = list(range(-1, 15))
        year_group = cols[0].selectbox(
            "Year group",
            year_groups,
            index=year_groups.index(found.year_group) if found.year_group in year_groups else None,
            format_func=year_group_label,
            placeholder="Not known",
            key=f"import_year_{index}",
        )
        needs = list(plan_facts.PRIMARY_NEEDS)
        need = cols[1].selectbox(
            "Primary need",
            needs,
            index=needs.index(found.primary_need) if found.primary_need in needs else None,
            format_func=need_label,
            placeholder="Not known",
            key=f"import_need_{index}",
        )
        settings = list(plan_facts.SETTING_TYPES)
        setting = cols[2].selectbox(
            "Setting type",
            settings,
            index=settings.index(found.setting_type) if found.setting_type in settings else None,
            format_func=lambda v: label("setting_type", v),
            placeholder="Not known",
            key=f"import_setting_{index}",
            help=f"Read from the plan: {plain(found.setting)}" if found.setting else None,
        )
        cols = st.columns(3)
        plan_type = cols[0].radio(
            "Plan type",
            list(plan_facts.PLAN_TYPES),
            index=1,
            format_func=plan_facts.PLAN_TYPES.get,
            horizontal=True,
            key=f"import_type_{index}",
        )
        team = cols[1].text_input("Team", max_chars=80, key=f"import_team_{index}")
        age = cols[2].number_input(
            "Age at audit",
            min_value=0,
            max_value=25,
            value=found.age,
            key=f"import_age_{index}",
        )
        version_of = st.text_input(
            "New version of (plan reference)",
            max_chars=40,
            key=f"import_version_of_{index}",
            placeholder="Leave empty for a new case, or give a reference such as PLN-ABCD2345",
            help="For an amended plan, or the plan after an annual review: the pseudonymous reference of the "
            "earlier plan, as the Plans page shows it. The new version keeps its team unless you give another.",
        )
        if not st.form_submit_button("Save plan", type="primary", key=f"import_save_{index}"):
            return None
    return PlanDetails(
        year_group=year_group,
        age_at_audit=age,
        key_stage=plan_facts.key_stage_for_year_group(year_group)
        if year_group is not None
        else found.key_stage,
        primary_need=need,
        setting_type=setting,
        plan_type=plan_type,
        team=team.strip() or None,
    ), version_of.strip() or None


def _save(index: int, result: UploadResult, details: PlanDetails, version_of: str | None) -> None:
    try:
        with db() as session:
            stored = import_plan(
                session,
                current_actor(),
                result.plan,
                details,
                version_of=version_of,
                settings=current_settings(),
            )
            saved = Saved(
                reference=stored.reference,
                plan_id=stored.id,
                outcomes=len(stored.outcomes),
                flag_note=(
                    f"Flagged: {stored.weak_flag_reason}."
                    if stored.weak_flag
                    else f"Not flagged: {stored.weak_flag_reason}."
                ),
                version_note=f"Version {stored.version_number} of the case of {version_of.upper()}."
                if version_of
                else "",
            )
    except ServiceError as error:
        st.error(str(error))
        return
    st.session_state[SAVED_KEY][index] = saved
    st.session_state[LATEST_KEY] = index
    st.session_state[SAVES_KEY] = st.session_state.get(SAVES_KEY, 0) + 1
    st.rerun()


def _confirmation(index: int, name: str, saved: Saved) -> None:
    """What was stored, under which reference, and where to go with it next."""
    outcomes = f"{saved.outcomes} outcome{'' if saved.outcomes == 1 else 's'}"
    message = " ".join(
        part
        for part in (
            f"Saved {plain(name)} as plan **{plain(saved.reference)}**, with {outcomes}.",
            plain(saved.version_note),
            plain(saved.flag_note),
        )
        if part
    )
    box = confirm_here(f"import_saved_{index}", message, run=st.session_state.get(SAVES_KEY, 0))
    with box:
        page_link("plan", f"Open plan {saved.reference}", plan=saved.plan_id)
        page_link("assign", f"Assign plan {saved.reference} for audit", plan=saved.plan_id)
