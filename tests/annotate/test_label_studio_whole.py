"""A Label Studio task list read whole (#30): every annotation a set of its author's, predictions a model's
sets, the text field found or named, nothing dropped without a word; problems named as the file has them."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.models import Span, Task
from tests.factories import make_annotator, make_project, make_user
from tests.jobs_helpers import job_finished

TEXT = "Dışişleri Bakanı Hakan Fidan Ankara'da Edi Rama ile görüştü."


def result(word: str, label: str, text: str = TEXT) -> dict:
    start = text.index(word)
    return {"type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": start + len(word), "text": word, "labels": [label]}}


def annotation(author, *results, **extra) -> dict:
    return {"completed_by": author, "result": list(results), **extra}


@pytest.fixture
def project(db):
    project = make_project("ls", overlap=2)
    for name in ("ayse", "mehmet", "reader"):
        user = make_annotator(project, name)
        user.email = f"{name}@example.org"
        user.save()
    return project


def imported(tmp_path, tasks, *args):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    call_command("import_annotations", "ls", str(path), "--format", "labelstudio", "--collection", "ls-docs",
                 "--attach-collection", *args)


def sets(project) -> dict[str, list[tuple[str, str]]]:
    found = {}
    for task in Task.objects.filter(project=project).select_related("annotator", "document"):
        spans = sorted((s.label.name, task.document.text[s.start:s.end]) for s in Span.objects.filter(task=task))
        found[task.annotator.username] = spans
    return found


def test_every_annotation_is_its_authors_set_and_predictions_are_the_models(project, tmp_path, capsys):
    tasks = [{
        "data": {"content": TEXT, "source": 17},  # a project whose text field is not `text`
        "annotations": [
            annotation({"id": 1, "email": "Ayse@example.org"}, result("Hakan Fidan", "PER")),
            annotation({"id": 2, "email": "mehmet@example.org"}, result("Edi Rama", "PER"), result("Ankara", "GPE")),
            annotation({"id": 3, "email": "ayse@example.org"}, was_cancelled=True),
        ],
        "predictions": [{"model_version": "spacy-ner:3", "score": 0.8, "result": [result("Ankara", "GPE")]}],
    }]
    imported(tmp_path, tasks, "--as", "reader")
    assert sets(project) == {
        "ayse": [("PER", "Hakan Fidan")],
        "mehmet": [("GPE", "Ankara"), ("PER", "Edi Rama")],
        "model:spacy-ner:3": [("GPE", "Ankara")],
    }
    out = capsys.readouterr().out
    assert "task 1, annotations[2]: cancelled (skipped) in Label Studio, not imported" in out
    assert "completed_by 1 <ayse@example.org> → ayse (by e-mail)" in out
    assert "model_version spacy-ner:3 → model spacy-ner:3" in out
    project.refresh_from_db()
    assert project.suggest_predictions


def test_a_task_with_only_predictions_is_no_persons_set_and_a_bare_version_names_a_model(project, tmp_path):
    imported(tmp_path, [{"data": {"text": TEXT}, "predictions": [{"model_version": "v7", "result": [
        result("Ankara", "GPE")]}]}], "--as", "reader")
    assert sets(project) == {"model:labelstudio:v7": [("GPE", "Ankara")]}


def test_a_task_with_neither_is_a_document_without_a_set(project, tmp_path):
    imported(tmp_path, [{"data": {"text": TEXT}}, {"data": {"text": TEXT + " Sonra."}, "annotations": [
        annotation(None, result("Ankara", "GPE"))]}], "--as", "reader")
    assert sets(project) == {"reader": [("GPE", "Ankara")]}
    assert project.collections.get(slug="ls-docs").documents.count() == 2


def test_two_authors_the_project_cannot_match_are_a_problem_not_one_persons_set(project, tmp_path, capsys):
    tasks = [{"data": {"text": TEXT}, "annotations": [annotation(1, result("Ankara", "GPE"))]},
             {"data": {"text": TEXT + " Sonra."}, "annotations": [annotation(2, result("Edi Rama", "PER"))]}]
    with pytest.raises(CommandError):
        imported(tmp_path, tasks, "--as", "reader")
    err = capsys.readouterr().err
    assert ("task 2, annotations[0]: completed_by 2 is not an annotator of the project (by e-mail), and "
            "completed_by 1 was filed as reader already") in err
    assert Task.objects.count() == 0

    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"1": "ayse", "2": "mehmet"}))
    imported(tmp_path, tasks, "--annotator-map", str(mapping))
    assert sets(project) == {"ayse": [("GPE", "Ankara")], "mehmet": [("PER", "Edi Rama")]}


def test_one_task_annotated_twice_as_one_user_is_a_problem_naming_both(project, tmp_path, capsys):
    tasks = [{"data": {"text": TEXT}, "annotations": [annotation(None, result("Ankara", "GPE")),
                                                      annotation(None, result("Edi Rama", "PER"))]}]
    with pytest.raises(CommandError):
        imported(tmp_path, tasks, "--as", "reader")
    assert ("task 1, annotations[1]: a second set of task 1 filed as reader (the first is annotations[0])"
            in capsys.readouterr().err)


def test_the_annotator_map_must_name_annotators_and_cover_every_author(project, tmp_path, capsys):
    tasks = [{"data": {"text": TEXT}, "annotations": [annotation(5, result("Ankara", "GPE"))]}]
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"5": "nobody"}))
    with pytest.raises(CommandError, match="sends 5 to 'nobody', who is not an annotator of project ls"):
        imported(tmp_path, tasks, "--annotator-map", str(mapping))
    mapping.write_text(json.dumps({"4": "ayse"}))
    with pytest.raises(CommandError):
        imported(tmp_path, tasks, "--annotator-map", str(mapping))
    assert "task 1, annotations[0]: completed_by 5 is not in the annotator map" in capsys.readouterr().err


def test_the_text_field_is_found_or_named_and_a_missing_one_lists_the_fields(project, tmp_path, capsys):
    """Here neither the results' to_name nor their text tells the field: the problem lists the fields."""
    bare = result("Ankara", "GPE")
    bare["to_name"] = "article"
    del bare["value"]["text"]  # nothing tells which field it labels
    tasks = [{"data": {"body": TEXT, "headline": "Görüşme"}, "annotations": [annotation(None, bare)]}]
    with pytest.raises(CommandError):
        imported(tmp_path, tasks, "--as", "reader")
    assert ("task 1: not a Label Studio task (which field of `data` is the text? Its fields: body, headline; "
            "name one with text_field (--text-field))") in capsys.readouterr().err
    with pytest.raises(CommandError):
        imported(tmp_path, tasks, "--as", "reader", "--text-field", "lead")
    assert "`data` has no field 'lead' (its fields: body, headline)" in capsys.readouterr().err
    imported(tmp_path, tasks, "--as", "reader", "--text-field", "body")
    assert sets(project) == {"reader": [("GPE", "Ankara")]}


