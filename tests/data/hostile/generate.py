"""Writes the hostile files beside this script (run it after changing it; the files are committed).

Each file holds one good record and one bad one, so that a run with skip_invalid imports the good record
and reports the bad one, and a run without it writes nothing. `articles/` go to the corpus import (command,
page, API); `annotations/` to the annotation import (command, API), over a project whose collection holds
GOOD_TEXT."""

import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD_TEXT = "Rusya'nın Dışişleri Bakanı Sergey Lavrov salı günü Pekin'de görüştü."
GOOD_ARTICLE = '{"text": "Bakan Fidan, Tiran\'da mevkidaşı ile görüştü.", "id": "good"}'


def articles():
    bad = {
        "nul_in_text": r'{"text": "Ankara\u0000Tiran"}',
        "nul_in_title": r'{"text": "Metin bir.", "title": "Ba\u0000lık"}',
        "nul_in_id": r'{"text": "Metin iki.", "id": "a\u0000b"}',
        "nul_in_meta_value": r'{"text": "Metin üç.", "meta": {"source": "AA\u0000"}}',
        "nul_in_meta_key": r'{"text": "Metin dört.", "meta": {"so\u0000urce": "AA"}}',
        "nan_in_meta": '{"text": "Metin beş.", "meta": {"score": NaN}}',
        "infinity_in_meta": '{"text": "Metin altı.", "meta": {"score": -Infinity}}',
        "huge_number_in_meta": '{"text": "Metin yedi.", "meta": {"score": 1e400}}',
        "deep_nesting": '{"text": "Metin sekiz.", "meta": {"x": ' + "[" * 5000 + "]" * 5000 + "}}",
        "lone_surrogate": r'{"text": "Metin dokuz \ud800."}',
    }
    for name, line in bad.items():
        (HERE / "articles" / f"{name}.jsonl").write_text(GOOD_ARTICLE + "\n" + line + "\n", encoding="utf-8")
    entry = '{"text": "Zip içindeki haber metni, bozuk.", "id": "z1"}\n'.encode() * 20
    good_entry = GOOD_ARTICLE.encode() + b"\n"
    # An entry whose declared (uncompressed) size is smaller than its content.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a_good.jsonl", good_entry)
        archive.writestr("b_bad.jsonl", entry)
    data = bytearray(buffer.getvalue())
    _patch_sizes(data, b"b_bad.jsonl", len(entry) // 2)
    (HERE / "articles" / "zip_declared_size_smaller.zip").write_bytes(bytes(data))
    # An entry with one byte of its compressed data changed.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a_good.jsonl", good_entry)
        archive.writestr("b_bad.jsonl", entry)
    data = bytearray(buffer.getvalue())
    header = data.index(b"PK\x03\x04", 1)  # the second entry's local header
    name_len, extra_len = int.from_bytes(data[header + 26 : header + 28], "little"), int.from_bytes(data[header + 28 : header + 30], "little")
    payload = header + 30 + name_len + extra_len
    data[payload + 5] ^= 0xFF
    (HERE / "articles" / "zip_corrupted_byte.zip").write_bytes(bytes(data))


def _patch_sizes(data: bytearray, name: bytes, size: int):
    """Write `size` as the uncompressed size of entry `name`, in its local header and the central directory."""
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[at + offset : at + offset + 4] = size.to_bytes(4, "little")
            at += 4


def _docbin(texts) -> bytes:
    """A spaCy DocBin of (text, label of its first word) made by spaCy itself, as another tool would."""
    from spacy.tokens import Doc, DocBin, Span
    from spacy.vocab import Vocab

    vocab, docbin = Vocab(), DocBin()
    for text, label in texts:
        words = text.split(" ")
        doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
        doc.ents = [Span(doc, 0, 1, label=label)]
        docbin.add(doc)
    return docbin.to_bytes()


def annotations():
    good = {"text": GOOD_TEXT, "entities": [{"id": "e1", "start": 0, "end": 5, "label": "GPE"}]}
    good_line = json.dumps(good, ensure_ascii=False)
    bad = {
        "entities_not_objects": '{"text": "%s", "entities": ["Rusya", 3]}',
        "entities_not_a_list": '{"text": "%s", "entities": {"start": 0}}',
        "events_not_objects": '{"text": "%s", "events": [[1, 2]]}',
        "arguments_not_objects": '{"text": "%s", "events": [{"type": "MEETING", "trigger": {"start": 0, "end": 5}, "arguments": ["x"]}]}',
        "trigger_not_object": '{"text": "%s", "events": [{"type": "MEETING", "trigger": [0, 5]}]}',
        "label_is_a_list": '{"text": "%s", "entities": [{"start": 0, "end": 5, "label": ["GPE"]}]}',
        "lone_surrogate": '{"text": "%s", "entities": [{"start": 0, "end": 5, "label": "GPE\\udc00"}]}',
        "nul": '{"text": "%s", "entities": [{"start": 0, "end": 5, "label": "G\\u0000PE"}]}',
    }
    # The bad record is another document (the good one's text with a prefix), so that the good record
    # is the only one that can be imported.
    other = "Ek: " + GOOD_TEXT
    for name, line in bad.items():
        (HERE / "annotations" / f"{name}.jsonl").write_text(good_line + "\n" + line % other + "\n", encoding="utf-8")
    (HERE / "annotations" / "invalid_utf8.jsonl").write_bytes(
        good_line.encode() + b"\n" + b'{"text": "Ek: Rusya\xff\xfe", "entities": []}\n')
    doccano_good = json.dumps({"text": GOOD_TEXT, "label": [[0, 5, "GPE"]]}, ensure_ascii=False).encode()
    (HERE / "annotations" / "invalid_utf8.doccano.jsonl").write_bytes(
        doccano_good + b"\n" + b'{"text": "Ek: \xc3\x28", "label": []}\n')
    (HERE / "annotations" / "label_is_a_list.doccano.jsonl").write_text(
        doccano_good.decode() + "\n" + json.dumps({"text": other, "label": [[0, 3, ["GPE"]]]}) + "\n", encoding="utf-8")
    (HERE / "annotations" / "invalid_utf8.conll").write_bytes(
        "Rusya B-GPE\nbugün O\n\n".encode() + b"Tiran\xff B-GPE\n\n")
    tasks = [
        {"data": {"text": GOOD_TEXT}, "annotations": [{"result": [
            {"type": "labels", "value": {"start": 0, "end": 5, "labels": ["GPE"]}}]}]},
        {"data": {"text": other}, "annotations": [{"result": ["not an object", 7]}]},
    ]
    (HERE / "annotations" / "result_not_object.labelstudio.json").write_text(json.dumps(tasks, ensure_ascii=False),
                                                                              encoding="utf-8")
    (HERE / "annotations" / "nul_in_text.spacy.spacy").write_bytes(_docbin([(GOOD_TEXT, "GPE"), ("Ek\x00: Rusya", "GPE")]))
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64
    (HERE / "annotations" / "binary.jsonl").write_bytes(good_line.encode() + b"\n" + png + b"\n")


def brat():
    """brat archives: a good pair (GOOD_TEXT, Rusya as GPE) and a hostile one."""
    other = "Ek: " + GOOD_TEXT
    bad = {
        "invalid_utf8": (other.encode() + b"\xff", b"T1\tGPE 4 9\tRusya\n"),
        "garbage_line": (other.encode(), b"T1\tGPE 4 9\tRusya\nrm -rf /\n"),
        "huge_offset": (other.encode(), b"T1\tGPE 4 99999999999999999999999\tRusya\n"),
        "nul_in_type": (other.encode(), "T1\tG\u0000PE 4 9\tRusya\n".encode()),
        "event_as_trigger": (other.encode(), b"T1\tGPE 4 9\tRusya\nE1\tMEETING:E1 participant:T1\n"),
    }
    for name, (txt, ann) in bad.items():
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for entry, data in (("a_good.txt", GOOD_TEXT.encode()), ("a_good.ann", b"T1\tGPE 0 5\tRusya\n"),
                                ("b_bad.txt", txt), ("b_bad.ann", ann)):
                archive.writestr(zipfile.ZipInfo(entry, date_time=(2026, 12, 6, 0, 0, 0)), data)
        (HERE / "annotations" / f"{name}.brat.zip").write_bytes(buffer.getvalue())


XMI = ("<?xml version='1.0' encoding='UTF-8'?>%s<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" "
       "xmlns:cas=\"http:///uima/cas.ecore\" xmlns:type=\"http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore\" "
       "xmi:version=\"2.0\"><cas:NULL xmi:id=\"0\"/>%s<cas:Sofa xmi:id=\"1\" sofaNum=\"1\" sofaID=\"_InitialView\" "
       "sofaString=\"%s\"/><cas:View sofa=\"1\" members=\"2\"/></xmi:XMI>")


def xmi():
    """XMI archives (INCEpTION's format): a good CAS (GOOD_TEXT, Rusya as GPE) and a hostile one."""
    entity = '<type:NamedEntity xmi:id="2" sofa="1" begin="%s" end="%s" value="GPE"/>'
    other = "Ek: " + GOOD_TEXT
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' \
             '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    bad = {
        "billion_laughs": XMI % (laughs, entity % (4, 9), "&c;" + other),
        "external_entity": XMI % ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', entity % (4, 9), "&e;"),
        "malformed": (XMI % ("", entity % (4, 9), other))[:-30],
        "offsets_outside": XMI % ("", entity % (4, 900), other),
        "dangling_reference": (XMI % ("", entity % (4, 9), other)).replace('members="2"', 'members="2 77"'),
    }
    for name, document in bad.items():
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for entry, data in (("a_good.xmi", XMI % ("", entity % (0, 5), GOOD_TEXT)), ("b_bad.xmi", document)):
                archive.writestr(zipfile.ZipInfo(entry, date_time=(2026, 12, 6, 0, 0, 0)), data.encode())
        (HERE / "annotations" / f"{name}.xmi.zip").write_bytes(buffer.getvalue())


if __name__ == "__main__":
    (HERE / "articles").mkdir(exist_ok=True)
    (HERE / "annotations").mkdir(exist_ok=True)
    articles()
    annotations()
    brat()
    xmi()
