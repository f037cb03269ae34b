"""Chart images for reports: the dashboard's own Altair charts (``qa_app.charts``),
rendered offline to PNG."""

from __future__ import annotations

import pandas as pd

from qa_app.charts import chart_png, grade_distribution_chart
from qa_app.reports.figures import GradeCounts

CHART_WIDTH = 420


def grade_distribution_png(periods: list[tuple[str, GradeCounts]], suppression_size: int) -> bytes:
    """The dashboard's grade-mix chart, one stacked bar per period; a period with fewer
    than ``suppression_size`` audits is drawn as suppressed (pass 0 to draw every one)."""
    rows = []
    for order, (period, grades) in enumerate(periods):
        for grade, label in grades.labels:
            count = grades.counts.get(grade, 0)
            rows.append(
                {
                    "period": period,
                    "period_order": order,
                    "grade": grade,
                    "grade_label": label,
                    "n": grades.total,
                    "count": count,
                    "share": 100 * count / grades.total if grades.total else None,
                    "suppressed": grades.total < max(suppression_size, 1),
                }
            )
    return chart_png(
        grade_distribution_chart(pd.DataFrame(rows), suppression_size, width=CHART_WIDTH)
    )


def grade_distribution_alt(periods: list[tuple[str, GradeCounts]], suppression_size: int) -> str:
    """What the grade-mix chart shows, in words, for its description in the document."""
    parts = []
    for period, grades in periods:
        if grades.total < max(suppression_size, 1):
            parts.append(f"{period}: not shown, fewer than {max(suppression_size, 1)} audits")
            continue
        shares = ", ".join(
            f"{label} {grades.counts.get(grade, 0)} ({100 * grades.counts.get(grade, 0) / grades.total:.0f}%)"
            for grade, label in grades.labels
        )
        parts.append(f"{period}: {grades.total} audits, {shares}")
    return "Stacked bar chart of overall grades. " + "; ".join(parts) + "."
