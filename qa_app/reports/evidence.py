"""The inspection evidence pack as a Word document, written through ``ReportWriter`` (A4,
British English, page numbers, real headings, alt text on charts, tables that fit the page
with header rows that repeat)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from qa_app.charts import chart_png, good_share_chart
from qa_app.reports.writing import ReportWriter, long_date

TITLE = "Inspection evidence pack: EHC plan quality assurance"
CHART_WIDTH = 440


def _month_label(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%b %Y")


def _pct(share) -> str:
    if share.suppressed:
        return "suppressed" if share.n else "none"
    return "–" if share.pct is None else f"{share.pct:.0f}%"


def _count(n: int, k: int) -> str:
    """A count of cases, or "fewer than k" for a small non-zero one."""
    return f"fewer than {k}" if 0 < n < k else f"{n:,}"


def _sentence(text: str) -> str:
    """``text`` with its first letter capitalised ("fewer than 5 ..." opening a sentence)."""
    return text[:1].upper() + text[1:]


def _too_few(share) -> bool:
    return share.suppressed and share.n > 0


def write_evidence_pack(out: ReportWriter, f) -> None:
    request, k = f.request, f.suppression_size
    period = f"{long_date(request.date_from)} to {long_date(request.date_to)}"
    out.title(TITLE, f"{request.team or 'All teams'} · {period}")
    out.paragraph(
        f"Produced on {long_date(f.generated_at.date())} by the EHCP quality-assurance audit tool.",
        muted=True,
    )
    out.paragraph(
        "Plans are named only by the tool's pseudonymous references; no child, family member or member of staff is "
        f"named. Shares resting on fewer than {k} cases are suppressed, and small counts are shown as "
        f'"fewer than {k}".',
        muted=True,
    )
    out.footer(f"Evidence pack · {period} · OFFICIAL-SENSITIVE")
    _activity(out, f)
    _quality(out, f)
    _moderation(out, f)
    _actions(out, f)
    _voice(out, f)
    _reviews(out, f)
    _deep_dives(out, f)


def _activity(out: ReportWriter, f) -> None:
    k = f.suppression_size
    out.heading("QA activity")
    total = sum(n for _, n in f.audits_by_rubric)
    out.paragraph(
        _sentence(
            f"{_count(total, k)} audits were completed on {_count(f.plans_audited, k)} plans by "
            f"{f.auditors:,} {'auditor' if f.auditors == 1 else 'auditors'} "
            "(first ratings; second ratings of double-rated plans are counted under agreement)."
        )
    )
    if f.audits_by_rubric:
        out.table(
            ["Rubric", "Audits completed"],
            [(title, _count(n, k)) for title, n in f.audits_by_rubric],
            (12, 5),
        )
    out.heading("How the sample was drawn", 2)
    if f.samples:
        out.table(
            ["Method", "Samples", "Audits"],
            [(m, s or "—", _count(n, k)) for m, s, n in f.samples],
            (8, 4, 5),
        )
    if f.double_rated.n and not f.double_rated.suppressed:
        out.paragraph(
            f"{_pct(f.double_rated)} of audited plans were double-rated blind by a second auditor of the "
            "same agency."
        )
    out.heading("Agencies taking part", 2)
    if f.agencies:
        out.table(
            ["Agency", "Audits (first and second ratings)"],
            [(a, _count(n, k)) for a, n in f.agencies],
            (8, 8),
        )
    else:
        out.paragraph("No audits were completed in the period.")


def _quality(out: ReportWriter, f) -> None:
    k = f.suppression_size
    out.heading("Quality over time, against the target")
    overall = f.quality_overall
    if not overall.n:
        found = "no plan audits were graded."
    elif _too_few(overall):
        found = f"{_count(overall.n, k)} plan audits were graded: too few to give a share."
    else:
        found = f"{_pct(overall)} of {overall.n:,} graded plan audits were Good or better."
    out.paragraph(
        f"Target: {f.target_pct:g}% of audited plans Good or better. In the period, {found}"
    )
    if any(not m.good.suppressed for m in f.quality):
        frame = pd.DataFrame(
            [
                {
                    "period": _month_label(m.month),
                    "period_order": i,
                    "n": m.good.n,
                    "hits": m.good.hits,
                    "share": m.good.pct,
                    "suppressed": m.good.suppressed,
                }
                for i, m in enumerate(f.quality)
            ]
        )
        frame["share"] = frame["share"].astype(float)
        alt = (
            "Bar chart of the share of audited plans graded Good or better each month, against a target of "
            f"{f.target_pct:g}%. "
            + "; ".join(f"{_month_label(m.month)}: {_pct(m.good)}" for m in f.quality)
            + "."
        )
        out.image(
            chart_png(good_share_chart(frame, f.target_pct, k, width=CHART_WIDTH)),
            16,
            alt=alt,
            caption="Plans Good or better by month (months with too few audits are marked as suppressed).",
        )
    out.table(
        ["Month", "Plans graded", "Good or better"],
        [(_month_label(m.month), _count(m.good.n, k), _pct(m.good)) for m in f.quality],
        (6, 5, 5),
    )
    if f.quality_overall.n >= k:
        out.table(
            ["Overall grade", "Plans", "Share"],
            [
                (
                    label,
                    _count(f.grades.get(grade, 0), k),
                    f"{100 * f.grades.get(grade, 0) / f.quality_overall.n:.0f}%",
                )
                for grade, label in (
                    (4, "Outstanding"),
                    (3, "Good"),
                    (2, "Requires improvement"),
                    (1, "Inadequate"),
                )
            ],
            (8, 4, 4),
        )


def _moderation(out: ReportWriter, f) -> None:
    k = f.suppression_size
    out.heading("Moderation and agreement")
    if not f.pairs.n:
        pairs = "No double-rated pairs were completed in the period."
    elif _too_few(f.pairs):
        pairs = (
            f"Fewer than {k} double-rated pairs were completed: too few to give how often the two "
            "auditors agreed."
        )
    else:
        pairs = (
            f"{f.pairs.n:,} double-rated pairs were completed; the two auditors gave the same overall "
            f"grade in {_pct(f.pairs)} of them and grades within one level in {_pct(f.within_one)}."
        )
    out.paragraph(
        f"{pairs} {_sentence(_count(f.moderations_agreed, k))} moderations were agreed in the period."
    )


def _actions(out: ReportWriter, f) -> None:
    k = f.suppression_size
    out.heading("Actions and impact")
    out.paragraph(
        _sentence(
            f"{_count(f.actions_opened, k)} actions were opened and {_count(f.actions_done, k)} done in "
            f"the period; {_count(f.actions_overdue, k)} open actions are overdue today."
        )
    )
    if f.actions_by_kind:
        out.table(
            ["Kind of action", "Opened", "Done", "Overdue now"],
            [(kind, *(_count(n, k) for n in counts)) for kind, *counts in f.actions_by_kind],
            (7, 3, 3, 3),
        )
    out.heading("Change at re-audit", 2)
    impact = f.impact
    if impact is None or impact.overall.cases == 0:
        out.paragraph("No plan has yet been audited on an earlier and a later version.")
        return
    rows = [impact.overall, *impact.by_team, *impact.by_action_kind]
    out.paragraph(
        "Plans audited on an earlier and a later version (all re-audits to date): the share whose overall "
        "grade improved and the mean change in grade (in levels)."
    )
    out.table(
        ["Group", "Re-audited plans", "Improved", "Mean change"],
        [
            (
                row.group,
                _count(row.cases, k),
                "suppressed" if row.suppressed else f"{row.improved_pct:.0f}%",
                "suppressed" if row.suppressed else f"{row.mean_change:+.2f}",
            )
            for row in rows
        ],
        (7, 3.5, 3, 3),
    )


def _voice(out: ReportWriter, f) -> None:
    k = f.suppression_size
    out.heading("The voice of children, young people and families")
    voice = f.voice
    if not voice.plans:
        out.paragraph("No family voice was recorded in the period.")
        return
    out.paragraph(
        f"After talking with them, auditors recorded what {_count(voice.records['parent_carer'], k)} parents "
        f"or carers and {_count(voice.records['child_young_person'], k)} children or young people said about "
        f"{_count(voice.plans, k)} audited plans: the share who agree or strongly agree with each statement."
    )
    out.table(
        ["Statement", "Who", "Answers", "Agree"],
        [
            (statement, who, _count(share.n, k), _pct(share))
            for statement, who, share in f.voice_rows
            if share.n
        ],
        (7, 3.6, 3.2, 3.2),
    )


def _reviews(out: ReportWriter, f) -> None:
    k = f.suppression_size
    out.heading("Annual reviews")
    if not f.reviews:
        out.paragraph("No annual-review audits were completed in the period.")
        return
    good = (
        "too few to give the share Good or better"
        if _too_few(f.review_good)
        else f"{_pct(f.review_good)} were Good or better overall"
    )
    out.paragraph(
        _sentence(
            f"{_count(f.reviews, k)} annual reviews were audited against the Code of Practice "
            f"timescales and content; {good}."
        )
    )
    out.table(
        ["Area", "Standard", "Reviews scored", "Met (Good or better)"],
        [
            (section, title, _count(share.n, k), _pct(share))
            for section, title, share in f.review_criteria
        ],
        (5, 6, 3, 3),
    )


def _deep_dives(out: ReportWriter, f) -> None:
    k = f.suppression_size
    out.heading("Cases available for deep dives")
    if not f.deep_dives:
        out.paragraph("No plans were audited in the period.")
        return
    shown = len(f.deep_dives)
    out.paragraph(
        _sentence(f"{_count(f.deep_dives_total, k)} plans were audited in the period")
        + (
            f"; the {shown} listed are those with open actions first, then the weakest."
            if shown < f.deep_dives_total
            else "."
        )
        + " References are the tool's pseudonymous ones; the case file is found through the SEND team."
    )
    out.table(
        ["Plan reference", "Team", "Latest grade", "Audited", "Open actions", "Overdue"],
        [
            (
                c.reference,
                c.team or "—",
                c.latest_grade,
                f"{c.audited_on:%d %b %Y}",
                c.open_actions,
                c.overdue_actions,
            )
            for c in f.deep_dives
        ],
        (4.4, 3.0, 3.0, 2.2, 2.0, 2.4),
    )
