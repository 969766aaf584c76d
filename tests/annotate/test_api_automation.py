"""The API a script uses to set a project up without the pages: a collection, a project, its members and its
tasks, under the pages' permission rules."""

from annotate.models import Membership, Project, Role, Task
from annotate.services import tasks_assign
from tests.factories import make_collection, make_documents, make_user


def test_a_script_sets_up_a_project_end_to_end(client, db):
    boss = make_user("boss", permissions=["corpus.view_document", "corpus.add_document", "annotate.add_project"])
    ayse, burak = make_user("ayse"), make_user("burak")
    client.force_login(boss)
    made = client.post("/api/v1/collections/", {"slug": "wire-2026", "name": "Wire 2026"}, content_type="application/json")
    assert made.status_code == 201 and made.json() == {"slug": "wire-2026", "name": "Wire 2026", "source": ""}
    again = client.post("/api/v1/collections/", {"slug": "wire-2026"}, content_type="application/json")
    assert again.status_code == 400 and "already exists" in again.json()["detail"]
    # Who may import may list the collections (to import into), as the import page offers them.
    assert client.get("/api/v1/collections/").json() == [{"slug": "wire-2026", "name": "Wire 2026", "source": ""}]
    project = client.post("/api/v1/projects/", {"slug": "diplo", "name": "Diplomacy", "collections": ["wire-2026"],
                                                "overlap": 2, "schema": "news-diplomacy"},
                          content_type="application/json")
    assert project.status_code == 201, project.content
    assert project.json() == {"slug": "diplo", "name": "Diplomacy", "overlap": 2, "curation_agreement": "unanimous",
                              "collections": ["wire-2026"], "labels": 25}
    assert Membership.objects.filter(project__slug="diplo", user=boss, role=Role.MANAGER).exists()
    for who in ("ayse", "burak"):
        added = client.post("/api/v1/projects/diplo/members", {"username": who, "role": "annotator"},
                            content_type="application/json")
        assert added.status_code == 201
    members = client.get("/api/v1/projects/diplo/members").json()
    assert {(m["username"], m["role"]) for m in members} == {("ayse", "annotator"), ("burak", "annotator"),
                                                             ("boss", "manager")}
    unknown = client.post("/api/v1/projects/diplo/members", {"username": "nobody", "role": "annotator"},
                          content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["detail"] == "No user 'nobody'."
    bad_role = client.post("/api/v1/projects/diplo/members", {"username": "ayse", "role": "owner"},
                           content_type="application/json")
    assert bad_role.status_code == 400 and "role" in bad_role.json()
    removed = client.delete("/api/v1/projects/diplo/members", {"username": "burak", "role": "annotator"},
                            content_type="application/json")
    assert removed.status_code == 200
    assert not Membership.objects.filter(project__slug="diplo", user=burak).exists()
    # Documents, then tasks, then the task list as the manager and as the annotator see it.
    from corpus.models import Collection

    make_documents(Collection.objects.get(slug="wire-2026"), 3)
    tasks_assign(project=Project.objects.get(slug="diplo"), annotators=[ayse], overlap=1)
    listed = client.get("/api/v1/projects/diplo/tasks").json()
    assert listed["count"] == 3 and listed["next"] is None
    assert {row["annotator"] for row in listed["results"]} == {"ayse"}
    assert client.get("/api/v1/projects/diplo/tasks", {"status": "submitted"}).json()["count"] == 0
    assert client.get("/api/v1/projects/diplo/tasks", {"status": "done"}).status_code == 400
    slip = client.get("/api/v1/projects/diplo/tasks", {"state": "submitted"})  # not every task, silently
    assert slip.status_code == 400 and slip.json()["detail"] == (
        "Unknown parameter: state. This request takes: status, annotator, page.")
    far = client.get("/api/v1/projects/diplo/tasks", {"page": "182376208829461248"})  # was a 500 on SQLite
    assert far.status_code == 200 and far.json()["results"] == [] and far.json()["page"] == 1_000_000
    client.force_login(ayse)
    own = client.get("/api/v1/projects/diplo/tasks", {"annotator": "someone-else"}).json()
    assert own["count"] == 3  # an annotator's filter is always themselves
    assert client.post("/api/v1/projects/diplo/members", {"username": "ayse", "role": "manager"},
                       content_type="application/json").status_code == 403
    assert client.get("/api/v1/projects/diplo/members").status_code == 403
    assert client.post("/api/v1/projects/", {"slug": "mine"}, content_type="application/json").status_code == 403
    assert client.post("/api/v1/collections/", {"slug": "mine"}, content_type="application/json").status_code == 403
    assert client.get("/api/v1/collections/").status_code == 403


def test_a_project_only_takes_collections_its_creator_may_read(client, db):
    make_collection("secret", "Secret")
    creator = make_user("creator", permissions=["annotate.add_project"])
    client.force_login(creator)
    refused = client.post("/api/v1/projects/", {"slug": "p", "collections": ["secret"]}, content_type="application/json")
    assert refused.status_code == 403 and not Project.objects.exists()
    missing = client.post("/api/v1/projects/", {"slug": "p", "collections": ["nope"]}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["detail"] == "No collection nope."


def test_the_task_list_pages(client, db):
    collection = make_collection("news")
    make_documents(collection, 120)
    curator, ayse = make_user("curator"), make_user("ayse")
    from tests.factories import make_project

    project = make_project("big", collections=[collection], overlap=1,
                           members=[(curator, Role.CURATOR), (ayse, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse])
    client.force_login(curator)
    first = client.get("/api/v1/projects/big/tasks").json()
    assert first["count"] == 120 and len(first["results"]) == 100 and first["next"].endswith("page=2")
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 20 and second["next"] is None
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert ids == list(Task.objects.filter(project=project).order_by("assigned_at", "id").values_list("id", flat=True))
