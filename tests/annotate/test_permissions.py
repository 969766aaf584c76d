"""The permission matrix: every page and API endpoint of projects and tasks against anonymous, an
annotator of this project, an annotator of another project, a curator and a manager."""

import pytest

from annotate.models import Task
from annotate.services import tasks_assign

USERS = ["anonymous", "annotator", "other_annotator", "curator", "manager"]
LOGIN = 302  # anonymous page requests are sent to the login page
API_ANON = 401  # token authentication answers with WWW-Authenticate

# name, method, url (formatted with slug and task), expected statuses in the order of USERS
MATRIX = [
    ("home", "get", "/", [LOGIN, 200, 200, 200, 200]),
    ("project list", "get", "/annotate/", [LOGIN, 200, 200, 200, 200]),
    ("project create page", "get", "/annotate/new", [LOGIN, 403, 403, 403, 403]),
    ("next task, any project", "get", "/annotate/next", [LOGIN, 302, 302, 302, 302]),
    ("dashboard", "get", "/annotate/p/{slug}/", [LOGIN, 403, 403, 200, 200]),
    ("next task", "get", "/annotate/p/{slug}/next", [LOGIN, 302, 403, 403, 403]),
    ("settings", "get", "/annotate/p/{slug}/settings", [LOGIN, 403, 403, 403, 200]),
    ("settings save", "post", "/annotate/p/{slug}/settings", [LOGIN, 403, 403, 403, 302]),  # saved: redirect
    ("members", "get", "/annotate/p/{slug}/members", [LOGIN, 403, 403, 403, 200]),
    ("members add", "post", "/annotate/p/{slug}/members", [LOGIN, 403, 403, 403, 200]),
    ("guidelines", "get", "/annotate/p/{slug}/guidelines", [LOGIN, 200, 403, 200, 200]),
    ("labels", "get", "/annotate/p/{slug}/schema", [LOGIN, 200, 403, 200, 200]),
    ("labels upload", "post", "/annotate/p/{slug}/schema", [LOGIN, 403, 403, 403, 400]),
    ("labels download", "get", "/annotate/p/{slug}/schema.json", [LOGIN, 200, 403, 200, 200]),
    ("assign page", "get", "/annotate/p/{slug}/assign", [LOGIN, 403, 403, 403, 200]),
    ("assign run", "post", "/annotate/p/{slug}/assign", [LOGIN, 403, 403, 403, 200]),
    ("task list", "get", "/annotate/p/{slug}/tasks", [LOGIN, 403, 403, 200, 200]),
    ("task page", "get", "/annotate/t/{task}/", [LOGIN, 200, 403, 200, 200]),
    ("task submit", "post", "/annotate/t/{task}/submit", [LOGIN, 302, 403, 403, 403]),
    ("task skip", "post", "/annotate/t/{task}/skip", [LOGIN, 302, 403, 403, 403]),
    ("task reopen", "post", "/annotate/t/{done}/reopen", [LOGIN, 403, 403, 302, 302]),
    ("api projects", "get", "/api/v1/projects/", [API_ANON, 200, 200, 200, 200]),
    ("api schema", "get", "/api/v1/projects/{slug}/schema", [API_ANON, 200, 403, 200, 200]),
    ("api progress", "get", "/api/v1/projects/{slug}/progress", [API_ANON, 403, 403, 200, 200]),
    ("api next task", "get", "/api/v1/projects/{slug}/tasks/next", [API_ANON, 200, 403, 403, 403]),
    ("api assign", "post", "/api/v1/projects/{slug}/assign", [API_ANON, 403, 403, 403, 200]),
    ("api missing project", "get", "/api/v1/projects/nope/schema", [API_ANON, 404, 404, 404, 404]),
    ("missing project page", "get", "/annotate/p/nope/", [LOGIN, 404, 404, 404, 404]),
]

PAYLOADS = {
    "settings save": {"name": "Renamed", "overlap": "2", "collections": []},
    "members add": {"action": "add", "username": "annotator_b", "role": "curator"},
    "assign run": {"action": "assign", "assign-annotators": [], "assign-overlap": ""},
    "task skip": {"reason": "not about diplomacy"},
    "task reopen": {"comment": "Please mark the dateline too."},
    "api assign": {"annotators": ["annotator", "annotator_b"]},
}


@pytest.fixture
def setup(team):
    project = team["project"]
    tasks_assign(project=project, annotators=[team["annotator"], team["annotator_b"]])
    tasks = list(Task.objects.filter(project=project, annotator=team["annotator"]).order_by("id"))
    from annotate.services import task_submit

    task_submit(task=tasks[-1], by=team["annotator"])
    return {**team, "task": tasks[0], "done": tasks[-1]}


@pytest.mark.parametrize(("name", "method", "url", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("who", range(len(USERS)), ids=USERS)
def test_permission_matrix(client, setup, name, method, url, expected, who):
    if USERS[who] != "anonymous":
        client.force_login(setup[USERS[who]])
    if name == "assign run":  # a manager's valid run: the form's annotator choices are user ids
        PAYLOADS[name]["assign-annotators"] = [str(setup["annotator"].pk), str(setup["annotator_b"].pk)]
    target = url.format(slug=setup["project"].slug, task=setup["task"].pk, done=setup["done"].pk)
    payload = PAYLOADS.get(name, {})
    if method == "get":
        response = client.get(target)
    elif target.startswith("/api/"):
        response = client.post(target, payload, content_type="application/json")
    else:
        response = client.post(target, payload)
    assert response.status_code == expected[who], f"{name} as {USERS[who]}: {response.status_code}"


def test_an_annotator_never_sees_another_annotators_task(client, setup):
    theirs = Task.objects.filter(project=setup["project"], annotator=setup["annotator_b"]).first()
    client.force_login(setup["annotator"])
    assert client.get(f"/annotate/t/{theirs.pk}/").status_code == 403
    assert client.post(f"/annotate/t/{theirs.pk}/submit").status_code == 403
    home = client.get("/").content.decode()
    assert f"#{theirs.pk}<" not in home


def test_a_curator_reads_but_cannot_submit_for_the_annotator(client, setup):
    client.force_login(setup["curator"])
    page = client.get(f"/annotate/t/{setup['task'].pk}/").content.decode()
    assert "read only" in page and "Submit and go to the next task" not in page
    setup["task"].refresh_from_db()
    assert setup["task"].status == "assigned"  # a curator's visit does not start the annotator's task


def test_superusers_may_do_everything(client, setup, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(root)
    for url in ("/annotate/p/proj/", "/annotate/p/proj/assign", "/annotate/p/proj/settings", "/annotate/new",
                f"/annotate/t/{setup['task'].pk}/", "/api/v1/projects/proj/progress"):
        assert client.get(url).status_code == 200, url
