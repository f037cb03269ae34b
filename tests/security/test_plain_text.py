"""Plan and user text is shown as plain text on every page: Markdown and HTML planted in
every field reach the browser only escaped (or as ``st.text``), never as a link, an image
or markup. The browser-side check, the signed-in name in the sidebar included, is
tests/e2e/test_plain_text_browser.py."""

from __future__ import annotations

from datetime import date

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from qa_app.services.plan_import import read_uploads
from qa_app.settings import PROJECT_ROOT
from qa_app.ui.components.plain import plain
from tests.ingest.plan_builder import build_docx
from tests.security.markdown_planting import MARKER, live_markup, payload, plant

HOST = "http://evil.example"
# Proto fields whose text is shown without Markdown: widget values and st.text bodies.
PLAIN_FIELDS = {"default", "value", "placeholder", "raw_value", "set_value"}
PLAIN_ELEMENTS = {"text", "text_area", "text_input", "selectbox", "multiselect"}


def _strings(message: Message, plain_fields: set[str]):
    for field, value in message.ListFields():
        if field.name in plain_fields:
            continue
        values = list(value) if field.is_repeated else [value]
        if field.type == field.TYPE_STRING:
            yield from values
        elif field.type == field.TYPE_MESSAGE:
            for item in values:
                yield from _strings(item, plain_fields)


def _nodes(node):
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _nodes(child)


def shown_markdown(at: AppTest) -> list[str]:
    """Every string the app sent to be rendered as Markdown that holds planted text."""
    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or getattr(node, "type", None) in PLAIN_ELEMENTS:
            continue
        if "Component" in type(proto).DESCRIPTOR.name:
            continue  # a component's arguments are data its own script shows as text
        fields = PLAIN_FIELDS if getattr(node, "type", "") != "markdown" else set()
        found += [text for text in _strings(proto, fields) if MARKER in text]
    return found


def assert_inert(at: AppTest, *, expected_at_least: int = 1) -> None:
    assert not at.exception, at.exception
    shown = shown_markdown(at)
    assert len(shown) >= expected_at_least, "the planted text did not reach the page at all"
    for text in shown:
        assert live_markup(text) == [], text


@pytest.fixture(scope="module")
def planted(sqlite_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("plain") / "qa.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    return plant(f"sqlite:///{path}", HOST)


@pytest.fixture
def app(planted, point_app_at):
    point_app_at(planted.url)
    return planted


def test_plain_escapes_every_link_image_and_tag():
    text = payload(HOST, "unit") + "\nsecond line"
    assert live_markup(text)
    assert live_markup(plain(text)) == []
    assert plain("a\nb") == "a  \nb" and plain(None) == ""


def test_the_audit_page_shows_outcomes_names_and_notes_as_text(app, run_page):
    at = run_page("audit", app.first, query={"audit": app.audit_id})
    assert_inert(at, expected_at_least=3)  # outcome text, area · timescale, auditor's name


def test_the_moderation_page_shows_both_auditors_notes_as_text(app, run_page):
    at = run_page("moderation", app.lead, query={"moderation": app.moderation_id})
    shown = shown_markdown(at)
    assert any("notefirst" in text for text in shown) and any(
        "notesecond" in text for text in shown
    )
    assert_inert(at, expected_at_least=4)


def test_the_plan_page_shows_team_sections_and_flag_reason_as_text(app, run_page):
    at = run_page("plan", app.lead, query={"plan": app.plan_id})
    assert_inert(at)
    assert any(MARKER in warning.value and "reason" in warning.value for warning in at.warning)
    assert any(MARKER in element.value for element in at.text)  # sections: st.text


def test_the_import_preview_shows_file_names_warnings_and_plan_text_as_text(app, run_page):
    hostile = payload("http://evil.example", "docx")
    document = build_docx(
        [
            ("heading", 1, "Section A: About me"),
            ("para", hostile),
            ("heading", 1, "Section E: Outcomes"),
            ("bullet", hostile + " by July 2026."),
            ("heading", 1, "Section F: Provision"),
            ("bullet", hostile),
        ]
    )
    results = read_uploads([(f"{MARKER} ![](x.png) [a](b).docx", document)], date(2026, 3, 1))
    assert results[0].plan is not None, results[0].reason
    at = run_page("import_plan", app.lead, state={"import_results": results})
    assert_inert(at)


def test_tables_offer_no_unlogged_csv_download():
    """st.dataframe's toolbar "Download as CSV" writes no export entry to the event log, so
    it is switched off for every table; logged exports go through the Export page."""
    import subprocess
    import sys

    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import streamlit.config as c; c.get_config_options(); "
                "print(c.get_option('client.disableDataExport'))"
            ),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.strip() == "True"