def test_problems_name_the_task_the_annotation_and_the_result(project, tmp_path, capsys):
    bad = result("Ankara", "GPE")
    bad["value"]["text"] = "Tiran"
    tasks = [{"data": {"text": TEXT}, "annotations": [
        annotation(None, result("Hakan Fidan", "PER"), {"type": "choices", "value": {"choices": ["x"]}}, bad)]}]
    with pytest.raises(CommandError):
        imported(tmp_path, tasks, "--as", "reader")
    err = capsys.readouterr().err
    assert "task 1, annotations[0]: result[2]: the text at 29–35 is 'Ankara', not 'Tiran'" in err


def test_the_api_takes_the_annotator_map_and_the_text_field(project, client):
    manager = make_user("boss", is_staff=True)
    from annotate.models import Membership, Role

    Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    client.force_login(manager)
    tasks = [{"data": {"body": TEXT, "n": 1}, "annotations": [annotation(8, result("Ankara", "GPE"))]}]
    upload = io.BytesIO(json.dumps(tasks).encode())
    upload.name = "tasks.json"
    answer = client.post("/api/v1/projects/ls/annotations/import", {
        "file": upload, "format": "labelstudio", "collection": "api-docs", "attach_collection": "true",
        "annotator_map": json.dumps({"8": "mehmet"}), "text_field": "body"})
    job = job_finished(client, answer)
    assert job["result"]["committed"], job
    assert sets(project) == {"mehmet": [("GPE", "Ankara")]}
    upload.seek(0)
    refused = client.post("/api/v1/projects/ls/annotations/import", {
        "file": upload, "format": "labelstudio", "annotator_map": "[1, 2]"})
    assert refused.status_code == 400 and "authors to usernames" in refused.content.decode()


