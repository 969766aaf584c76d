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


ARTICLES = [
    "🇹🇷 Dışişleri Bakanı Hakan Fidan 👍🏽 Ankara'da Edi Rama ile görüştü.",
    "👨\u200d👩\u200d👧 Aile Pekin'den geldi; 😀 Erdoğan İstanbul'da konuştu.",
    "Bakan 🇦🇱 Tiranë ve 🇺🇸 Washington ziyaretlerini anlattı, Ömer Güneş dinledi.",
]
NAMES = ["Hakan Fidan", "Ankara", "Edi Rama", "Pekin", "Erdoğan", "İstanbul", "Tiranë", "Washington", "Ömer Güneş"]


def doccano_file(tmp_path, unit: str) -> str:
    out = []
    for text in ARTICLES:
        where = from_code_points(unit, text)
        spans = [(text.index(n), text.index(n) + len(n)) for n in NAMES if n in text]
        out.append(json.dumps({"text": text, "label": [[where(a), where(b), "PER"] for a, b in spans]},
                              ensure_ascii=False))
    path = tmp_path / f"{unit}.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("unit", ["codepoints", "graphemes"])
def test_a_file_read_in_the_wrong_unit_is_refused_with_the_figures_and_the_option(project, tmp_path, capsys, unit):
    """A doccano file has no span text: read as UTF-16 (doccano's default) a file that counts code points
    or clusters would be stored shifted. The import measures the fit on token edges first and refuses."""
    from django.core.management.base import CommandError

    from corpus.models import Collection

    path = doccano_file(tmp_path, unit)
    with pytest.raises(CommandError):
        call_command("import_annotations", "units", path, "--format", "doccano", "--as", "reader",
                     "--collection", "new-docs", "--attach-collection")
    err = capsys.readouterr().err
    name = {"codepoints": "code points", "graphemes": "grapheme clusters"}[unit]
    assert (f"{unit}.jsonl, the offsets do not look like UTF-16 code units: in the 3 sets where the units "
            f"differ, 9 of 9 spans fit token edges as {name}") in err
    assert f": use offsets={unit}" in err
    assert not Span.objects.exists() and not Collection.objects.filter(slug="new-docs").exists()

    call_command("import_annotations", "units", path, "--format", "doccano", "--as", "reader", "--offsets", unit,
                 "--collection", "new-docs", "--attach-collection")
    out = capsys.readouterr().out
    assert f"offsets read as {name}: in the 3 sets where the units differ, 9 of 9 spans fit token edges" in out
    stored = sorted(s.task.document.text[s.start:s.end] for s in Span.objects.select_related("task__document"))
    assert stored == sorted(NAMES)


def test_a_good_import_says_which_unit_it_used_and_how_well_it_fitted(project, tmp_path, capsys):
    call_command("import_annotations", "units", doccano_file(tmp_path, "utf16"), "--format", "doccano", "--as",
                 "reader", "--collection", "d", "--attach-collection")
    out = capsys.readouterr().out
    assert ("utf16.jsonl, offsets read as UTF-16 code units (the tool's own unit): in the 3 sets where the units "
            "differ, 9 of 9 spans fit token edges as UTF-16 code units, ") in out
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"text": "Ankara'da görüşme.", "label": [[0, 6, "GPE"]]}) + "\n")
    call_command("import_annotations", "units", str(plain), "--format", "doccano", "--as", "reader",
                 "--collection", "d")
    assert "no text has a character on which the units differ" in capsys.readouterr().out


def test_a_doccano_problem_names_the_label_as_the_file_counts_it(project, tmp_path, capsys):
    """Boilerplate is split off the entities; the problem still says label[2], the file's own index."""
    from django.core.management.base import CommandError

    text = "REKLAM Ankara'da görüşme."
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[0, 6, "AD"], [7, 13, "GPE"], [7, 99, "GPE"]]}) + "\n")
    with pytest.raises(CommandError):
        call_command("import_annotations", "units", str(path), "--format", "doccano", "--as", "reader")
    assert "d.jsonl, line 1: label[2]: offsets 7–99 are outside the text" in capsys.readouterr().err


def test_offsets_are_refused_for_a_format_without_a_unit_to_choose(project, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "ours.jsonl"
    path.write_text(json.dumps({"text": "Ankara", "entities": []}) + "\n")
    with pytest.raises(CommandError, match="A jsonl file has no offset unit to choose"):
        call_command("import_annotations", "units", str(path), "--as", "reader", "--offsets", "utf16")


def test_a_brat_archive_in_utf16_is_caught_and_read_with_the_option(project, tmp_path, capsys):
    """brat counts code points; an archive another program wrote in UTF-16 code units is refused with the
    figures even where some offsets fall inside a character in code points (those records are measured on
    the file's own numbers)."""
    import io
    import zipfile

    from django.core.management.base import CommandError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n, text in enumerate(ARTICLES):
            where = from_code_points("utf16", text)
            spans = [(text.index(m), text.index(m) + len(m)) for m in NAMES if m in text]
            archive.writestr(f"d{n}.txt", text)
            archive.writestr(f"d{n}.ann", "".join(f"T{i}\tPER {where(a)} {where(b)}\n" for i, (a, b) in enumerate(spans, 1)))
    path = tmp_path / "utf16.zip"
    path.write_bytes(buffer.getvalue())
    args = ["import_annotations", "units", str(path), "--format", "brat", "--as", "reader", "--collection", "b",
            "--attach-collection"]
    with pytest.raises(CommandError):
        call_command(*args)
    assert "the offsets do not look like code points: in the 3 sets where the units differ, 9 of 9 spans fit " \
           "token edges as UTF-16 code units" in capsys.readouterr().err
    call_command(*args, "--offsets", "utf16")
    assert sorted(s.task.document.text[s.start:s.end] for s in Span.objects.select_related("task__document")) == \
        sorted(NAMES)


def test_the_file_doccanos_own_page_wrote_in_grapheme_mode_lands_on_the_names(project, tmp_path, capsys):
    """tests/data/interop/: doccano 1.8.4 with grapheme mode on, "Erdoğan" and "Ömer Güneş" selected with the
    mouse in its own page after a flag, a skin-toned thumb and a family. Read as graphemes they are the
    names; read in doccano's default unit the import is refused and names the option."""
    from pathlib import Path

    from django.core.management.base import CommandError

    path = Path(__file__).resolve().parent.parent / "data" / "interop" / "doccano-1.8.4-grapheme-mode-ui-export.jsonl"
    args = ["import_annotations", "units", str(path), "--format", "doccano", "--as", "reader", "--collection",
            "g", "--attach-collection"]
    with pytest.raises(CommandError):
        call_command(*args)
    assert ": use offsets=graphemes" in capsys.readouterr().err
    call_command(*args, "--offsets", "graphemes")
    stored = sorted(s.task.document.text[s.start:s.end] for s in Span.objects.select_related("task__document"))
    assert stored == ["Erdoğan", "Ömer Güneş"]
    exported, _ = export_text(project, format="doccano", offsets="graphemes")
    assert json.loads(exported)["label"] == [[32, 39, "PER"], [76, 86, "PER"]]  # what doccano stored
