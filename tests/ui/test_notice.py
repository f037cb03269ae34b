"""A notice shows its text as written unless its caller says it built the Markdown."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PLANTED = "See ![x](http://tracker.example/x.png) and [here](http://tracker.example) **now**"


def _notice_script(text: str, markup: bool) -> None:
    from qa_app.ui.components.notice import notice

    notice(text, icon="flag", tone="warning", markup=markup)


def _shown(markup: bool) -> str:
    at = AppTest.from_function(_notice_script, args=(PLANTED, markup), default_timeout=30).run()
    assert not at.exception
    return at.markdown[0].value


def test_plain_notice_escapes_links_images_and_emphasis():
    shown = _shown(markup=False)
    assert "![x](http" not in shown
    assert "[here](http" not in shown
    assert "**now**" not in shown
    assert "\\*\\*now\\*\\*" in shown


def test_a_notice_marked_as_markup_keeps_the_callers_markdown():
    assert "**now**" in _shown(markup=True)
