"""The learning report for training teams: what audits found in a period, what good looks
like, and the training that follows."""

from __future__ import annotations

from qa_app.domain.plan_facts import AGENCIES
from qa_app.reports.figures import CriterionFigure, GradeCounts, ReportFigures
from qa_app.reports.images import grade_distribution_alt, grade_distribution_png
from qa_app.reports.provision_learning import write_provision_and_thread
from qa_app.reports.themes import Theme
from qa_app.reports.writing import ReportWriter, long_date, percent

TITLE = "Learning from EHC plan quality audits"


def write_learning_report(out: ReportWriter, figures: ReportFigures) -> None:
    write_cover(out, figures, TITLE, "Audit learning report for training teams")
    if figures.grades.total < figures.suppression_size:
        out.heading("Summary")
        out.paragraph(
            f"Fewer than {figures.suppression_size} audits match this selection, so its figures are "
            "suppressed to keep the children and staff behind them unidentifiable. Widen the period "
            "or remove a filter."
        )
    else:
        write_summary(out, figures)
        write_criteria(out, figures)
        write_themes(out, figures)
        write_exemplars(out, figures)
        write_provision_and_thread(out, figures)
        write_team_comparison(out, figures)
        write_family_voice(out, figures)
        write_actions(out, figures)
    write_appendix(out, figures)


def scope_lines(figures: ReportFigures) -> list[tuple[str, str]]:
    scope = figures.scope
    lines = [
        ("Period", f"{long_date(scope.date_from)} to {long_date(scope.date_to)}"),
        ("Rubric", f"{scope.rubric_title} (version {scope.rubric_version})"),
        ("Team", scope.team or "All teams"),
        ("Agency", AGENCIES.get(scope.agency, scope.agency) if scope.agency else "All agencies"),
    ]
    if scope.writer:
        lines.append(("Plan writer", scope.writer))
    return lines


def write_cover(out: ReportWriter, figures: ReportFigures, title: str, subtitle: str) -> None:
    out.title(title, subtitle)
    for label, value in scope_lines(figures):
        out.paragraph(value, lead=f"{label}:")
    out.paragraph(f"Produced on {long_date(figures.generated_at.date())}.", muted=True)
    out.paragraph(
        "Every example in this report is anonymised: names and other identifiers are removed, and "
        f"groups of fewer than {figures.suppression_size} audits are not reported. Please do not try to "
        "identify the children or the staff behind the examples.",
        muted=True,
    )
    out.footer(
        f"{title} · {long_date(figures.scope.date_from)} to {long_date(figures.scope.date_to)} · OFFICIAL-SENSITIVE"
    )
    out.page_break()


def _change(current: GradeCounts, previous: GradeCounts, size: int) -> str:
    if previous.total < size:
        return f"fewer than {size} audits in the previous period, so no comparison"
    points = (current.good_share - previous.good_share) * 100
    direction = "up" if points > 0.5 else "down" if points < -0.5 else "level"
    if direction == "level":
        return f"level with the previous period ({percent(previous.good_share)} of {previous.total} audits)"
    return f"{direction} {abs(points):.0f} points on the previous period ({percent(previous.good_share)} of {previous.total} audits)"


def write_summary(out: ReportWriter, figures: ReportFigures) -> None:
    grades, previous = figures.grades, figures.previous_grades
    start, end = figures.scope.previous
    size = figures.suppression_size
    target = figures.good_target_pct / 100
    out.heading("Summary")
    out.paragraph(
        f"{grades.total} audits were completed in the period. {percent(grades.good_share)} of them "
        f"({grades.good_or_better}) judged the plan Good or better, against a target of {percent(target)}; "
        f"that is {_change(grades, previous, size)}."
    )
    previous_share = percent(previous.good_share) if previous.total >= size else "suppressed"
    out.table(
        ["Measure", "This period", "Previous period"],
        [
            [
                "Audits",
                grades.total,
                previous.total if previous.total >= size else f"fewer than {size}",
            ],
            ["Good or better", percent(grades.good_share), previous_share],
            ["Target", percent(target), percent(target)],
            [
                "Dates",
                f"{long_date(figures.scope.date_from)} – {long_date(figures.scope.date_to)}",
                f"{long_date(start)} – {long_date(end)}",
            ],
        ],
        widths_cm=(4.5, 6, 6),
    )
    periods = [(_period_label(start, end), previous), (_period_label(*_this(figures)), grades)]
    out.image(
        grade_distribution_png(periods, size),
        width_cm=15,
        alt=grade_distribution_alt(periods, size),
        caption="Overall grades: the share of audits at each grade, this period and the one before "
        "(agreed grades where moderated).",
    )
    out.heading("At a glance", 2)
    if figures.weakest:
        out.bullet(_criterion_line(figures.weakest[0]), lead="Weakest criterion:")
    if figures.strongest:
        out.bullet(_criterion_line(figures.strongest[0]), lead="Strongest criterion:")
    if figures.development_themes:
        theme = figures.development_themes[0]
        out.bullet(
            f"{theme.example} ({theme.audits} audits)", lead="Most common area for development:"
        )
    if figures.actions:
        out.bullet(figures.actions[0].action, lead="First training priority:")
    out.page_break()


