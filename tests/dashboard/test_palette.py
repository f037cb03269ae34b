"""The grade palette: 3:1 or more against the background and between grades stacked next
to each other (WCAG 1.4.11), text on each grade at 4.5:1, and the same colours in the
app's charts and in the Word reports' chart images."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image

from qa_app.charts.style import GRADE_COLOURS, GRADE_TEXT, SCORE_SCALE
from qa_app.reports.figures import GradeCounts
from qa_app.reports.images import grade_distribution_png

WHITE = "#ffffff"


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_of_known_colours():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#828180", WHITE) == pytest.approx(3.88, abs=0.01)  # Streamlit's caption grey


@pytest.mark.parametrize("grade", list(GRADE_COLOURS))
def test_each_grade_stands_out_from_the_background_and_carries_readable_text(grade):
    assert contrast(GRADE_COLOURS[grade], WHITE) >= 3.0
    assert contrast(GRADE_COLOURS[grade], GRADE_TEXT[grade]) >= 4.5


def test_neighbouring_grades_differ_by_3_to_1():
    ordered = list(GRADE_COLOURS.values())
    for upper, lower in itertools.pairwise(ordered):
        assert contrast(upper, lower) >= 3.0, (upper, lower)


def test_score_written_in_heatmap_cells_reads_everywhere_on_the_scale():
    for colour in SCORE_SCALE["range"]:
        assert contrast(colour, "#0b0c0c") >= 4.5


def test_the_word_reports_chart_uses_the_app_palette():
    labels = [(4, "Outstanding"), (3, "Good"), (2, "Requires improvement"), (1, "Inadequate")]
    grades = GradeCounts(counts={4: 5, 3: 9, 2: 7, 1: 4}, labels=labels)
    png = grade_distribution_png([("This term", grades)], suppression_size=5)
    colours = {
        "#{:02x}{:02x}{:02x}".format(*pixel[:3])
        for _, pixel in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20)
    }
    assert set(GRADE_COLOURS.values()) <= colours
