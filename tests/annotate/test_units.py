"""Offsets in every unit another tool counts in (annotate.interop.units), both ways: code points, UTF-16
code units and grapheme clusters (doccano's grapheme mode), proved on emoji, flags, skin tones,
combining marks, CR LF and Turkish İ/ı."""

import json

import pytest
import regex
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.interop.units import OFFSET_UNITS, from_code_points, to_code_points
from annotate.models import Span
from tests.factories import export_text, make_annotator, make_project

PIECES = ["a", "İ", "ı", "ş", " ", "\n", "\r\n", "👍🏽", "🇹🇷", "👨\u200d👩\u200d👧", "O\u0308", "e\u0301\u0302", "😀", "'"]


def convert(unit, text, value):
    forward = to_code_points(unit, text)
    return value if forward is None else forward(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30), st.sampled_from(OFFSET_UNITS))
def test_every_cluster_boundary_goes_out_and_comes_back_to_the_same_code_point(pieces, unit):
    text = "".join(pieces)
    edges = [m.start() for m in regex.finditer(r"\X", text)] + [len(text)]
    out = from_code_points(unit, text)
    for cp in edges:
        assert convert(unit, text, out(cp)) == cp


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))
def test_grapheme_offsets_count_what_a_reader_sees_as_characters(pieces):
    text = "".join(pieces)
    clusters = regex.findall(r"\X", text)
    out = from_code_points("graphemes", text)
    assert out(len(text)) == len(clusters)
    at = 0
    for n, cluster in enumerate(clusters):
        assert out(at) == n
        at += len(cluster)


def test_an_offset_past_the_last_cluster_stays_past_the_end():
    text = "👍🏽 Ankara"
    assert convert("graphemes", text, 8) == len(text)  # 8 clusters: the end
    assert convert("graphemes", text, 9) > len(text)  # refused by the range check with the others


@pytest.fixture
def project(db):
    project = make_project("units", overlap=1)
    make_annotator(project, "reader")
    return project


def test_a_doccano_file_in_grapheme_mode_lands_on_the_words_and_goes_out_the_same(project, tmp_path):
    """doccano's grapheme mode counts clusters: after 🇹🇷 and 👍🏽 "Erdoğan" starts at 3, not at 9 (UTF-16)
    nor 5 (code points). Read with offsets=graphemes the span is "Erdoğan"; exported the same way, the file
    has the same numbers."""
    text = "🇹🇷 👍🏽Erdoğan Ankara'da."
    start = len(regex.findall(r"\X", text[: text.index("Erdoğan")]))
    assert start == 3
    path = tmp_path / "graphemes.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[start, start + 7, "PER"]]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    call_command("import_annotations", "units", str(path), "--format", "doccano", "--as", "reader",
                 "--offsets", "graphemes", "--collection", "u", "--attach-collection")
    span = Span.objects.get()
    assert span.task.document.text[span.start:span.end] == "Erdoğan"
    exported, _ = export_text(project, format="doccano", offsets="graphemes")
    assert json.loads(exported)["label"] == [[3, 10, "PER"]]
    jsonl, _ = export_text(project, offsets="graphemes")
    entity = json.loads(jsonl)["entities"][0]
    assert (entity["start_graphemes"], entity["end_graphemes"]) == (3, 10)
    labelstudio, _ = export_text(project, format="labelstudio", offsets="graphemes")
    value = json.loads(labelstudio)[0]["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"]) == (3, 10)
