"""The permission matrix: every page and API endpoint of projects and tasks against anonymous, an
annotator of this project, an annotator of another project, a curator and a manager. A project someone has
no part in does not exist for them (404 on every project URL, annotate.permissions.project_for)."""

import pytest
from django.http import Http404
from django.utils import timezone

from annotate.models import Task, TaskKind
from annotate.permissions import task_for
from annotate.services import tasks_assign
from tests.factories import field_values
from tests.jobs_helpers import job_finished

USERS = ["anonymous", "annotator", "other_annotator", "curator", "manager"]
LOGIN = 302  # anonymous page requests are sent to the login page
API_ANON = 401  # token authentication answers with WWW-Authenticate
SCRIPT_ANON = 401  # a script's request (JSON, htmx) without a session: 401 JSON, never the login redirect

# name, method, url (formatted with slug and task), expected statuses in the order of USERS
MATRIX = [
    ("home", "get", "/", [LOGIN, 200, 200, 200, 200]),
    ("project list", "get", "/annotate/", [LOGIN, 200, 200, 200, 200]),
    ("project create page", "get", "/annotate/new", [LOGIN, 403, 403, 403, 403]),
    ("next task, any project", "get", "/annotate/next", [LOGIN, 302, 302, 302, 302]),
    ("dashboard", "get", "/annotate/p/{slug}/", [LOGIN, 403, 404, 200, 200]),
    ("next task", "get", "/annotate/p/{slug}/next", [LOGIN, 302, 404, 403, 403]),
    ("settings", "get", "/annotate/p/{slug}/settings", [LOGIN, 403, 404, 403, 200]),
    ("settings save", "post", "/annotate/p/{slug}/settings", [LOGIN, 403, 404, 403, 302]),  # saved: redirect
    ("members", "get", "/annotate/p/{slug}/members", [LOGIN, 403, 404, 403, 200]),
    ("members add", "post", "/annotate/p/{slug}/members", [LOGIN, 403, 404, 403, 200]),
    ("guidelines", "get", "/annotate/p/{slug}/guidelines", [LOGIN, 200, 404, 200, 200]),
    ("labels", "get", "/annotate/p/{slug}/schema", [LOGIN, 200, 404, 200, 200]),
    ("labels upload", "post", "/annotate/p/{slug}/schema", [LOGIN, 403, 404, 403, 400]),
    ("labels download", "get", "/annotate/p/{slug}/schema.json", [LOGIN, 200, 404, 200, 200]),
    ("assign page", "get", "/annotate/p/{slug}/assign", [LOGIN, 403, 404, 403, 200]),
    ("import page", "get", "/annotate/p/{slug}/import", [LOGIN, 403, 404, 403, 200]),
    ("import page post", "post", "/annotate/p/{slug}/import", [LOGIN, 403, 404, 403, 400]),
    ("assign run", "post", "/annotate/p/{slug}/assign", [LOGIN, 403, 404, 403, 200]),
    ("task list", "get", "/annotate/p/{slug}/tasks", [LOGIN, 200, 404, 200, 200]),  # an annotator: their own
    ("agreement page", "get", "/annotate/p/{slug}/agreement", [LOGIN, 403, 404, 200, 200]),
    ("curation queue", "get", "/annotate/p/{slug}/curation", [LOGIN, 403, 404, 200, 200]),
    ("agreement csv", "get", "/annotate/p/{slug}/agreement.csv", [LOGIN, 403, 404, 200, 200]),
    ("api agreement", "get", "/api/v1/projects/{slug}/agreement", [API_ANON, 403, 404, 200, 200]),
    # Curation: curators and managers only; an annotator never sees another's version, nor the gold set
    # (its change endpoint does not exist for them, and it has no task page of its own for anyone).
    ("curation page", "get", "/annotate/p/{slug}/curation/{doc}/", [LOGIN, 403, 404, 200, 200]),
    ("curation alignment htmx", "get", "/annotate/p/{slug}/curation/{doc}/", [SCRIPT_ANON, 403, 404, 200, 200]),
    ("curation finish", "post", "/annotate/p/{slug}/curation/{doc}/finish", [LOGIN, 403, 404, 302, 302]),
    ("curation of a foreign document", "get", "/annotate/p/{slug}/curation/{secret}/", [LOGIN, 403, 404, 404, 404]),
    ("gold change", "post", "/annotate/t/{gold}/change", [SCRIPT_ANON, 404, 404, 400, 400]),
    ("gold as a task page", "get", "/annotate/t/{gold}/", [LOGIN, 404, 404, 404, 404]),
    ("export page", "get", "/annotate/p/{slug}/export", [LOGIN, 403, 404, 200, 200]),
    ("export preview htmx", "get", "/annotate/p/{slug}/export?source=gold&format=conll", [SCRIPT_ANON, 403, 404, 200, 200]),
    ("api docs page", "get", "/api/v1/docs", [200, 200, 200, 200, 200]),
    # Tasks, one rule (annotate.permissions.task_denied): who may not read a task gets 404, never a 403
    # that would tell that the id exists; who may read but not change it gets 403 with the reason.
    ("task page", "get", "/annotate/t/{task}/", [LOGIN, 200, 404, 200, 200]),
    ("task page htmx", "get", "/annotate/t/{task}/", [SCRIPT_ANON, 200, 404, 200, 200]),
    ("missing task page", "get", "/annotate/t/987654/", [LOGIN, 404, 404, 404, 404]),
    ("task change", "post", "/annotate/t/{task}/change", [SCRIPT_ANON, 400, 404, 403, 403]),
    ("missing task change", "post", "/annotate/t/987654/change", [SCRIPT_ANON, 404, 404, 404, 404]),
    ("task note", "post", "/annotate/t/{task}/note", [LOGIN, 200, 404, 403, 403]),
    ("task submit", "post", "/annotate/t/{task}/submit", [LOGIN, 302, 404, 403, 403]),
    ("task skip", "post", "/annotate/t/{task}/skip", [LOGIN, 302, 404, 403, 403]),
    ("task reopen", "post", "/annotate/t/{done}/reopen", [LOGIN, 403, 404, 302, 302]),
    ("task unsubmit", "post", "/annotate/t/{done}/unsubmit", [LOGIN, 302, 404, 403, 403]),
    ("api projects", "get", "/api/v1/projects/", [API_ANON, 200, 200, 200, 200]),
    ("api schema", "get", "/api/v1/projects/{slug}/schema", [API_ANON, 200, 404, 200, 200]),
    ("api progress", "get", "/api/v1/projects/{slug}/progress", [API_ANON, 403, 404, 200, 200]),
    ("api next task", "get", "/api/v1/projects/{slug}/tasks/next", [API_ANON, 200, 404, 403, 403]),
    ("api assign", "post", "/api/v1/projects/{slug}/assign", [API_ANON, 403, 404, 403, 200]),
    # The API for automation (annotate/api/automation.py, corpus/api.py): the pages' rules.
    ("api project create", "post", "/api/v1/projects/", [API_ANON, 403, 403, 403, 403]),
    ("api members", "get", "/api/v1/projects/{slug}/members", [API_ANON, 403, 404, 200, 200]),
    ("api members add", "post", "/api/v1/projects/{slug}/members", [API_ANON, 403, 404, 403, 201]),
    ("api members remove", "delete", "/api/v1/projects/{slug}/members", [API_ANON, 403, 404, 403, 200]),
    ("api tasks", "get", "/api/v1/projects/{slug}/tasks", [API_ANON, 200, 404, 200, 200]),
    ("api collections", "get", "/api/v1/collections/", [API_ANON, 403, 403, 403, 403]),
    ("api collection create", "post", "/api/v1/collections/", [API_ANON, 403, 403, 403, 403]),
    # Collections: only those the user may read can be attached, assigned from or exported (the team's
    # manager has no corpus rights; "secret" is attached to no project of theirs).
    ("settings attach unreadable", "post", "/annotate/p/{slug}/settings", [LOGIN, 403, 404, 403, 200]),  # refused
    ("api assign unreadable", "post", "/api/v1/projects/{slug}/assign", [API_ANON, 403, 404, 403, 400]),
    ("api export unreadable", "get", "/api/v1/projects/{slug}/export?collection=secret", [API_ANON, 403, 404, 400, 400]),
    # Annotation imports: managers only; never under another user's name; creating documents needs the
    # corpus import right; labels keep the schema's name rules.
    ("api import sets", "post", "/api/v1/projects/{slug}/annotations/import", [API_ANON, 403, 404, 403, 202]),
    ("api import as superuser", "post", "/api/v1/projects/{slug}/annotations/import", [API_ANON, 403, 404, 403, 400]),
    ("api import new documents", "post", "/api/v1/projects/{slug}/annotations/import", [API_ANON, 403, 404, 403, 403]),
    # (a bad label is found by the job, which writes nothing: tests/annotate/test_annotation_import.py)
    ("api import bad label", "post", "/api/v1/projects/{slug}/annotations/import", [API_ANON, 403, 404, 403, 202]),
    ("api missing project", "get", "/api/v1/projects/nope/schema", [API_ANON, 404, 404, 404, 404]),
    ("missing project page", "get", "/annotate/p/nope/", [LOGIN, 404, 404, 404, 404]),
]

