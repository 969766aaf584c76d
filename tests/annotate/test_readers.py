"""Sets readers: a Label Studio list that breaks off, the UTF-16 fast path of doccano's reader."""

import io
import json

from annotate.interop.formats import ReadOptions, get_reader


def _task(text, start, end):
    return {"data": {"text": text}, "annotations": [{"result": [
        {"type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": start, "end": end, "labels": ["GPE"], "text": text[start:end]}}]}]}


def test_a_label_studio_list_that_breaks_off_gives_the_tasks_before_it_and_names_where():
    text = json.dumps([_task("Ankara'da görüşme.", 0, 6), _task("Tiran'da görüşme.", 0, 5)], ensure_ascii=False)
    records = list(get_reader("labelstudio").read(io.BytesIO(text[:-40].encode()), ReadOptions()))
    assert records[0] == (1, {"text": "Ankara'da görüşme.", "external_id": "", "boilerplate": [], "_task": 1,
                              "entities": [{"start": 0, "end": 6, "label": "GPE", "text": "Ankara"}],
                              "_where": "task 1, annotations[0]", "_author": None,
                              "_places": {"entities": [0], "boilerplate": [], "list": "result"}})
    number, problem = records[1]
    assert len(records) == 2 and number == 2
    assert problem.startswith("not a Label Studio task list (after task 1): malformed JSON")


def test_a_label_studio_file_that_is_no_list_is_one_problem():
    records = list(get_reader("labelstudio").read(io.BytesIO(b'{"data": {}}'), ReadOptions()))
    assert records == [(1, "not a Label Studio task list: the file must be a JSON list")]


def test_doccano_utf16_offsets_pass_unchanged_without_astral_characters_and_are_converted_with_them():
    lines = [{"text": "Ankara'da", "label": [[0, 6, "GPE"]]},
             {"text": "👍🏽 Ankara", "label": [[5, 11, "GPE"]]},  # two astral characters: UTF-16 5 is code point 3
             {"text": "Tiran", "label": [[0, 99, "GPE"]]}]  # out of range: left to the set's range check
    raw = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    records = dict(get_reader("doccano").read(io.BytesIO(raw), ReadOptions(boilerplate_names=frozenset({"SHARE"}))))
    assert records[1]["entities"] == [{"start": 0, "end": 6, "label": "GPE"}]
    assert records[2]["entities"] == [{"start": 3, "end": 9, "label": "GPE"}]
    assert "👍🏽 Ankara"[3:9] == "Ankara"
    assert records[3]["entities"] == [{"start": 0, "end": 99, "label": "GPE"}]


def _docbin(texts_and_ents) -> bytes:
    from spacy.tokens import Doc, DocBin, Span
    from spacy.vocab import Vocab

    vocab, docbin = Vocab(), DocBin()
    for words, ents, events in texts_and_ents:
        doc = Doc(vocab, words=words)
        doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
        doc.spans["events"] = [Span(doc, a, b, label=label) for a, b, label in events]
        docbin.add(doc)
    return docbin.to_bytes()


def test_a_docbin_gives_each_doc_as_a_set_with_its_entities_boilerplate_and_event_triggers():
    raw = _docbin([(["Lavrov", "Ankara'da", "görüştü", "."], [(0, 1, "PER")], [(2, 3, "MEETING")]),
                   (["Tiran", "."], [(0, 1, "GPE")], [])])
    records = list(get_reader("spacy").read(io.BytesIO(raw), ReadOptions()))
    assert records == [
        (1, {"text": "Lavrov Ankara'da görüştü . ", "entities": [{"start": 0, "end": 6, "label": "PER"}],
             "boilerplate": [], "events": [{"type": "MEETING", "trigger": {"start": 17, "end": 24}, "arguments": []}]}),
        (2, {"text": "Tiran . ", "entities": [{"start": 0, "end": 5, "label": "GPE"}], "boilerplate": [],
             "events": []}),
    ]


def test_a_damaged_docbin_is_one_problem_not_an_error():
    for raw in (b"not a docbin", _docbin([(["Tiran"], [], [])])[:-5], b""):
        records = list(get_reader("spacy").read(io.BytesIO(raw), ReadOptions()))
        assert len(records) == 1 and records[0][0] == 1 and records[0][1].startswith("not a spaCy DocBin: ")


def test_a_docbin_that_would_inflate_past_the_limit_is_refused_before_it_is_decompressed(monkeypatch):
    import zlib

    from annotate.interop.formats import spacy as spacy_docbin

    monkeypatch.setattr(spacy_docbin, "MAX_BYTES", 1024 * 1024)
    raw = zlib.compress(b"\0" * (8 * 1024 * 1024))  # 8 KB that would become 8 MB
    [(number, problem)] = list(get_reader("spacy").read(io.BytesIO(raw), ReadOptions()))
    assert number == 1 and problem == "not a spaCy DocBin: ValueError: it decompresses to over 1,048,576 bytes"


def test_a_docbin_written_by_spacy_convert_gives_the_entities_of_the_conll_file_it_came_from(tmp_path):
    """`spacy convert` (spaCy's own CLI) on the first sentences of the TWNERTC dev set (../shared/external):
    the reader gives each sentence's text and, for each entity of the tags, the characters of its tokens."""
    import subprocess
    import sys

    from tests.annotate.test_conll_import import sentences
    from tests.conftest import shared_path

    linspector = shared_path("external", "tr_twnertc_linspector", "dev.txt")

    lines = linspector.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = [i for i, line in enumerate(lines) if not line.strip()][29]  # the blank line after the 30th sentence
    source = tmp_path / "dev.conll"
    source.write_text("".join(lines[:cut + 1]), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "spacy", "convert", str(source), str(tmp_path), "--converter", "ner",
                    "--n-sents", "1"], check=True, capture_output=True, timeout=120)
    records = [r for _n, r in get_reader("spacy").read(io.BytesIO((tmp_path / "dev.spacy").read_bytes()),
                                                        ReadOptions())]
    expected = []
    for sentence in sentences("".join(lines[:cut + 1])):
        entities, current = [], None
        for token, tag in sentence:
            if tag.startswith("B-") or (tag.startswith("I-") and current is None):
                current = [tag[2:], token]
                entities.append(current)
            elif tag.startswith("I-"):
                current.append(token)
            else:
                current = None
        expected.append((" ".join(token for token, _tag in sentence), [(e[0], " ".join(e[1:])) for e in entities]))
    got = [(r["text"].strip(), [(e["label"], r["text"][e["start"]:e["end"]]) for e in r["entities"]])
           for r in records]
    assert len(got) == 30 and any(entities for _text, entities in got)
    assert got == expected
