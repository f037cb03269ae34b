"""Fuzzing the reader: generated documents and mutated bytes never raise anything but
``PlanRefused``, and generated documents never trip an internal error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_app.ingest import ParsedPlan, PlanRefused, read_plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import LAYOUTS, STATUTORY_TITLES

# Characters that are legal in XML 1.0, so python-docx can write them.
xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=60,
)
titles = st.sampled_from(
    [f"Section {letter}: {title}" for letter, title in STATUTORY_TITLES.items()]
    + list(STATUTORY_TITLES.values())
    + [
        "A.",
        "B)",
        "Part C",
        "3. Outcomes (Section E)",
        "H1 and H2",
        "Name:",
        "Date of birth: 1/2/2015",
    ]
)
words = st.one_of(xml_text, titles)
paragraph_items = st.one_of(
    st.tuples(st.just("heading"), st.integers(1, 3), words),
    st.tuples(st.just("bold"), words),
    st.tuples(st.just("para"), words),
    st.tuples(st.just("bullet"), words),
    st.tuples(st.just("number"), words),
    st.tuples(st.just("bold_lead"), titles, xml_text),
)
cells = st.one_of(words, st.lists(paragraph_items, min_size=1, max_size=3))
tables = st.tuples(
    st.just("table"),
    st.integers(1, 3).flatmap(
        lambda width: st.lists(
            st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=4
        )
    ),
)
documents = st.lists(st.one_of(paragraph_items, tables), max_size=25)


def read_or_refuse(data: bytes):
    try:
        return read_plan(data, "fuzz.docx")
    except PlanRefused as refusal:
        return refusal


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_documents_are_read_or_refused_plainly(items):
    result = read_or_refuse(build_docx(items))
    if isinstance(result, PlanRefused):
        assert result.reason in ("empty document", "no recognisable sections")
    else:
        assert isinstance(result, ParsedPlan)
        assert result.sections


VALID = build_docx(LAYOUTS[0]().items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=12
    )
)
def test_mutated_bytes_never_escape_as_another_error(mutations):
    data = bytearray(VALID)
    for position, value in mutations:
        data[position] = value
    result = read_or_refuse(bytes(data))
    assert isinstance(result, (ParsedPlan, PlanRefused))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(VALID) - 1))
def test_truncated_files_never_escape_as_another_error(length):
    assert isinstance(read_or_refuse(VALID[:length]), (ParsedPlan, PlanRefused))