PAYLOADS = {
    "settings save": {"name": "Renamed", "overlap": "2", "collections": [], "curation_agreement": "majority"},
    "members add": {"action": "add", "username": "annotator_b", "role": "curator"},
    "assign run": {"action": "assign", "annotators": [], "overlap": ""},
    "task skip": {"reason": "not about diplomacy"},
    "task note": {"flag": "unsure", "comment": "?"},
    "task change": {"action": "span.create"},
    "gold change": {"action": "span.create"},
    "missing task change": {"action": "span.create"},
    "task reopen": {"comment": "Please mark the dateline too."},
    "api assign": {"annotators": ["annotator", "annotator_b"]},
    "api project create": {"slug": "made-by-api"},
    "api members add": {"username": "annotator_b", "role": "curator"},
    "api members remove": {"username": "annotator_b", "role": "annotator"},
    "api collection create": {"slug": "made-by-api"},
    "api assign unreadable": {"annotators": ["annotator", "annotator_b"], "collections": ["secret"]},
    "api import sets": {"annotator": "annotator_b"},
    "api import as superuser": {"annotator": "root"},
    "api import new documents": {"annotator": "annotator_b", "collection": "fresh", "new_text": True},
    "api import bad label": {"annotator": "annotator_b", "create_labels": "true", "label": "<img src=x onerror=alert(1)>"},
}