def test_a_span_whose_text_another_unit_reads_names_that_option(project, tmp_path, capsys):
    """Label Studio counts code points; a file written in UTF-16 (by a script) shifts each span after an
    emoji. Its problem names the text read, and the unit that reads the span's own text."""
    text = "👍🏽 " + TEXT
    start16 = len(text[: text.index("Ankara")].encode("utf-16-le")) // 2
    tasks = [{"data": {"text": text}, "annotations": [{"result": [{"type": "labels", "value": {
        "start": start16, "end": start16 + 6, "text": "Ankara", "labels": ["GPE"]}}]}]}]
    with pytest.raises(CommandError):
        imported(tmp_path, tasks, "--as", "reader")
    err = capsys.readouterr().err
    assert ("task 1, annotations[0]: result[0]: the text at 34–40 is \"kara'd\", not 'Ankara'; as UTF-16 code "
            "units it reads 'Ankara': use offsets=utf16") in err


INTEROP = __import__("pathlib").Path(__file__).resolve().parent.parent / "data" / "interop"


@pytest.mark.parametrize("name", ["labelstudio-1.23.2-two-annotators.json", "labelstudio-1.23.2-two-annotators-min.json"])
def test_the_files_label_studio_wrote_come_in_with_each_annotators_sets(project, tmp_path, capsys, name):
    """Label Studio's own JSON and JSON-MIN exports of a project labelling `$content` beside `source`, with
    two annotators on one task, a skipped annotation and a task with only a prediction (tests/data/interop/).
    The text field is found without being named; each author is mapped by the map."""
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"1": "ayse", "2": "mehmet"}))
    call_command("import_annotations", "ls", str(INTEROP / name), "--format", "labelstudio", "--annotator-map",
                 str(mapping), "--collection", "ls-docs", "--attach-collection")
    found = sorted((t.annotator.username, t.document.text[:9], sorted(
        (s.label.name, t.document.text[s.start:s.end]) for s in Span.objects.filter(task=t)))
        for t in Task.objects.filter(project=project).select_related("annotator", "document"))
    minimal = name.endswith("-min.json")
    expected = [("ayse", "Başbakan ", [("GPE", "İstanbul"), ("PER", "Edi Rama")]),
                ("ayse", "Dışişleri", [("PER", "Hakan Fidan")]),
                ("mehmet", "Dışişleri", [("GPE", "Ankara"), ("PER", "Edi Rama")])]
    assert found == expected
    out = capsys.readouterr().out
    assert "completed_by 1 → ayse" in out and "completed_by 2 → mehmet" in out
    assert project.collections.get(slug="ls-docs").documents.count() == 3  # task 2's text, without a set
    if not minimal:
        assert "task 3, annotations[0]: cancelled (skipped) in Label Studio, not imported" in out
        assert "task 2: its predictions are given by id only (1), as Label Studio's JSON export writes them" in out
