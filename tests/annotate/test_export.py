"""Export: JSONL and CoNLL over the stored tokens, the report, splits, the API and the command."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.interop.export import WRITERS, ExportOptions, ExportParameterError, ExportReport
from annotate.interop.options import parse_split, split_of
from tests.factories import EXPORT_TEXT as TEXT
from tests.factories import export_text as run
from tests.factories import make_user


def rows(text):
    return [line.split(" ") for line in text.splitlines() if line and not line.startswith("-DOCSTART-")]


def test_conll_splits_suffixes_keeps_the_outermost_and_reports_misaligned(done):
    text, report = run(done["project"], format="conll")
    lines = text.splitlines()
    assert lines[0] == "-DOCSTART- -X- O O" and lines[1] == ""
    tagged = [(r[0], r[3]) for r in rows(text)]
    assert tagged[:2] == [("Rusya", "B-GPE"), ("'nın", "O")]
    assert ("Dışişleri", "B-TITLE") in tagged and ("Lavrov", "I-TITLE") in tagged  # nested PER left out
    assert ("Pekin", "B-GPE") in tagged and ("'de", "O") in tagged
    assert ("salı", "B-DATE") in tagged and ("günü", "I-DATE") in tagged  # expanded to the whole token
    assert all(len(r) == 4 for r in rows(text)) and all(r[0].strip() == r[0] and r[0] for r in rows(text))
    assert report.nested_left_out == 1
    assert [(m["text"], m["tokens"], m["action"]) for m in report.misaligned] == [("salı gü", "salı günü", "expanded")]


def test_conll_attach_bilou_drop_tsv_and_extra_columns(done):
    text, report = run(done["project"], format="conll", suffix="attach", scheme="bilou", misaligned="drop",
                       flavour="tsv", boilerplate="1")
    table = [line.split("\t") for line in text.splitlines() if line]
    assert table[0] == ["-DOCSTART-", "O", "O"] and all(len(r) == 3 for r in table)
    assert table[1] == ["Rusya'nın", "U-GPE", "O"]
    assert ["Pekin'de", "U-GPE", "O"] in table  # "Pekin" is exact against the stored tokens
    assert ["REKLAM", "O", "U-AD"] in table
    assert not any(r[1].endswith("DATE") for r in table)
    assert {m["action"] for m in report.misaligned} == {"dropped"}
    text, _ = run(done["project"], format="conll", exclude_boilerplate="1")
    assert "REKLAM" not in text and "Paylaş" in text


def test_sentences_end_with_a_blank_line(done):
    text, _ = run(done["project"], format="conll")
    blocks = [b for b in text.split("\n\n") if b.strip()]
    assert blocks[0] == "-DOCSTART- -X- O O" and len(blocks) == 4  # the sentence and the two lines below it


def test_split_is_deterministic_by_text_hash():
    split = parse_split("train:0.8,dev:0.1,test:0.1")
    names = [split_of(f"{i:064x}"[::-1], split) for i in range(2000)]
    assert set(names) == {"train", "dev", "test"} and split_of("ab" * 32, split) == split_of("ab" * 32, split)
    with pytest.raises(ExportParameterError, match=r"add up to 0\.9"):
        parse_split("train:0.8,dev:0.1")


@pytest.mark.parametrize("spec", ["a:NaN,b:NaN", "a:nan", "a:inf", "a:0.5,b:-inf", "a:Infinity"])
def test_shares_that_are_not_numbers_are_refused(spec):
    with pytest.raises(ExportParameterError, match=r"must be a number between 0 and 1|above 0"):
        parse_split(spec)


def test_filters_and_labels_subset(done):
    text, _ = run(done["project"], labels="PER,AD")
    (line,) = [json.loads(x) for x in text.splitlines()]
    assert [e["label"] for e in line["entities"]] == ["PER"] and [b["label"] for b in line["boilerplate"]] == ["AD"]
    assert run(done["project"], language="sq")[0] == ""  # an empty selection is an empty file
    assert run(done["project"], published_from="2030-01-01")[0] == ""


def test_api_streams_and_checks(client, done):
    client.force_login(done["manager"])
    response = client.get("/api/v1/projects/p/export", {"format": "conll"})
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content).decode().startswith("-DOCSTART- -X- O O\n\n")
    assert response["X-Export-Report"].startswith("/api/v1/projects/p/export/report?")
    report = client.get("/api/v1/projects/p/export/report", {"format": "conll"}).json()
    assert report["misaligned"] == 1 and report["misaligned_spans"][0]["text"] == "salı gü"
    # The summary in the headers, counted in the database before the first byte, is what the report counts
    # at the end; what alignment expands or drops is known only at the end: the report has it, not a header.
    names = {"records": "Records", "documents": "Documents", "entities": "Entities"}
    summary = {name: int(response[f"X-Export-{header}"]) for name, header in names.items()}
    assert summary == {name: report[name] for name in summary} and summary["entities"] > 0
    assert not response.has_header("X-Export-Misaligned") and not response.has_header("X-Export-Nested-Left-Out")
    subset = client.get("/api/v1/projects/p/export", {"format": "jsonl", "labels": "GPE", "language": "tr"})
    subset_report = client.get("/api/v1/projects/p/export/report", {"format": "jsonl", "labels": "GPE", "language": "tr"}).json()
    assert int(subset["X-Export-Entities"]) == subset_report["entities"] < report["entities"]
    empty = client.get("/api/v1/projects/p/export", {"language": "sq"})
    assert (empty["X-Export-Records"], empty["X-Export-Entities"]) == ("0", "0")


def test_a_very_large_export_leaves_the_entity_count_to_the_report(client, done, monkeypatch):
    from annotate.interop import export, records

    monkeypatch.setattr(records, "COUNT_ENTITIES_UP_TO", 0)
    monkeypatch.setattr(export, "DRY_RUN_UP_TO", 0)
    client.force_login(done["manager"])
    response = client.get("/api/v1/projects/p/export", {"format": "conll"})
    assert response["X-Export-Records"] == "1" and not response.has_header("X-Export-Entities")
    assert not response.has_header("X-Export-Misaligned") and response["X-Export-Report"]


def test_the_api_export_counts_in_the_database_and_never_runs_twice(client, done, monkeypatch):
    from annotate.api import interop
    from annotate.interop import export

    def never(**kwargs):
        raise AssertionError("the export was computed before it was streamed")

    # Both names: the API's module holds its own (imported before the patch, whichever test runs first).
    monkeypatch.setattr(export, "export_dry_run", never)
    monkeypatch.setattr(interop, "export_dry_run", never)
    client.force_login(done["manager"])
    response = client.get("/api/v1/projects/p/export", {"format": "conll"})
    b"".join(response.streaming_content)
    monkeypatch.undo()  # the report is the one place that writes the export to nowhere
    report = client.get("/api/v1/projects/p/export/report", {"format": "conll"}).json()
    assert int(response["X-Export-Entities"]) == report["entities"] and not response.has_header("X-Export-Misaligned")
    bad = client.get("/api/v1/projects/p/export", {"format": "xml"})
    assert bad.status_code == 400 and bad.json()["detail"] == "format='xml' is not one of: jsonl, conll, doccano, labelstudio, spacy, brat, xmi"
    assert client.get("/api/v1/projects/p/export", {"source": "curated"}).json()["detail"] == (
        "source='curated' is not one of: annotators, gold, majority")
    client.force_login(done["user"])
    assert client.get("/api/v1/projects/p/export").status_code == 403  # an annotator may not export
    client.force_login(make_user("stranger"))
    assert client.get("/api/v1/projects/p/export").status_code == 404  # a project they cannot see


def test_an_unknown_parameter_is_refused_with_the_nearest_known_one(client, done):
    """A script's slip (sets=gold for source=gold, formt for format) answers 400 before anything is read,
    rather than an export of something else than was asked (all annotators' sets, in JSONL)."""
    client.force_login(done["manager"])
    for path in ("/api/v1/projects/p/export", "/api/v1/projects/p/export/report"):
        bad = client.get(path, {"formt": "conll", "sets": "gold"})
        assert bad.status_code == 400, path
        detail = bad.json()["detail"]
        assert detail.startswith("Unknown parameter: formt (did you mean format?), sets. This request takes: format, "
                                 "source, collection,"), detail
    assert client.post("/api/v1/projects/p/export/file?formt=conll").status_code == 400
    assert client.get("/api/v1/projects/p/export", {"format": "conll", "source": "annotators"}).status_code == 200


def test_export_command(done, tmp_path, capsys):
    out, report = tmp_path / "p.conll", tmp_path / "r.json"
    call_command("export", "p", "--format", "conll", "-o", str(out), "--report", str(report), "--suffix", "attach")
    assert out.read_text(encoding="utf-8").splitlines()[2].startswith("Rusya'nın -X- _ B-GPE")
    assert json.loads(report.read_text())["records"] == 1
    with pytest.raises(CommandError, match="scheme='bio' is not one of: iob2, bilou"):
        call_command("export", "p", "--format", "conll", "--scheme", "bio")


def test_every_jsonl_line_validates_against_the_published_schema(done):
    import jsonschema

    from tests.conftest import DATA

    schema = json.loads((DATA.parent.parent / "docs" / "export.schema.json").read_text(encoding="utf-8"))
    for params in ({}, {"offsets": "utf16", "split": "train:0.5,test:0.5"}):
        text, _ = run(done["project"], **params)
        for line in text.splitlines():
            jsonschema.validate(json.loads(line), schema)
    broken = json.loads(text.splitlines()[0])
    broken["entities"][0]["start"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_doccano_and_label_studio_shapes(done):
    text, _ = run(done["project"], format="doccano")
    (line,) = [json.loads(x) for x in text.splitlines()]
    assert set(line) >= {"text", "label"} and line["text"] == TEXT
    assert [TEXT[s:e] for s, e, _label in line["label"]][:2] == ["Rusya", "Dışişleri Bakanı Sergey Lavrov"]
    tasks = json.loads(run(done["project"], format="labelstudio")[0])
    (task,) = tasks
    values = [r["value"] for r in task["annotations"][0]["result"]]
    assert {"start", "end", "text", "labels"} <= set(values[0])
    assert all(TEXT[v["start"] : v["end"]] == v["text"] for v in values)  # no astral characters here
    assert json.loads(run(done["project"], format="labelstudio", language="sq")[0]) == []


def test_each_tool_gets_its_own_offset_unit_and_label_studio_no_completed_by(db):
    """doccano's editor counts UTF-16 code units, Label Studio's code points (../shared/external/interop/);
    offsets= gives the other unit. Label Studio refuses a name in completed_by: the annotator is in data."""
    from annotate.interop.formats.doccano import DoccanoWriter
    from annotate.interop.formats.labelstudio import LabelStudioWriter
    from annotate.interop.records import ExportRecord, SpanOut

    text = "🇹🇷 Türkiye 👍🏽 İzmir"
    start, end = text.index("İzmir"), len(text)
    record = ExportRecord(document={"id": 1, "external_id": "x", "text": text}, annotator="ayse",
                          entities=[SpanOut("s", start, end, "GPE", "İzmir")])

    def label_studio(**options):
        writer = LabelStudioWriter(ExportOptions(**options), ExportReport())
        return json.loads(writer.header() + writer.write(record) + writer.footer())[0]

    task = label_studio()
    value = task["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"]) == (start, end) and text[value["start"] : value["end"]] == "İzmir"
    assert "completed_by" not in task["annotations"][0] and task["data"]["annotator"] == "ayse"
    value16 = label_studio(offsets="utf16")["annotations"][0]["result"][0]["value"]
    assert value16["start"] == start + 4  # two flags' and one thumb's surrogate halves
    doccano = json.loads(DoccanoWriter(ExportOptions(), ExportReport()).write(record))["label"][0]
    assert text.encode("utf-16-le")[2 * doccano[0] : 2 * doccano[1]].decode("utf-16-le") == "İzmir"
    points = json.loads(DoccanoWriter(ExportOptions(offsets="codepoints"), ExportReport()).write(record))["label"][0]
    assert points[:2] == [start, end]


def test_the_label_studio_download_is_named_json(client, done):
    client.force_login(done["manager"])
    response = client.get(f"/api/v1/projects/{done['project'].slug}/export", {"format": "labelstudio"})
    assert response["Content-Disposition"] == 'attachment; filename="p-labelstudio.json"'


def test_spacy_convert_reads_our_conll_and_finds_every_entity(done, tmp_path):
    """A real consumer: spaCy's own `convert -c ner` on the conll2003 file."""
    import subprocess
    import sys

    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    text, _ = run(done["project"], format="conll", suffix="attach")
    path = tmp_path / "export.conll"
    path.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "spacy", "convert", str(path), str(tmp_path), "-c", "ner"],
                   check=True, capture_output=True)
    docs = list(DocBin().from_disk(tmp_path / "export.spacy").get_docs(Vocab()))
    found = [(ent.label_, ent.text) for doc in docs for ent in doc.ents]
    exported = sum(1 for line in text.splitlines() if line.split(" ")[-1].startswith("B-"))
    assert len(found) == exported == 4, found  # Rusya, the TITLE (Lavrov nested inside), Pekin, salı günü
    assert ("GPE", "Rusya'nın") in found and ("TITLE", "Dışişleri Bakanı Sergey Lavrov") in found