def _import_file(payload, document):
    """An annotation file of one set: the document's own text, or a new one."""
    import io
    import json

    text = "A text that is in no collection yet: Ankara." if payload.get("new_text") else document.text
    label = payload.get("label", "GPE")
    line = {"text": text, "entities": [{"start": 0, "end": 1, "label": label}]}
    upload = io.BytesIO(json.dumps(line).encode())
    upload.name = "sets.jsonl"
    fields = {k: v for k, v in payload.items() if k not in ("new_text", "label")}
    return {"file": upload, **fields}


@pytest.fixture
def setup(team, django_user_model):
    from tests.factories import make_collection, make_documents

    make_documents(make_collection("secret", "Secret"), 1, prefix="Gizli")
    django_user_model.objects.create_superuser("root", password="x")
    project = team["project"]
    tasks_assign(project=project, annotators=[team["annotator"], team["annotator_b"]])
    tasks = list(Task.objects.filter(project=project, annotator=team["annotator"]).order_by("id"))
    from annotate.services import task_submit

    task_submit(task=tasks[-1], by=team["annotator"])
    from annotate.services.gold import gold_open
    from corpus.models import Document

    gold = gold_open(project=project, document=tasks[-1].document, by=team["curator"])
    secret = Document.objects.get(collection__slug="secret")
    return {**team, "task": tasks[0], "done": tasks[-1], "gold": gold, "secret": secret}