def _this(figures: ReportFigures) -> tuple:
    return figures.scope.date_from, figures.scope.date_to


def _period_label(start, end) -> str:
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%b %Y}"
    return (
        f"{start:%b %Y} to {end:%b %Y}" if start.day == 1 else f"{start:%d %b %Y} to {end:%d %b %Y}"
    )


def _criterion_line(criterion: CriterionFigure) -> str:
    return (
        f"{criterion.title} ({criterion.section}): mean score {criterion.mean:.2f} from {criterion.scored} "
        f"audits, {percent(criterion.below_good_share)} below Good"
    )


def _criteria_table(out: ReportWriter, criteria: list[CriterionFigure]) -> None:
    out.table(
        ["Criterion", "Section", "Audits", "Mean score", "Below Good"],
        [
            [c.title, c.section, c.scored, f"{c.mean:.2f}", percent(c.below_good_share)]
            for c in criteria
        ],
        widths_cm=(5, 5.6, 1.8, 2.2, 2.2),
    )


def write_criterion_guides(out: ReportWriter, criteria: list[CriterionFigure]) -> None:
    for criterion in criteria:
        out.heading(criterion.title, 3)
        out.paragraph(criterion.good_looks_like, lead="Good looks like:")
        out.paragraph(criterion.outstanding_looks_like, lead="Outstanding looks like:")


def write_criteria(out: ReportWriter, figures: ReportFigures) -> None:
    out.heading("Strongest and weakest criteria")
    out.paragraph(
        "Criteria are ranked by their mean score (4 Outstanding to 1 Inadequate) across the audits "
        f"that scored them; criteria scored in fewer than {figures.suppression_size} audits are left out."
    )
    out.heading("Where plans fall short", 2)
    _criteria_table(out, figures.weakest)
    write_criterion_guides(out, figures.weakest)
    out.heading("Where plans are strongest", 2)
    _criteria_table(out, figures.strongest)
    write_criterion_guides(out, figures.strongest)


def _theme_table(out: ReportWriter, themes: list[Theme], size: int) -> None:
    if not themes:
        out.paragraph(f"No theme was shared by {size} or more audits.")
        return
    out.table(
        ["Theme (key phrases)", "Typical wording", "Audits", "Share"],
        [["; ".join(t.key_phrases), t.example, t.audits, percent(t.share)] for t in themes],
        widths_cm=(4, 9, 2, 2),
    )


def write_themes(out: ReportWriter, figures: ReportFigures) -> None:
    size = figures.suppression_size
    out.heading("Themes from auditors' notes")
    out.paragraph(
        f"Auditors wrote strengths or areas for development in {figures.notes_audits} audits. Their "
        "sentences were grouped by the key phrases they share; each theme shows how many audits "
        f"mention it and the share of audits with notes. Themes in fewer than {size} audits are not shown."
    )
    out.heading("Strengths", 2)
    _theme_table(out, figures.strength_themes, size)
    out.heading("Areas for development", 2)
    _theme_table(out, figures.development_themes, size)


def write_exemplars(out: ReportWriter, figures: ReportFigures) -> None:
    out.heading("Anonymised exemplars")
    out.paragraph(
        "Outcome statements from section E of the audited plans, chosen by the weak-outcome "
        "classifier as the clearest examples. Names and identifiers have been removed."
    )
    write_unjudged_note(out, figures)
    out.heading("Strong outcomes", 2)
    if not figures.strong_exemplars:
        out.paragraph("No outcome in this selection was judged strong.")
    for exemplar in figures.strong_exemplars:
        out.quote(exemplar.text)
        if exemplar.area:
            out.paragraph(exemplar.area, lead="Area:", muted=True)
    out.heading("Weak outcomes and how to improve them", 2)
    write_weak_outcomes(out, figures)


def write_unjudged_note(out: ReportWriter, figures: ReportFigures) -> None:
    if figures.unjudged_outcomes:
        out.paragraph(
            f"{figures.unjudged_outcomes} outcome statements could not be judged: the weak-outcome "
            "classifier is not available on this server and they have no stored verdict.",
            muted=True,
        )


def write_weak_outcomes(out: ReportWriter, figures: ReportFigures) -> None:
    if not figures.weak_exemplars:
        out.paragraph("No outcome in this selection was judged weak.")
        return
    out.table(
        ["Outcome as written", "Why it is weak", "Suggested improvement"],
        [[e.text, "; ".join(e.reasons), " ".join(e.improvements)] for e in figures.weak_exemplars],
        widths_cm=(6.5, 3.5, 7),
    )


