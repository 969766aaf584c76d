"""The round-trip matrix: every export format, exported, imported into another project, and exported again,
gives the same annotations, on fixtures with emoji sequences, flags, skin tones, NFD input, CRLF, a BOM and
U+2028 (each alone, and all in one text).

doccano, Label Studio and brat go round in every offset unit, INCEpTION's XMI in its own (UTF-16, which
dkpro-cassis converts) (code points, UTF-16, grapheme clusters).
The fixtures come in as an annotation file whose text is not normalized (offsets in the file's own text):
the stored spans are checked first. Then for each format: JSONL, doccano and Label Studio give identical
spans; CoNLL (both flavours, both suffix modes) identical tokens and tags; the spaCy DocBin, read by spaCy,
the stored spans exactly. The export reports of both rounds agree."""

import io
import json
import re
import unicodedata
import zipfile

import pytest
from django.core.management import call_command

from annotate.models import Span
from tests.annotate.test_conll_import import sentences
from tests.factories import export_text, make_annotator, make_project

FAMILY = "👨\u200d👩\u200d👧"
NFD_NAME = "O\u0308mer Gu\u0308nes\u0327"

# (raw text, [(needle, label)]): needles are found in the raw text, in order.
FIXTURES = {
    "emoji sequence": (f"Aile {FAMILY} Ankara'da bir araya geldi.", [(FAMILY, "ORG"), ("Ankara", "GPE")]),
    "flags": ("Bayrak 🇹🇷 ve 🇦🇱 Tiran'da dalgalandı.", [("🇹🇷", "GPE"), ("🇦🇱", "GPE"), ("Tiran", "GPE")]),
    "skin tones": ("Tebrikler 👍🏽Ankara ve 👋🏿 Tiran.", [("Ankara", "GPE"), ("Tiran", "GPE")]),
    "NFD": (f"Go\u0308ru\u0308s\u0327me {NFD_NAME} ile yapıldı.", [(NFD_NAME, "PER")]),
    "CRLF": ("Ankara'da zirve.\r\nTiran'da toplantı.\r\n", [("Ankara", "GPE"), ("Tiran", "GPE")]),
    "BOM": ("\ufeffAnkara açıklama yaptı.", [("Ankara", "GPE")]),
    "U+2028": ("Ankara\u2028Tiran görüşmesi yapıldı.", [("Ankara", "GPE"), ("Tiran", "GPE")]),
}
FIXTURES["all together"] = (
    "\ufeff" + "\r\n".join(text.lstrip("\ufeff").rstrip("\r\n") for text, _ in FIXTURES.values()),
    [pair for _text, pairs in FIXTURES.values() for pair in pairs],
)

FORMATS = {
    "jsonl": ("jsonl", {}),
    "conll2003 split": ("conll", {"flavour": "conll2003", "suffix": "split"}),
    "conll2003 attach": ("conll", {"flavour": "conll2003", "suffix": "attach"}),
    "tsv split": ("conll", {"flavour": "tsv", "suffix": "split"}),
    "tsv attach": ("conll", {"flavour": "tsv", "suffix": "attach"}),
    "doccano": ("doccano", {}),
    "doccano codepoints": ("doccano", {"offsets": "codepoints"}),
    "doccano graphemes": ("doccano", {"offsets": "graphemes"}),
    "labelstudio": ("labelstudio", {}),
    "labelstudio utf16": ("labelstudio", {"offsets": "utf16"}),
    "labelstudio graphemes": ("labelstudio", {"offsets": "graphemes"}),
    "brat": ("brat", {}),
    "brat utf16": ("brat", {"offsets": "utf16"}),
    "brat graphemes": ("brat", {"offsets": "graphemes"}),
    "xmi": ("xmi", {}),
    "spacy": ("spacy", {}),
}


def raw_record(raw: str, pairs) -> dict:
    entities, at = [], 0
    for needle, label in pairs:
        start = raw.index(needle, at)
        entities.append({"start": start, "end": start + len(needle), "label": label})
        at = start + len(needle)
    return {"text": raw, "entities": entities}


