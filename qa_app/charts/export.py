"""Charts as files: PNG and SVG rendered offline by vl-convert, for downloads and for
the Word reports."""

from __future__ import annotations

import altair as alt
import vl_convert

from qa_app.charts.style import WIDTH


def _spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = WIDTH
    return spec


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vl_convert.vegalite_to_png(_spec(chart), scale=scale)


def chart_svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(_spec(chart))
