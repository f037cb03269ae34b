"""Chart builders: plain functions from a dashboard table (a pandas DataFrame from
``qa_app.services.dashboard``) to an Altair chart. No Streamlit here, so the Word reports
draw the same charts the dashboard shows.

Every mark carries a tooltip. Groups withheld by small-number suppression are drawn as
"Suppressed", never as a percentage. Clickable charts hold one point selection named
``pick`` whose fields say what was clicked (period, grade, group or criterion).
"""

from qa_app.charts.breakdowns import breakdown_chart
from qa_app.charts.criteria import criterion_heatmap, pfa_coverage_chart
from qa_app.charts.export import chart_png, chart_svg
from qa_app.charts.trends import good_share_chart, grade_distribution_chart, share_over_time_chart

__all__ = [
    "breakdown_chart",
    "chart_png",
    "chart_svg",
    "criterion_heatmap",
    "good_share_chart",
    "grade_distribution_chart",
    "pfa_coverage_chart",
    "share_over_time_chart",
]