def write_team_comparison(out: ReportWriter, figures: ReportFigures) -> None:
    size = figures.suppression_size
    out.heading("Comparison by team")
    out.paragraph(
        "Audits in the period for every team (the agency and rubric filters apply). "
        f"Teams with fewer than {size} audits are suppressed."
    )
    labels = [label for _, label in figures.grades.labels]
    rows = []
    for row in figures.teams:
        name = f"{row.team} (this report)" if row.selected else row.team
        if row.grades.total < size:
            rows.append([name, f"fewer than {size}", "suppressed", *["" for _ in labels], "", ""])
            continue
        rows.append(
            [
                name,
                row.grades.total,
                percent(row.grades.good_share),
                *[row.grades.counts.get(value, 0) for value, _ in figures.grades.labels],
                f"{row.mean_score:.2f}" if row.mean_score is not None else "–",
                row.weakest_criterion or "–",
            ]
        )
    out.table(
        ["Team", "Audits", "Good or better", *labels, "Mean score", "Weakest criterion"],
        rows,
        widths_cm=(3, 1.5, 1.7, *[1.6 for _ in labels], 1.5, 3.6),
    )


def write_family_voice(out: ReportWriter, figures: ReportFigures) -> None:
    """What parents, carers, children and young people said about audited plans, when
    auditors recorded any in the period."""
    if not figures.family_voice:
        return
    size = figures.suppression_size
    out.heading("What families said")
    out.paragraph(
        "After talking with them, auditors recorded how far parents or carers, and children or young "
        f"people, agree with each statement about their plan. Shares resting on fewer than {size} answers "
        "are suppressed."
    )
    out.table(
        ["Statement", "Who", "Answers", "Agree or strongly agree"],
        [
            (
                statement,
                who,
                n if n >= size else f"fewer than {size}",
                "suppressed" if share is None else f"{share:.0f}%",
            )
            for statement, who, n, share in figures.family_voice
        ],
        widths_cm=(7, 4, 2.5, 3.5),
    )


def write_actions(out: ReportWriter, figures: ReportFigures) -> None:
    out.heading("Recommended training actions")
    if not figures.actions:
        out.paragraph("No criterion was weak enough in this period to call for training.")
        return
    out.paragraph(
        "Each action comes from the rubric's training action for a weak criterion, the most "
        "widespread weakness first."
    )
    for action in figures.actions:
        out.numbered(action.action)
        out.paragraph(
            f"Addresses: {', '.join(action.criteria)} ({percent(action.below_good_share)} of audits below Good).",
            muted=True,
        )


def write_appendix(out: ReportWriter, figures: ReportFigures) -> None:
    size = figures.suppression_size
    out.page_break()
    out.heading("Appendix: method, sample, moderation and small numbers")
    out.heading("Method", 2)
    out.paragraph(
        "The report counts audits submitted in the period and scored on the rubric named on the "
        "cover. Each plan counts once per agency: second ratings of double-rated plans are used "
        "for moderation only, and where moderation has agreed a grade, that grade replaces the "
        "first auditor's. Criterion figures use the first auditor's scores; N/A and unscored "
        "criteria are left out. Good or better means an overall grade of Good or Outstanding."
    )
    out.paragraph(
        "Themes: auditors' strengths and areas-for-development notes are split into sentences, "
        "turned into TF-IDF vectors of words and word pairs, and grouped by agglomerative "
        "clustering on cosine distance (scikit-learn)."
    )
    model = (
        f"version {figures.classifier_version}" if figures.classifier_version else "not available"
    )
    out.paragraph(
        "Exemplars: outcome statements are judged weak or strong by the weak-outcome classifier "
        f"(model {model}), which also gives the reasons; suggested improvements follow from each reason."
    )
    out.heading("Sample", 2)
    titles = {"agency": "Agency", "plan_type": "Plan type", "key_stage": "Key stage"}
    for name, counts in figures.sample.items():
        out.table(
            [titles[name], "Audits"],
            [
                [
                    AGENCIES.get(value, value).replace("_", " ").capitalize(),
                    n if n >= size else f"fewer than {size}",
                ]
                for value, n in counts.items()
            ],
            widths_cm=(6, 3),
        )
    out.heading("Moderation", 2)
    moderation = figures.moderation
    if moderation.double_rated < size:
        out.paragraph(
            f"Fewer than {size} double-rated plans in this selection; moderation figures are suppressed."
        )
    else:
        out.paragraph(
            f"{moderation.double_rated} plans in this selection were double-rated; {moderation.moderated} "
            f"have been moderated. The two auditors gave the same overall grade in "
            f"{moderation.first_grades_agreed} of {moderation.double_rated} "
            f"({percent(moderation.first_grades_agreed / moderation.double_rated)})."
        )
    out.heading("Small-number suppression", 2)
    out.paragraph(
        f"Any group of fewer than {size} audits (a team, a sample category, the moderation figures, a "
        "theme or a criterion) is not reported, so that no child, family or member of staff can be "
        "recognised from the figures. Every string in this document was scanned for personal "
        "identifiers (names, NHS numbers, UPNs, postcodes, telephone numbers, e-mail addresses and "
        "dates of birth) before it was written."
    )
    if figures.auditors is not None:
        out.heading("Audits by auditor", 2)
        out.table(
            ["Auditor", "Audits"],
            [
                [name, n if n >= size else f"fewer than {size}"]
                for name, n in figures.auditors.items()
            ],
            widths_cm=(7, 3),
        )
