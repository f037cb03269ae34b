"""Feedback for one plan writer: their audits and grades, what they do well, where to
focus, and their own weak outcomes with a hint for each."""

from __future__ import annotations

from qa_app.reports.figures import ReportFigures
from qa_app.reports.images import grade_distribution_alt, grade_distribution_png
from qa_app.reports.learning import (
    write_cover,
    write_criterion_guides,
    write_unjudged_note,
    write_weak_outcomes,
)
from qa_app.reports.writing import ReportWriter, percent


def write_writer_feedback(out: ReportWriter, figures: ReportFigures) -> None:
    writer = figures.scope.writer
    write_cover(
        out, figures, f"Feedback for plan writer {writer}", "What audits of your plans found"
    )
    grades = figures.grades
    out.heading("Your audits")
    if not grades.total:
        out.paragraph("None of your plans was audited in this period.")
        return
    target = figures.good_target_pct / 100
    out.paragraph(
        f"{grades.total} audits of your plans were completed in the period; {grades.good_or_better} "
        f"({percent(grades.good_share)}) judged the plan Good or better, against a target of {percent(target)}."
    )
    out.table(
        ["Submitted", "Plan reference", "Agency", "Overall grade"],
        [
            [f"{a.submitted:%d %b %Y}", a.reference, a.agency, a.grade]
            for a in figures.writer_audits
        ],
        widths_cm=(3, 4, 3.5, 4.5),
    )
    # The writer's own audits are listed above, so their chart needs no suppression.
    periods = [("Your audited plans", grades)]
    out.image(
        grade_distribution_png(periods, 0),
        width_cm=8,
        alt=grade_distribution_alt(periods, 0),
        caption="Overall grades of your audited plans.",
    )
    out.heading("What you do well")
    out.table(
        ["Criterion", "Audits", "Mean score"],
        [[c.title, c.scored, f"{c.mean:.2f}"] for c in figures.strongest],
        widths_cm=(9, 2, 2.5),
    )
    out.heading("Where to focus")
    out.paragraph(
        "The criteria where your plans scored lowest, with what good looks like for each."
    )
    out.table(
        ["Criterion", "Audits", "Mean score", "Below Good"],
        [
            [c.title, c.scored, f"{c.mean:.2f}", percent(c.below_good_share)]
            for c in figures.weakest
        ],
        widths_cm=(8, 2, 2.5, 2.5),
    )
    write_criterion_guides(out, figures.weakest)
    out.heading("Your outcomes that need work")
    out.paragraph(
        "Outcome statements from your plans that the weak-outcome classifier flagged, with why and "
        "how to improve each. Names and identifiers have been removed."
    )
    write_unjudged_note(out, figures)
    write_weak_outcomes(out, figures)
    if figures.strong_exemplars:
        out.heading("Strong outcomes from your plans")
        for exemplar in figures.strong_exemplars:
            out.quote(exemplar.text)
    if figures.actions:
        out.heading("Training that would help")
        for action in figures.actions:
            out.numbered(action.action)
    out.heading("How this feedback was put together", 2)
    out.paragraph(
        "It covers audits of your plans submitted in the period (first ratings, with agreed grades "
        "where moderated). Criterion figures use the auditors' scores; outcome statements are judged "
        "by the weak-outcome classifier. The feedback is about your plans only: it holds no figures "
        "about other writers.",
        muted=True,
    )
