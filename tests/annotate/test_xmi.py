"""INCEpTION's UIMA CAS XMI in and out (#30), through dkpro-cassis: CAS files INCEpTION's own code wrote
(tests/data/inception/), UTF-16 offsets in the file and code points here, link features read as events'
arguments, and Haber → XMI → Haber identical."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.interop.formats import ReadOptions, get_reader
from annotate.models import Event, Span
from tests.factories import export_text, make_annotator, make_project

DATA = Path(__file__).resolve().parent.parent / "data" / "inception"
SLOTS = {"name": "slots", "description": "INCEpTION's slot test",
         "entities": [{"name": "SimpleSpan", "key": "s", "colour": "#1f77b4"}],
         "events": [{"name": "SimpleLinkHost", "key": "1", "colour": "#d62728",
                     "roles": [{"name": "p1", "labels": ["SimpleSpan"], "min": 0, "max": 1},
                               {"name": "p2", "labels": ["SimpleSpan"], "min": 0, "max": 1}]}],
         "boilerplate": []}


def records(data: bytes) -> list:
    return [r for _n, r in get_reader("xmi").read(io.BytesIO(data), ReadOptions())]


def zipped(**files: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def imported(tmp_path, slug: str, payload: bytes, *extra, annotator="reader"):
    path = tmp_path / f"{slug}.zip"
    path.write_bytes(payload)
    call_command("import_annotations", slug, str(path), "--format", "xmi", "--as", annotator, "--collection",
                 f"{slug}-docs", "--attach-collection", *extra)


def test_inceptions_utf16_offsets_arrive_as_code_points_and_an_entity_without_value_is_named():
    (problem,) = records((DATA / "testSentenceWithEmoji.xmi").read_bytes())
    assert problem == ("document.xmi: the NamedEntity at 10–11 ('😊') has no value: give it a label in "
                       "INCEpTION")


def test_inceptions_named_entities_come_in_stacked_as_they_are(db, tmp_path):
    project = make_project("inc", overlap=1)
    make_annotator(project, "reader")
    make_annotator(project, "other")
    imported(tmp_path, "inc", zipped(**{"a.xmi": (DATA / "testMultiTokenSpanWithFeatureValue.xmi").read_bytes()}),
             "--create-labels")
    imported(tmp_path, "inc", zipped(**{"b.xmi": (DATA / "testMultiTokenStackedSpanWithFeatureValue.xmi")
                                        .read_bytes()}), "--create-labels", annotator="other")
    stored = sorted((s.task.document.external_id, s.label.name, s.task.document.text[s.start:s.end])
                    for s in Span.objects.select_related("label", "task__document"))
    # b's text is a's: one document, a set from each file
    assert stored == [("a", "LOCATION", "This is a test ."), ("a", "PERSON", "This is a test ."),
                      ("a", "PERSON", "This is a test .")]


def test_a_link_feature_is_an_events_arguments(db, tmp_path):
    payload = zipped(**{"TypeSystem.xml": (DATA / "TypeSystem-slot.xml").read_bytes(),
                        "slot.xmi": (DATA / "testSimpleSlotFeature.xmi").read_bytes()})
    (record,) = records(payload)
    assert [(e["start"], e["end"], e["label"]) for e in record["entities"]] == [(5, 7, "SimpleSpan"),
                                                                               (8, 9, "SimpleSpan")]
    (event,) = record["events"]
    assert event["type"] == "SimpleLinkHost" and event["trigger"] == {"start": 0, "end": 4}
    assert [a["role"] for a in event["arguments"]] == ["p1", "p2"]
    project = make_project("slots", overlap=1, schema=SLOTS)
    make_annotator(project, "reader")
    imported(tmp_path, "slots", payload)
    (stored,) = Event.objects.all()
    text = stored.task.document.text
    assert text[stored.start:stored.end] == "This"
    assert sorted((a.role.name, text[a.span.start:a.span.end]) for a in stored.arguments.all()) == [
        ("p1", "is"), ("p2", "a")]


def test_an_xmi_without_the_type_system_of_its_annotations_is_refused_naming_them(db, tmp_path, capsys):
    project = make_project("bare", overlap=1, schema=SLOTS)
    make_annotator(project, "reader")
    with pytest.raises(CommandError):  # without its type system the links are lost, so is the event
        imported(tmp_path, "bare", zipped(**{"slot.xmi": (DATA / "testSimpleSlotFeature.xmi").read_bytes()}))
    assert ("types the type system does not declare, not read: webanno.custom.LinkType, "
            "webanno.custom.SimpleLinkHost, webanno.custom.SimpleSpan: import the .xmi files with the "
            "TypeSystem.xml INCEpTION exports beside them") in capsys.readouterr().err


def test_haber_to_xmi_and_back_is_identical_with_utf16_in_the_file(db, tmp_path):
    source = make_project("src", overlap=1)
    make_annotator(source, "ayse")
    text = "🇹🇷 Rusya'nın Dışişleri Bakanı Sergey Lavrov 👍🏽 Pekin'de Wang Yi ile görüştü.\nREKLAM"
    entities = [("Rusya", "GPE"), ("Dışişleri Bakanı Sergey Lavrov", "TITLE"), ("Sergey Lavrov", "PER"),
                ("Pekin", "GPE"), ("Wang Yi", "PER")]
    record = {"text": text, "entities": [{"id": f"e{i}", "start": text.index(w), "end": text.index(w) + len(w),
                                          "label": lab} for i, (w, lab) in enumerate(entities)],
              "boilerplate": [{"start": text.index("REKLAM"), "end": len(text), "label": "AD"}],
              "events": [{"type": "MEETING", "trigger": {"start": text.index("görüştü"),
                                                         "end": text.index("görüştü") + 7},
                          "arguments": [{"role": "participant", "entity_id": "e2"},
                                        {"role": "participant", "entity_id": "e4"},
                                        {"role": "place", "entity_id": "e3"}]}]}
    path = tmp_path / "src.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_annotations", "src", str(path), "--as", "ayse", "--collection", "src-docs",
                 "--attach-collection")
    payload, _report = export_text(source, format="xmi")
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".xmi")]
        xml = archive.read(name).decode()
        assert "TypeSystem.xml" in archive.namelist()
    begin = int(re.search(r'NamedEntity[^>]*begin="(\d+)"[^>]*value="PER"', xml).group(1))
    assert begin == len(text[: text.index("Sergey")].encode("utf-16-le")) // 2  # Java's unit in the file
    copy = make_project("copy", overlap=1)
    make_annotator(copy, "copier")
    imported(tmp_path, "copy", payload, annotator="copier")

    def marks(project):
        spans = sorted((s.label.name, s.start, s.end) for s in Span.objects.filter(task__project=project)
                       .select_related("label"))
        events = sorted((e.event_type.name, e.start, e.end, tuple(sorted((a.role.name, a.span.start)
                                                                         for a in e.arguments.all())))
                        for e in Event.objects.filter(task__project=project))
        return spans, events

    assert marks(copy) == marks(source) and len(marks(source)[0]) == 6 and len(marks(source)[1]) == 1
    again, _ = export_text(copy, format="xmi")
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".xmi")]
        assert re.findall(r'begin="\d+" end="\d+"', archive.read(name).decode()) == re.findall(
            r'begin="\d+" end="\d+"', xml)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", "İ", "ı", "ş", " ", "\n", "👍🏽", "🇹🇷", "O\u0308", "😀", "'", "Ω"]),
                min_size=1, max_size=40), st.data())
def test_the_quicker_offset_mapping_gives_cassis_own_offsets_both_ways(pieces, data):
    """xmi._cassis gives BMP-only texts no mapping (the identity); a CAS written and read back lands on the
    same code points, and the file holds UTF-16 offsets, with astral characters or without."""
    from annotate.interop.formats.xmi import NAMED_ENTITY, _cassis, type_system
    from corpus.offsets import Utf16Index

    cassis = _cassis()
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    ts = type_system()
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = text
    cas.add(ts.get_type(NAMED_ENTITY)(begin=start, end=end, value="PER"))
    xml = cas.to_xmi()
    index = Utf16Index(text)
    assert f'begin="{index.to_utf16(start)}" end="{index.to_utf16(end)}"' in xml
    (back,) = cassis.load_cas_from_xmi(xml, typesystem=ts).select(NAMED_ENTITY)
    assert (back.begin, back.end) == (start, end)


def _both_ways(xml: str, ts) -> tuple[dict, dict]:
    """One document read by xmi_fast and by cassis, as comparable records."""
    from annotate.interop.formats.xmi import NOT_ANNOTATIONS, _cassis, cas_record, parsed_record
    from annotate.interop.formats.xmi_fast import TypeInfo, fast_parse

    options = ReadOptions(boilerplate_names=frozenset({"AD"}))
    text, spans, links, _missing = fast_parse(xml, TypeInfo(ts), NOT_ANNOTATIONS)
    fast = parsed_record("d", text, [s[:6] for s in spans], links, options)
    slow = cas_record("d", _cassis().load_cas_from_xmi(xml, typesystem=ts, lenient=True), options)

    def comparable(record):
        return {key: sorted(map(repr, value)) if isinstance(value, list) else value for key, value in record.items()
                if key != "_places"}

    return comparable(fast), comparable(slow)


@pytest.mark.parametrize("name", ["testMultiTokenSpanWithFeatureValue", "testMultiTokenStackedSpanWithFeatureValue",
                                  "testSimpleSlotFeature"])
def test_the_quick_reading_of_inceptions_files_is_cassiss(name):
    from annotate.interop.formats.xmi import _cassis, type_system

    cassis = _cassis()
    ts = (cassis.load_typesystem((DATA / "TypeSystem-slot.xml").read_text()) if name == "testSimpleSlotFeature"
          else type_system())
    fast, slow = _both_ways((DATA / f"{name}.xmi").read_text(), ts)
    assert fast == slow and (fast["entities"] or fast["events"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Ankara", " ", "\n", "👍🏽", "🇹🇷", "İzmir", "O\u0308mer", "😀", "'da"]),
                min_size=1, max_size=25), st.data())
def test_the_quick_reading_of_our_files_is_cassiss(pieces, data):
    """Entities, boilerplate and events with arguments, on texts with and without astral characters: the
    record read from the XML is the record cassis's CAS gives."""
    from annotate.interop.formats.xmi import BOILERPLATE, EVENT, LINK, NAMED_ENTITY, _cassis, type_system

    text = "".join(pieces)
    ts = type_system()
    cas = _cassis().Cas(typesystem=ts)
    cas.sofa_string = text
    edges = list(range(len(text) + 1))  # any code point offset: the two readings must agree on each
    made = []
    for _ in range(data.draw(st.integers(1, 5))):
        a = data.draw(st.sampled_from(edges))
        b = data.draw(st.sampled_from([e for e in edges if e >= a]))
        made.append(ts.get_type(NAMED_ENTITY)(begin=a, end=b, value=data.draw(st.sampled_from(["PER", "GPE", "AD"]))))
        cas.add(made[-1])
    cas.add(ts.get_type(BOILERPLATE)(begin=0, end=len(text), value="SHARE"))
    links = [ts.get_type(LINK)(role="participant", target=target) for target in made[:2]]
    cas.add(ts.get_type(EVENT)(begin=0, end=min(len(text), 3), value="MEETING",
                               arguments=ts.get_type("uima.cas.FSArray")(elements=links)))
    fast, slow = _both_ways(cas.to_xmi(), ts)
    assert fast == slow