def imported(tmp_path, slug: str, payload: str, fmt: str, *extra) -> object:
    project = make_project(slug, collections=[], overlap=1)
    make_annotator(project, f"{slug}-reader")
    path = tmp_path / f"{slug}.{fmt}"
    if isinstance(payload, bytes):
        path.write_bytes(payload)
    else:
        path.write_text(payload, encoding="utf-8")
    call_command("import_annotations", slug, str(path), "--format", fmt, "--as", f"{slug}-reader", "--collection",
                 f"{slug}-docs", "--attach-collection", *extra)
    return project


def spans_of(project) -> list[tuple[str, str]]:
    return sorted((s.label.name, s.task.document.text[s.start:s.end])
                  for s in Span.objects.filter(task__project=project).select_related("label", "task__document"))


def comparable(fmt: str, text) -> object:
    """What must be equal between the two rounds, per format."""
    if fmt == "conll":
        return sentences(text)
    if fmt == "jsonl":
        return [(r["text"], sorted((e["start"], e["end"], e["label"], e["text"]) for e in r["entities"]))
                for r in map(json.loads, text.splitlines())]
    if fmt == "doccano":
        return [(r["text"], sorted(map(tuple, r["label"]))) for r in map(json.loads, text.splitlines())]
    if fmt == "labelstudio":
        return [(t["data"]["text"], sorted((r["value"]["start"], r["value"]["end"], tuple(r["value"]["labels"]))
                                           for r in t["annotations"][0]["result"])) for t in json.loads(text)]
    if fmt == "xmi":  # the CAS's own offsets (UTF-16) and values, per file, in the order written
        with zipfile.ZipFile(io.BytesIO(text)) as archive:
            return sorted(re.findall(r'begin="\d+" end="\d+"(?: value="[^"]*")?', archive.read(n).decode())
                          for n in archive.namelist() if n.endswith(".xmi"))
    if fmt == "brat":
        with zipfile.ZipFile(io.BytesIO(text)) as archive:
            return sorted((archive.read(n).decode(), archive.read(n[:-4] + ".ann").decode().splitlines())
                          for n in archive.namelist() if n.endswith(".txt"))
    raise AssertionError(fmt)


@pytest.mark.parametrize("fixture", list(FIXTURES))
@pytest.mark.parametrize("name", list(FORMATS))
def test_export_import_export_gives_the_same_annotations(db, tmp_path, capsys, name, fixture):
    raw, pairs = FIXTURES[fixture]
    source = imported(tmp_path, "source", json.dumps(raw_record(raw, pairs), ensure_ascii=False), "jsonl")
    expected = sorted((label, unicodedata.normalize("NFC", needle)) for needle, label in pairs)
    assert spans_of(source) == expected  # the file's offsets carried onto the normalized text
    fmt, params = FORMATS[name]
    first, first_report = export_text(source, format=fmt, **params)
    assert first_report.misaligned_count == 0 and first_report.nested_left_out == 0
    if fmt == "spacy":
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        (doc,) = list(DocBin().from_bytes(first).get_docs(Vocab()))
        assert sorted((e.label_, e.text) for e in doc.ents) == expected
        assert sorted((e.start_char, e.end_char) for e in doc.ents) == sorted(
            (s.start, s.end) for s in Span.objects.filter(task__project=source))
        return
    extra = ["--create-labels"] if fmt == "conll" else []
    if params.get("offsets"):
        extra += ["--offsets", params["offsets"]]
    copy = imported(tmp_path, "copy", first, fmt, *extra)
    second, second_report = export_text(copy, format=fmt, **params)
    assert comparable(fmt, second) == comparable(fmt, first)
    assert second_report.summary() == first_report.summary()
    if fmt != "conll":  # CoNLL keeps tokens and tags; its text is the tokens joined by spaces
        assert spans_of(copy) == expected