def test_the_openapi_schema_documents_every_export_parameter(client, done):
    from annotate.interop.export import PARAMETERS

    client.force_login(done["manager"])
    response = client.get("/api/v1/schema", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/projects/{slug}/export"]["get"]
    documented = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert set(documented) == {name for name, _values, _description in PARAMETERS}
    assert sorted(documented["format"]["schema"]["enum"]) == sorted(WRITERS)
    assert all(p.get("description") for p in documented.values())


def test_spacy_docbin_keeps_the_text_the_entities_events_and_boilerplate(done, tmp_path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    path = tmp_path / "p.spacy"
    call_command("export", "p", "--format", "spacy", "-o", str(path))
    (doc,) = list(DocBin().from_bytes(path.read_bytes()).get_docs(Vocab()))
    assert doc.text == TEXT
    assert [(e.label_, e.text) for e in doc.ents] == [
        ("GPE", "Rusya"), ("TITLE", "Dışişleri Bakanı Sergey Lavrov"), ("DATE", "salı günü"), ("GPE", "Pekin")]
    assert [(s.label_, s.text) for s in doc.spans["events"]] == [("MEETING", "görüştü")]
    assert [(s.label_, s.text) for s in doc.spans["boilerplate"]] == [("AD", "REKLAM")]


def test_our_docbin_bytes_are_spacys_message_compressed_faster(done):
    """docbin_bytes writes DocBin.to_bytes's message (only zlib's level differs)."""
    import zlib

    from annotate.interop.export import export_options, export_stream, get_writer
    from annotate.models import Project

    project = Project.objects.get(slug="p")
    writer = get_writer("spacy", export_options(project=project, params={"format": "spacy"}))
    ours = b"".join(export_stream(project=project, writer=writer))
    assert zlib.decompress(ours) == zlib.decompress(writer.docbin.to_bytes())


@pytest.mark.parametrize("misaligned", ["expand", "drop"])
def test_conll_and_docbin_align_and_report_the_same_spans(done, misaligned):
    """One alignment for every token format: the DocBin's entities are the CoNLL tags' entities, and both
    reports list the same misaligned spans with the same action."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    conll, conll_report = run(done["project"], format="conll", misaligned=misaligned)
    docbin, docbin_report = run(done["project"], format="spacy", misaligned=misaligned)
    (doc,) = list(DocBin().from_bytes(docbin).get_docs(Vocab()))
    assert docbin_report.misaligned == conll_report.misaligned and docbin_report.misaligned_count == 1
    assert docbin_report.nested_left_out == conll_report.nested_left_out == 1
    from seqeval.metrics.sequence_labeling import get_entities

    tokens = [r[0] for r in rows(conll)]
    from_conll = [(label, " ".join(tokens[s:e + 1])) for label, s, e in get_entities([r[3] for r in rows(conll)])]
    assert [(e.label_, e.text) for e in doc.ents] == from_conll
    assert ("DATE", "salı günü") in from_conll if misaligned == "expand" else "DATE" not in dict(from_conll)


def test_seqeval_reads_our_conll_strictly_and_finds_the_same_entities(done, db):
    """seqeval in strict IOB2 mode finds exactly the entities of its default mode: no broken sequences."""
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    for params in ({}, {"suffix": "attach"}, {"misaligned": "drop"}):
        text, _ = run(done["project"], format="conll", **params)
        tags = [[line.split(" ")[-1] for line in block.splitlines()]
                for block in text.split("\n\n") if block.strip() and not block.startswith("-DOCSTART-")]
        strict = {(i, e.tag, e.start, e.end - 1) for i, e in enumerate_entities(Entities(tags, IOB2).entities)}
        lenient = {(i, t, s, e) for i, seq in enumerate(tags) for t, s, e in get_entities(seq)}
        assert strict == lenient and len(lenient) >= 3


def enumerate_entities(per_sentence):
    for i, entities in enumerate(per_sentence):
        for entity in entities:
            yield i, entity


def test_a_collection_outside_the_project_is_refused_before_streaming(client, done):
    from tests.factories import make_collection

    make_collection("elsewhere")
    client.force_login(done["manager"])
    response = client.get("/api/v1/projects/p/export", {"collection": "elsewhere,nope"})
    assert response.status_code == 400
    assert response.json()["detail"] == ("collection 'elsewhere' is not one of project p's collections "
                                        "collection 'nope' is not one of project p's collections")
    assert run(done["project"], collection="wire")[0].count("\n") == 1


@pytest.mark.parametrize("name", ["events", "boilerplate", "exclude_boilerplate"])
def test_a_flag_with_a_value_that_is_not_yes_or_no_is_refused(client, done, name):
    client.force_login(done["manager"])
    response = client.get(f"/api/v1/projects/{done['project'].slug}/export", {"format": "conll", name: "maybe"})
    assert response.status_code == 400 and name in response.json()["detail"]
    assert client.get(f"/api/v1/projects/{done['project'].slug}/export", {"format": "conll", name: "1"}).status_code == 200


def test_the_openapi_schema_documents_the_upload_field_errors_and_a_list_of_projects(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/schema", headers={"Accept": "application/vnd.oai.openapi+json"})
    spec = json.loads(response.content)
    upload = spec["components"]["schemas"]["ImportParamsRequest"]["properties"]["files"]
    assert upload["type"] == "array" and upload["items"]["format"] == "binary"
    projects = spec["paths"]["/api/v1/projects/"]["get"]["responses"]
    assert projects["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert {"400", "401", "403", "404", "429"} <= set(spec["paths"]["/api/v1/projects/{slug}/assign"]["post"]["responses"])
    annotators = spec["components"]["schemas"]["AssignRequest"]["properties"]["annotators"]
    assert annotators["minItems"] == 1


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_a_record_is_one_line_for_every_line_splitter(db, fmt):
    """Raw U+2028, U+2029, U+0085 and \\x1c-\\x1e inside a string make str.splitlines() see more records;
    they are escaped, and the record decodes to the same text."""
    from annotate.interop.export import WRITERS
    from annotate.interop.records import ExportRecord, SpanOut

    text = "Bir\u2028iki\u2029üç\u0085dört\x1cbeş\x1dal\x1eti Ankara"
    record = ExportRecord(document={"id": 1, "external_id": "x", "text": text, "title": "", "language": "tr",
                                    "published_on": None, "collection": "c", "url": "", "meta": {}},
                          annotator="a", entities=[SpanOut("s", text.index("Ankara"), len(text), "GPE", "Ankara")])
    line = WRITERS[fmt](ExportOptions(format=fmt), ExportReport()).write(record)
    assert len(line.splitlines()) == 1 and "Ankara" in line and "üç" in line
    assert json.loads(line)["text"] == text


def test_escaping_line_breakers_costs_next_to_nothing_beside_encoding_the_record():
    """The cost of json_line pinned against json.dumps of the same 6 KB record (a ratio of two costs measured
    side by side, not a time): str.translate over every character made it 25 times json.dumps; one search in
    C makes it json.dumps and a few percent. A record with a breaker is escaped all the same."""
    import time

    from annotate.interop.formats.writing import json_line

    record = {"text": "Dışişleri Bakanı Hakan Fidan, Ankara'da görüştü. " * 120, "meta": {"source": "AA"}}
    assert json_line(record) == json.dumps(record, ensure_ascii=False) + "\n"
    assert json_line({"t": "a\u2028b"}) == '{"t": "a\\u2028b"}\n'

    def cost(function):
        best = float("inf")
        for _ in range(5):
            started = time.process_time()
            for _ in range(200):
                function(record)
            best = min(best, time.process_time() - started)
        return best

    assert cost(json_line) <= 2 * cost(lambda r: json.dumps(r, ensure_ascii=False))


def test_the_stream_goes_out_in_chunks_and_the_first_piece_at_once():
    from annotate.interop.export import in_chunks

    pieces = ["header\n"] + [f"record {n}\n" for n in range(10_000)]
    chunks = list(in_chunks(iter(pieces), size=1000))
    assert chunks[0] == "header\n"  # the first byte does not wait for a full chunk
    assert "".join(chunks) == "".join(pieces) and len(chunks) < 200
    assert all(len(c) >= 1000 for c in chunks[1:-1])
    assert list(in_chunks(iter([b"\x00", b"a", b"b", b"c"]), size=2)) == [b"\x00", b"ab", b"c"]  # bytes (DocBin)
    assert list(in_chunks(iter([]))) == []