@pytest.mark.parametrize(("name", "method", "url", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("who", range(len(USERS)), ids=USERS)
def test_permission_matrix(client, setup, name, method, url, expected, who):
    if USERS[who] != "anonymous":
        client.force_login(setup[USERS[who]])
    if name == "assign run":  # a manager's valid run: the form's annotator choices are user ids
        PAYLOADS[name]["annotators"] = [str(setup["annotator"].pk), str(setup["annotator_b"].pk)]
    if name == "settings attach unreadable":
        from corpus.models import Collection

        PAYLOADS[name] = {"name": "Renamed", "overlap": "2", "curation_agreement": "unanimous",
                          "collections": [c.pk for c in Collection.objects.all()]}
    target = url.format(slug=setup["project"].slug, task=setup["task"].pk, done=setup["done"].pk,
                        doc=setup["done"].document_id, gold=setup["gold"].pk, secret=setup["secret"].pk)
    payload = PAYLOADS.get(name, {})
    if name.startswith("api import"):
        response = client.post(target, _import_file(payload, setup["task"].document))
    elif method == "get":
        htmx = {"HX-Request": "true", "HX-Target": "alignment" if "curation" in name else "preview"}
        response = client.get(target, headers=htmx if name.endswith("htmx") else {})
    elif method == "delete":
        response = client.delete(target, payload, content_type="application/json")
    elif target.startswith("/api/") or target.endswith("/change"):
        response = client.post(target, payload, content_type="application/json")
    else:
        response = client.post(target, payload)
    assert response.status_code == expected[who], f"{name} as {USERS[who]}: {response.status_code}"
    assert not setup["project"].collections.filter(slug__in=["secret", "fresh"]).exists()
    from annotate.models import Label, Membership

    assert not Membership.objects.filter(user__username="root").exists()
    assert not Label.objects.filter(name__contains="<").exists()


def test_an_annotator_never_sees_another_annotators_task(client, setup):
    theirs = Task.objects.filter(project=setup["project"], annotator=setup["annotator_b"]).first()
    client.force_login(setup["annotator"])
    assert client.get(f"/annotate/t/{theirs.pk}/").status_code == 404
    assert client.post(f"/annotate/t/{theirs.pk}/submit").status_code == 404
    home = client.get("/").content.decode()
    assert f"#{theirs.pk}<" not in home
    mine = client.get(f"/annotate/p/{setup['project'].slug}/tasks?annotator=annotator_b").content.decode()
    assert f"#{theirs.pk}<" not in mine and f"#{setup['task'].pk}<" in mine  # the filter is not theirs to use
    assert "Reopen" not in mine


def test_a_curator_reads_but_cannot_submit_for_the_annotator(client, setup):
    client.force_login(setup["curator"])
    page = client.get(f"/annotate/t/{setup['task'].pk}/").content.decode()
    assert "read only" in page and "Submit and go to the next task" not in page
    setup["task"].refresh_from_db()
    assert setup["task"].status == "assigned"  # a curator's visit does not start the annotator's task


def test_superusers_may_do_everything(client, setup, django_user_model):
    root = django_user_model.objects.get(username="root")
    client.force_login(root)
    for url in ("/annotate/p/proj/", "/annotate/p/proj/assign", "/annotate/p/proj/settings", "/annotate/new",
                f"/annotate/t/{setup['task'].pk}/", "/api/v1/projects/proj/progress"):
        assert client.get(url).status_code == 200, url


def test_a_manager_without_corpus_rights_is_offered_only_the_projects_collections(client, setup):
    client.force_login(setup["manager"])
    page = client.get("/annotate/p/proj/settings").content.decode()
    assert "News" in page and "Secret" not in page
    response = client.post("/annotate/p/proj/settings", PAYLOADS["settings attach unreadable"])
    assert response.status_code == 200 and "is not one of the available choices" in response.content.decode()


def test_an_import_records_who_filed_it_and_for_whom(client, setup):
    from annotate.models import TaskTransition

    client.force_login(setup["manager"])
    target = f"/api/v1/projects/{setup['project'].slug}/annotations/import"
    response = client.post(target, _import_file({"annotator": "annotator_b"}, setup["task"].document))
    assert job_finished(client, response)["result"]["imported"] == 1
    entry = TaskTransition.objects.filter(task__annotator=setup["annotator_b"], to_status="submitted").get()
    assert entry.by == setup["manager"] and entry.comment == "Imported by manager from sets.jsonl"
    refused = client.post(target, _import_file({"annotator": "root"}, setup["task"].document)).json()
    assert refused == {"detail": "root is not an annotator of project proj; add them as an annotator first."}


def _project_urls():
    """Every URL of the annotate pages and the project API that names a project, from the URL conf."""
    from django.urls import get_resolver

    found = []
    for namespace in ("annotate", "annotate-api"):
        resolver = get_resolver().namespace_dict[namespace][1]
        for pattern in resolver.url_patterns:
            route = str(pattern.pattern)
            if "<slug:slug>" in route:
                found.append((f"{namespace}:{pattern.name}", route))
    return found


def test_every_project_url_is_a_404_to_someone_with_no_part_in_the_project(client, team):
    """An outsider gets the answer a project that does not exist gets, on every project URL (pages, htmx,
    API), with every verb: nothing tells them which slugs exist, and 403 is never the answer."""
    from django.urls import reverse

    urls = _project_urls()
    assert len(urls) >= 25  # the walk covers the URL conf, not a hand-made list
    document = team["documents"][0].pk
    client.force_login(team["other_annotator"])  # an annotator of another project
    for name, route in urls:
        kwargs = {"slug": "proj"} | ({"document": document} if "<int:document>" in route else {}) | (
            {"version": "haber:proj:1"} if "<str:version>" in route else {}) | (
            {"name": "2026.12"} if "<str:name>" in route else {}) | ({"other": "2027.01"} if "<str:other>" in route else {})
        real = reverse(name, kwargs=kwargs)
        made_up = reverse(name, kwargs=kwargs | {"slug": "no-such-project"})
        seen = set()
        for method in ("get", "post", "put", "patch", "delete"):
            for headers in ({}, {"HX-Request": "true"}):
                answers = [getattr(client, method)(url, headers=headers).status_code for url in (real, made_up)]
                assert answers[0] == answers[1] and answers[0] in (404, 405), (name, method, headers, answers)
                seen.add(answers[0])
        assert 404 in seen, name  # 405 only for the verbs the URL does not take at all



def test_a_task_reads_with_its_project_document_and_people_as_the_orm_reads_them(big, django_assert_num_queries):
    """task_for's one fixed statement (annotate.permissions._task_sql) against the ORM's select_related."""
    task, curator = big["task"], big["curator"]
    Task.objects.filter(pk=task.pk).update(reopened_at=timezone.now(), reopened_by=curator, review_comment="İyi")
    orm = Task.objects.select_related("project", "document", "annotator", "reopened_by").get(pk=task.pk)
    with django_assert_num_queries(1):
        read, access = task_for(big["user"], task.pk)
        related = [read.project, read.document, read.annotator, read.reopened_by]
    assert field_values(read) == field_values(orm) and read.review_comment == "İyi"
    assert [field_values(r) for r in related] == [field_values(r) for r in (orm.project, orm.document, orm.annotator, curator)]
    assert access.can_annotate and not access.can_curate
    Task.objects.filter(pk=task.pk).update(reopened_by=None)
    assert task_for(big["user"], task.pk)[0].reopened_by is None  # the LEFT JOIN that found no one
    for pk in ("x", 2**70, -1, task.pk + 1000):
        with pytest.raises(Http404):
            task_for(big["user"], pk)
    Task.all_kinds.filter(pk=task.pk).update(kind=TaskKind.GOLD)  # a gold set has the curation pages only
    with pytest.raises(Http404):
        task_for(curator, task.pk)
