"""Text that came from a plan or a person, made safe to place inside Markdown.

Streamlit renders Markdown in ``st.markdown``, captions, alerts, metric values, expander
and widget labels and help: an image link in plan text would make the viewer's browser
fetch from a remote host, and a link would be clickable. Where such text must sit inside
formatted Markdown, ``plain()`` escapes every Markdown and HTML character so it shows
exactly as written; where it stands alone, ``st.text`` shows it without any parsing.

Escaping is not enough for bare addresses: GitHub-flavoured Markdown turns
``http://…``, ``www.…`` and ``name@host`` in the *parsed* text into links. An invisible
word joiner (U+2060) after the scheme's colon, after ``www`` and before ``@`` keeps them
text while they read the same.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character can be backslash-escaped in CommonMark; escaping all
# of them also defuses Streamlit's own syntax (:red[...], :material/...:, $math$).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=[a-z]\\:)|(?<=www)(?=\\\.)|(?=\\@)")


def plain(text: object) -> str:
    """``text`` escaped for Markdown: no link, image, HTML or emphasis survives, and line
    breaks stay line breaks."""
    escaped = _PUNCTUATION.sub(r"\\\1", "" if text is None else str(text))
    unlinked = _AUTOLINK_STARTS.sub(_WORD_JOINER, escaped)
    return _LINE_BREAK.sub("  \n", unlinked)
