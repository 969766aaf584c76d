"""Every hostile file under tests/data/hostile/ through every import path: each is a report (file, line,
reason) and a 400, never a 500; nothing is written; skip_invalid imports the file's good record.

Articles: the import_articles command, the upload page and the collection import API. Annotations: the
import_annotations command, the annotation import API and the project's Import page; an annotator map
(the command's file, the API's field, the page's box) is hostile JSON too."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotate.models import Role, Span, Task
from corpus.models import Collection, Document
from tests.factories import import_texts, make_collection, make_project, make_user
from tests.jobs_helpers import job_finished, last_job_run

HOSTILE = Path(__file__).parent / "data" / "hostile"
ARTICLES = sorted((HOSTILE / "articles").iterdir())
ANNOTATIONS = sorted((HOSTILE / "annotations").iterdir())
GOOD_TEXT = "Rusya'nın Dışişleri Bakanı Sergey Lavrov salı günü Pekin'de görüştü."


def _upload(path: Path):
    upload = io.BytesIO(path.read_bytes())
    upload.name = path.name
    return upload


def _where(path: Path) -> tuple[str, str]:
    """(the file name the report names, the place in it)."""
    if path.suffix == ".zip":
        return f"{path.name}:b_bad.jsonl", ""
    return path.name, "line 2"


# Articles ----------------------------------------------------------------------------------------------


def _article_command(path, skip, capsys):
    args = [str(path), "--collection", "hostile", "--workers", "1", "--verbosity", "0"]
    if skip:
        call_command("import_articles", *args, "--skip-invalid")
        return 200, capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_articles", *args)
    return 400, capsys.readouterr().err


def _article_page(path, skip, client, collection):
    fields = {"collection": collection.pk, "format": "auto", "files": _upload(path)}
    if skip:
        fields["skip_invalid"] = "on"
    response = client.post("/corpus/import/", fields)  # the job's page follows, with the report once it ran
    assert response.status_code == 302, response.content
    job = last_job_run()
    return (200 if job.result["committed"] else 400), client.get(response["Location"]).content.decode()


def _article_api(path, skip, client):
    response = client.post("/api/v1/collections/hostile/import",
                           {"files": _upload(path), "skip_invalid": "true" if skip else "false"})
    body = job_finished(client, response)["result"]
    return (200 if body["committed"] else 400), json.dumps(body["rejected"], ensure_ascii=False)


@pytest.mark.parametrize("skip", [False, True], ids=["all-or-nothing", "skip-invalid"])
@pytest.mark.parametrize("route", ["command", "page", "api"])
@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_a_hostile_article_file_is_reported_on_every_path(client, capsys, staff, path, route, skip):
    collection = make_collection("hostile")
    client.force_login(staff)
    if route == "command":
        status, report = _article_command(path, skip, capsys)
    elif route == "page":
        status, report = _article_page(path, skip, client, collection)
    else:
        status, report = _article_api(path, skip, client)
    name, place = _where(path)
    if route == "page":  # the page's table: file, line, reason
        name, place = f"<td>{name}</td>", f"<td>{place.removeprefix('line ')}</td>"
    elif route == "api" and place:  # the JSON report: {"file", "line", "reason"}
        place = f'"line": {place.removeprefix("line ")}'
    assert status == (200 if skip else 400), report[:2000]
    assert name in report and place in report, report[:2000]
    assert Document.objects.filter(collection=collection).count() == (1 if skip else 0)
    if skip:
        assert Document.objects.get(collection=collection).external_id in ("good", "a_good.jsonl", "")


# Annotations -------------------------------------------------------------------------------------------


def _format(path: Path) -> str:
    for fmt in ("doccano", "labelstudio", "spacy", "brat", "xmi"):
        if f".{fmt}." in path.name:
            return fmt
    return "conll" if path.suffix == ".conll" else "jsonl"


@pytest.fixture
def project(db):
    collection = make_collection("wire")
    import_texts(collection, GOOD_TEXT, language="tr")
    annotator = make_user("ann")
    return make_project("p", collections=[collection], overlap=1, members=[(annotator, Role.ANNOTATOR)])


def _annotation_command(path, skip, capsys):
    fmt = _format(path)
    conll = ["--collection", "from-conll", "--attach-collection"] if fmt == "conll" else []
    args = ["p", str(path), "--format", fmt, "--as", "ann", *conll]
    if skip:
        call_command("import_annotations", *args, "--skip-invalid")
        return 200, capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_annotations", *args)
    return 400, capsys.readouterr().err


def _annotation_api(path, skip, client):
    fmt = _format(path)
    fields = {"file": _upload(path), "format": fmt, "annotator": "ann", "skip_invalid": "true" if skip else "false"}
    if fmt == "conll":
        fields.update(collection="from-conll", attach_collection="true")
    response = client.post("/api/v1/projects/p/annotations/import", fields)
    body = job_finished(client, response)["result"]
    return (200 if body["committed"] else 400), json.dumps(body, ensure_ascii=False)


def _annotation_page(path, skip, client):
    fmt = _format(path)
    fields = {"file": _upload(path), "format": fmt, "annotator": "ann", "language": "tr", "sentences_per_document": 1}
    if skip:
        fields["skip_invalid"] = "on"
    if fmt == "conll":
        fields.update(collection="from-conll", attach_collection="on")
    response = client.post("/annotate/p/p/import", fields)  # the job's page follows, with the report once it ran
    assert response.status_code == 302, response.content[:2000]
    job = last_job_run()
    return (200 if job.result["committed"] else 400), client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("skip", [False, True], ids=["all-or-nothing", "skip-invalid"])
@pytest.mark.parametrize("route", ["command", "api", "page"])
@pytest.mark.parametrize("path", ANNOTATIONS, ids=[p.name for p in ANNOTATIONS])
def test_a_hostile_annotation_file_is_reported_on_every_path(client, capsys, project, path, route, skip):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    if route == "command":
        status, report = _annotation_command(path, skip, capsys)
    elif route == "page":
        status, report = _annotation_page(path, skip, client)
    else:
        status, report = _annotation_api(path, skip, client)
    assert status == (200 if skip else 400), report[:2000]
    place = {"labelstudio": "task 2", "conll": "line 4", "brat": "b_bad", "xmi": "b_bad"}.get(_format(path), "line 2")
    assert path.name in report and place in report, report[:2000]
    assert Task.objects.filter(project=project).count() == (1 if skip else 0)
    assert Span.objects.count() == (1 if skip else 0)
    if not skip:  # nothing left behind, not even the collection the import named
        assert not Collection.objects.filter(slug="from-conll").exists()


# JSON bodies -------------------------------------------------------------------------------------------

DEEP = '{"action": "span.create", "x": ' + "[" * 5000 + "]" * 5000 + "}"


@pytest.mark.parametrize("body", [DEEP, '{"op": NaN}', '{"a": "\\u0000"}', '{"a": "\\ud800"}', '[1, 2]', "\xff"],
                         ids=["deep", "nan", "nul", "lone-surrogate", "list", "not-utf8"])
def test_a_hostile_change_body_is_a_400_with_a_message(client, project, body):
    task_user = make_user("ayse")
    client.force_login(task_user)
    data = body.encode("latin-1") if body == "\xff" else body.encode()
    response = client.post("/annotate/t/1/change", data, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


@pytest.mark.parametrize("body", [DEEP.replace("action", "annotators"), '{"annotators": NaN}', '{"annotators": ["\\u0000"]}'],
                         ids=["deep", "nan", "nul"])
def test_a_hostile_assignment_body_is_a_400_with_a_message(client, project, body):
    client.force_login(make_user("root", is_superuser=True))
    response = client.post("/api/v1/projects/p/assign", body.encode(), content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json(), response.content[:300]


HOSTILE_MAPS = {"deep": "[" * 100_000, "nan": '{"17": NaN}', "nul": '{"17": "ay\\u0000se"}',
                "lone-surrogate": '{"17": "\\ud800"}', "list": '["ann"]', "not-a-username": '{"17": 5}',
                "malformed": '{"17": '}


@pytest.mark.parametrize("route", ["command", "api", "page"])
@pytest.mark.parametrize("name", list(HOSTILE_MAPS))
def test_a_hostile_annotator_map_is_a_message_on_every_path(client, project, tmp_path, capsys, route, name):
    """Parsed as hostile JSON (corpus.jsonsafe) where it comes in: a deep one was a RecursionError, a 500."""
    from annotate.models import Membership

    manager = make_user("mgr")
    Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    client.force_login(manager)
    tasks = json.dumps([{"id": 1, "data": {"text": GOOD_TEXT}, "annotations": []}])
    text = HOSTILE_MAPS[name]
    if route == "command":
        (tmp_path / "tasks.json").write_text(tasks)
        (tmp_path / "map.json").write_text(text)
        with pytest.raises(CommandError) as refused:
            call_command("import_annotations", "p", str(tmp_path / "tasks.json"), "--format", "labelstudio",
                         "--annotator-map", str(tmp_path / "map.json"), "--verbosity", "0")
        status, message = 400, str(refused.value)
    else:
        upload = io.BytesIO(tasks.encode())
        upload.name = "tasks.json"
        url = "/api/v1/projects/p/annotations/import" if route == "api" else "/annotate/p/p/import"
        response = client.post(url, {"file": upload, "format": "labelstudio", "annotator_map": text,
                                     "language": "tr", "sentences_per_document": 1})
        status, message = response.status_code, response.content.decode()
    assert status == 400, message[:2000]
    assert "annotator map" in message, message[:2000]
    assert not Task.objects.exists()
