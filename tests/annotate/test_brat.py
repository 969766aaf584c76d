"""brat standoff in and out (#30), on the files brat's authors made with brat (tests/data/brat/, from brat's
news tutorial): entities, n-ary events with repeated roles, notes kept in the history, what has no place in
Haber said so, events as arguments and discontinuous spans refused; our export opened by the same reader."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.interop.formats.brat import conf_event_types
from annotate.models import Event, EventArgument, Span, TaskTransition
from tests.factories import export_text, make_annotator, make_project

DATA = Path(__file__).resolve().parent.parent / "data" / "brat"
NEWS = {  # the news tutorial's annotation.conf, as a Haber schema
    "name": "brat-news", "description": "brat's news tutorial",
    "entities": [{"name": n, "key": k, "colour": "#1f77b4"} for n, k in
                 (("Person", "p"), ("Organization", "o"), ("GPE", "g"), ("Money", "m"))],
    "events": [
        {"name": "Merge-org", "key": "1", "colour": "#d62728",
         "roles": [{"name": "Org-Arg", "labels": ["Organization"], "min": 1, "max": None}]},
        {"name": "Report", "key": "2", "colour": "#9467bd",
         "roles": [{"name": "Reporter-Arg", "labels": ["Person", "Organization", "GPE"], "min": 0, "max": 1}]},
    ],
    "boilerplate": [{"name": "AD", "key": "a", "colour": "#7a7a7a"}],
}


@pytest.fixture
def project(db):
    project = make_project("brat", overlap=1, schema=NEWS)
    make_annotator(project, "reader")
    return project


def archive(*names: str, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            for suffix in (".txt", ".ann"):
                z.writestr(f"news/{name}{suffix}", (DATA / f"{name}{suffix}").read_bytes())
        z.writestr("news/annotation.conf", (DATA / "annotation.conf").read_bytes())
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def imported(tmp_path, payload: bytes, slug="brat", annotator="reader"):
    path = tmp_path / "brat.zip"
    path.write_bytes(payload)
    call_command("import_annotations", slug, str(path), "--format", "brat", "--as", annotator, "--collection",
                 f"{slug}-docs", "--attach-collection")


def t_lines(name: str) -> dict[str, tuple[str, int, int, str]]:
    lines = {}
    for line in (DATA / f"{name}.ann").read_text().splitlines():
        if line.startswith("T"):
            ident, middle, text = line.split("\t")
            kind, start, end = middle.split()
            lines[ident] = (kind, int(start), int(end), text)
    return lines


def test_brats_own_event_file_comes_in_with_every_span_event_and_repeated_role(project, tmp_path, capsys):
    imported(tmp_path, archive("080-event-annotation"))
    expected = t_lines("080-event-annotation")
    entities = sorted((k, s, e) for k, s, e, _t in expected.values() if k != "Merge-org")
    stored = sorted((s.label.name, s.start, s.end) for s in Span.objects.select_related("label"))
    assert stored == entities
    text = Span.objects.first().task.document.text
    assert all(text[s:e] == t for _k, s, e, t in expected.values())
    events = {(e.start, e.end): sorted(text[a.span.start:a.span.end] for a in e.arguments.select_related("span"))
              for e in Event.objects.all()}
    assert events == {(303, 309): ["Google", "YouTube"], (265, 271): ["YouTube"],
                      (382, 388): ["Amazon", "Apple", "Facebook", "Google"],
                      (1467, 1474): ["Facebook", "Google", "WikiNews"]}
    assert set(EventArgument.objects.values_list("role__name", flat=True)) == {"Org-Arg"}
    assert "offsets read as code points (the tool's own unit)" in capsys.readouterr().out


def test_notes_go_into_the_history_and_relations_are_said_not_read(project, tmp_path, capsys):
    imported(tmp_path, archive("110-note_annotation", "060-relation_annotation"))
    history = " ".join(TaskTransition.objects.values_list("comment", flat=True))
    assert "T1 «Discworld»: Should fictional places be annotated?" in history
    assert "E1: Annotate as one merge event with three participants" in history
    out = capsys.readouterr().out
    assert "news/060-relation_annotation.ann: 1 equivalence, 1 relation not read (Haber has no place for them)" in out
    assert "news/110-note_annotation.ann: 2 relations not read" in out


def test_an_event_as_an_argument_is_refused_with_its_line(project, tmp_path, capsys):
    with pytest.raises(CommandError):
        imported(tmp_path, archive("090-event_structures"))
    assert ("news/090-event_structures.ann, line 7: E2's argument Event-Arg:E1 is an event; a Haber event's "
            "arguments are entities") in capsys.readouterr().err
    assert not Span.objects.exists()


def test_a_span_brat_split_at_line_breaks_is_one_span_and_a_real_gap_is_refused(project, tmp_path, capsys):
    text = "Haberler\nGoogle ile YouTube\nbirleşti."
    joined = "T1\tAD 0 8;9 15\tHaberler Google\n"
    imported(tmp_path, archive(extra={"x/a.txt": text, "x/a.ann": joined}))
    (span,) = Span.objects.all()
    assert span.task.document.text[span.start:span.end] == "Haberler\nGoogle" and span.label.layer == "boilerplate"
    gap = "T1\tOrganization 9 15;20 27\tGoogle YouTube\n"
    with pytest.raises(CommandError):
        imported(tmp_path, archive(extra={"y/b.txt": text + " 2", "y/b.ann": gap}))
    assert "y/b.ann, line 1: a discontinuous span (2 fragments with text between them)" in capsys.readouterr().err


@pytest.mark.parametrize(("files", "message"), [
    ({"a.txt": "Ankara"}, "a: .ann is missing from the archive"),
    ({"a.txt": "Ankara", "a.ann": "T1\tGPE 0 6\tAnkara\nbanana\n"}, "a.ann, line 2: not a brat annotation line"),
    ({"a.txt": "Ankara", "a.ann": "T1\tGPE 0 600\tAnkara\n"}, "offsets 0–600 are outside the text"),
    ({"a.txt": "Ankara", "a.ann": "T1\tGPE 0 6\tTiran\n"}, "the text at 0–6 is 'Ankara', not 'Tiran'"),
    ({"a.txt": b"Ankara\xff", "a.ann": "T1\tGPE 0 6\tAnkara\n"}, "a.txt: not valid UTF-8 (byte 0xff at 6)"),
    ({"a.txt": "Ankara", "a.ann": "E1\tMerge-org:T9 Org-Arg:T1\n"}, "E1's trigger T9 is not a T line"),
    ({"a.txt": "Ankara", "a.ann": "T1\tPlanet 0 6\tAnkara\n"}, "unknown entity label 'Planet'"),
])
def test_a_hostile_or_broken_pair_is_a_problem_naming_the_file(project, tmp_path, capsys, files, message):
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    with pytest.raises(CommandError):
        imported(tmp_path, payload.getvalue())
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("name", ["traversal.zip", "absolute.zip", "binary.png"])
def test_a_hostile_archive_is_refused_whole(project, tmp_path, capsys, name):
    data = (DATA.parent / name).read_bytes()
    with pytest.raises(CommandError):
        imported(tmp_path, data)
    assert "not a brat archive" in capsys.readouterr().err


def test_our_export_is_a_brat_archive_that_comes_back_the_same(project, tmp_path):
    imported(tmp_path, archive("080-event-annotation", "110-note_annotation"))
    payload, report = export_text(project, format="brat")
    assert report.records == 2
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        names = sorted(z.namelist())
        conf = z.read("annotation.conf").decode()
    assert "annotation.conf" in names and sum(n.endswith(".ann") for n in names) == 2
    assert conf_event_types(conf) == {"Merge-org", "Report"}
    assert "Merge-org\tOrg-Arg+:Organization" in conf and "AD" in conf.split("[relations]")[0]
    other = make_project("copy", overlap=1, schema=NEWS)
    make_annotator(other, "copier")
    imported(tmp_path, payload, "copy", "copier")

    def marks(project):
        spans = sorted((s.label.name, s.start, s.end) for s in Span.objects.filter(task__project=project)
                       .select_related("label"))
        events = sorted((e.event_type.name, e.start, e.end, tuple(sorted((a.role.name, a.span.start) for a in
                                                                         e.arguments.all())))
                        for e in Event.objects.filter(task__project=project))
        return spans, events

    assert marks(other) == marks(project)


def test_the_command_reads_a_directory_of_pairs(project, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for suffix in (".txt", ".ann"):
        (folder / f"080-event-annotation{suffix}").write_bytes((DATA / f"080-event-annotation{suffix}").read_bytes())
    call_command("import_annotations", "brat", str(folder), "--format", "brat", "--as", "reader", "--collection",
                 "dir-docs", "--attach-collection")
    assert Event.objects.count() == 4
