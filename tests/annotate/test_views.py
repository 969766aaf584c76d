import io
import json

import pytest

from annotate.models import Label, Membership, Project, Role, Task
from annotate.services import project_update, task_submit, tasks_assign
from tests.factories import import_texts, make_collection, make_documents, make_project, make_user


@pytest.fixture
def assigned(team):
    tasks_assign(project=team["project"], annotators=[team["annotator"], team["annotator_b"]])
    return team


def test_annotator_home_shows_queue_start_and_the_n_key(client, assigned):
    client.force_login(assigned["annotator"])
    page = client.get("/").content.decode()
    assert 'data-key="n"' in page and 'href="/annotate/next"' in page
    assert ">Start</a>" in page and "Proj" in page
    assert '<td class="num">3</td>' in page  # three tasks in my queue


def test_home_costs_the_same_queries_with_many_projects_and_tasks(client, django_assert_max_num_queries, team):
    user = team["annotator"]
    for i in range(6):
        collection = make_collection(f"extra{i}")
        make_documents(collection, 4, prefix=f"Ek{i}")
        project = make_project(f"extra{i}", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
        tasks_assign(project=project, annotators=[user])
        task_submit(task=Task.objects.filter(project=project).first(), by=user)
    client.force_login(user)
    with django_assert_max_num_queries(10):  # 9: the tasks a curator sent back; 10: documents ready to curate
        page = client.get("/")
    assert page.content.decode().count(">Start</a>") == 6


def test_the_project_list_leads_each_member_where_they_may_go(client, assigned, django_assert_max_num_queries):
    # Found crawling the demo as an annotator: the project's name led to its dashboard, which said 403.
    for user, expected in (("annotator", "/annotate/p/proj/tasks"), ("curator", "/annotate/p/proj/"),
                           ("manager", "/annotate/p/proj/")):
        client.force_login(assigned[user])
        with django_assert_max_num_queries(4):  # the session with the user, the projects, their collections
            page = client.get("/annotate/").content.decode()
        assert f'<a href="{expected}">Proj' in page, user
        assert client.get(expected).status_code == 200
        for subpage in ("tasks", "guidelines", "schema"):  # and so do the project's crumbs on its pages
            assert f'› <a href="{expected}">Proj' in client.get(f"/annotate/p/proj/{subpage}").content.decode()
    superuser = make_user("root", is_superuser=True)
    client.force_login(superuser)
    assert '<a href="/annotate/p/proj/">' in client.get("/annotate/").content.decode()


def test_the_project_pages_carry_the_tabs_of_each_members_role(client, assigned):
    tabs = ("Dashboard", "Curation", "Export", "Releases", "Import", "Assign", "Members", "Settings", "Labels",
            "Guidelines")
    for user, page, shown in (("manager", "/annotate/p/proj/", set(tabs)),
                              ("curator", "/annotate/p/proj/export", set(tabs) - {"Import", "Assign", "Members", "Settings"}),
                              ("annotator", "/annotate/p/proj/guidelines", {"My tasks", "Labels", "Guidelines"})):
        client.force_login(assigned[user])
        html = client.get(page).content.decode()
        nav = html[html.index('<nav class="tabs"'):]
        nav = nav[:nav.index("</nav>")]
        found = {tab for tab in (*tabs, "My tasks") if f">{tab}</a>" in nav}
        assert found == shown, (user, found)


def test_next_goes_to_the_oldest_open_task_or_home_when_empty(client, assigned):
    user = assigned["annotator"]
    first = Task.objects.next_for(user)
    client.force_login(user)
    assert client.get("/annotate/next").url == f"/annotate/t/{first.pk}/"
    for task in Task.objects.filter(annotator=user):
        task_submit(task=task, by=user)
    response = client.get("/annotate/next", follow=True)
    assert response.redirect_chain[-1][0] == "/" and "Your queue is empty" in response.content.decode()


def test_opening_changes_nothing_an_empty_submission_asks_once_and_can_be_taken_back(client, assigned):
    user = assigned["annotator"]
    task = Task.objects.next_for(user)
    client.force_login(user)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Assigned" in page and task.document.text.split(":")[0] in page
    task.refresh_from_db()
    assert (task.status, task.opened_at, task.transitions.count()) == ("assigned", None, 0)  # looking is not working
    # Nothing marked: the page asks once; "Submit anyway" (confirm=1) submits.
    asked = client.post(f"/annotate/t/{task.pk}/submit")
    assert asked.url == f"{task.get_absolute_url()}?submit=ask"
    question = client.get(asked.url).content.decode()
    assert "Submit anyway?" in question and "Nothing is marked in this document." in question
    task.refresh_from_db()
    assert task.status == "assigned"
    response = client.post(f"/annotate/t/{task.pk}/submit", {"confirm": "1"})
    assert response.url == "/annotate/next"
    task.refresh_from_db()
    assert task.status == "submitted"
    assert "already submitted" in client.post(f"/annotate/t/{task.pk}/submit", {"confirm": "1"},
                                              follow=True).content.decode()
    # Taken back while no curator has started on the document.
    assert "Take back the submission" in client.get(task.get_absolute_url()).content.decode()
    client.post(f"/annotate/t/{task.pk}/unsubmit")
    task.refresh_from_db()
    assert task.status == "in_progress" and task.finished_at is None
    assert task.transitions.order_by("-id").first().comment == "Submission taken back"


def test_article_text_on_the_task_page_is_escaped(client, team):
    import_texts(team["collection"], "Haber <script>alert(1)</script> <img src=x onerror=alert(2)> metni.")
    tasks_assign(project=team["project"], annotators=[team["annotator"], team["annotator_b"]])
    task = Task.objects.filter(annotator=team["annotator"], document__text__contains="<script>").get()
    client.force_login(team["annotator"])
    page = client.get(task.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "<img src=x" not in page


def test_guidelines_are_rendered_markdown_without_scripts(client, team):
    project_update(
        project=team["project"],
        guidelines="**Bold** rule\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) <img src=x onerror=alert(3)>",
    )
    client.force_login(team["annotator"])
    page = client.get("/annotate/p/proj/guidelines").content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_dashboard_tables_chart_and_constant_queries(client, assigned, django_assert_max_num_queries):
    task_submit(task=Task.objects.next_for(assigned["annotator"]), by=assigned["annotator"])
    client.force_login(assigned["manager"])
    # The progress (8), then the manager's suggestion figures: accepted spans, accepted events, rejections,
    # minutes with and without (4). A constant, whatever the project's size.
    with django_assert_max_num_queries(12):
        page = client.get("/annotate/p/proj/").content.decode()
    assert 'class="bar submitted"' in page and 'class="bar assigned"' in page
    assert "<td>News</td><td class=\"num\">6</td><td class=\"num\">1</td>" in page
    fragment = client.get("/annotate/p/proj/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="progress"') and "<html" not in fragment


def test_a_user_allowed_to_create_projects_becomes_its_manager(client, db):
    creator = make_user("creator", permissions=["annotate.add_project"])
    make_collection("wire")
    client.force_login(creator)
    response = client.post(
        "/annotate/new",
        {"slug": "wire-2026", "name": "Wire 2026", "overlap": "3", "schema": "news-diplomacy", "guidelines": "# Hi"},
    )
    project = Project.objects.get(slug="wire-2026")
    assert response.url == "/annotate/p/wire-2026/" and project.overlap == 3
    assert Membership.objects.filter(project=project, user=creator, role=Role.MANAGER).exists()
    assert Label.objects.filter(project=project).count() == 25
    again = client.post("/annotate/new", {"slug": "wire-2026", "name": "x", "overlap": "2"})
    assert again.status_code == 200 and "already exists" in again.content.decode()


def test_members_page_adds_through_htmx_and_reports_unknown_users(client, team):
    client.force_login(team["manager"])
    fragment = client.post(
        "/annotate/p/proj/members", {"action": "add", "username": "other_annotator", "role": "annotator"},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and "other_annotator" in fragment.content.decode()
    assert Membership.objects.filter(project=team["project"], user=team["other_annotator"]).exists()
    bad = client.post("/annotate/p/proj/members", {"action": "add", "username": "ghost", "role": "annotator"})
    assert bad.status_code == 400 and "No active user &#x27;ghost&#x27;." in bad.content.decode()


def test_the_members_page_says_where_accounts_come_from(client, team):
    # A manager who is not an administrator is told who makes accounts; one who may make them is linked
    # to the admin site's page for a new one.
    client.force_login(team["manager"])
    page = client.get("/annotate/p/proj/members").content.decode()
    assert "an administrator creates it on the admin site" in page and "/admin/auth/user/add/" not in page
    from django.contrib.auth.models import Permission

    team["manager"].is_staff = True
    team["manager"].save()
    team["manager"].user_permissions.add(Permission.objects.get(codename="add_user"))
    assert "/admin/auth/user/add/" not in client.get("/annotate/p/proj/members").content.decode()  # 403 there
    team["manager"].user_permissions.add(Permission.objects.get(codename="change_user"))
    page = client.get("/annotate/p/proj/members").content.decode()
    assert 'href="/admin/auth/user/add/"' in page
    assert client.get("/admin/auth/user/add/").status_code == 200  # the link leads somewhere they may be


def test_assign_page_reports_in_the_page_and_refuses_bad_input(client, team):
    client.force_login(team["manager"])
    ids = [str(team["annotator"].pk), str(team["annotator_b"].pk)]
    preview = client.post("/annotate/p/proj/assign", {"action": "assign", "annotators": ids, "preview": "1"},
                          headers={"HX-Request": "true"})
    shown = preview.content.decode()
    assert shown.lstrip().startswith('<section id="preview"')
    assert "3 documents selected (all collections). If you run it: 3 documents: 6 tasks created" in shown
    assert "6 tasks created" in shown and "<td>annotator</td><td class=\"num\">3</td>" in shown
    assert Task.objects.count() == 0  # a preview changes nothing
    ok = client.post("/annotate/p/proj/assign", {"action": "assign", "annotators": ids},
                     headers={"HX-Request": "true"})
    text = ok.content.decode()
    assert ok.status_code == 200 and text.lstrip().startswith('<div id="result"')
    assert "3 documents: 6 tasks created" in text
    bad = client.post("/annotate/p/proj/assign", {"action": "assign", "annotators": ids[:1], "overlap": "2"})
    assert bad.status_code == 400 and "An overlap of 2 needs at least 2 annotators" in bad.content.decode()
    stranger = client.post("/annotate/p/proj/assign", {"action": "assign", "annotators": [str(team["other_annotator"].pk)]})
    assert stranger.status_code == 400 and Task.objects.count() == 6
    nobody = client.post("/annotate/p/proj/assign", {"action": "reassign"})
    assert nobody.status_code == 400 and "From: Choose one." in nobody.content.decode()
    moved = client.post("/annotate/p/proj/assign", {"action": "reassign", "from_annotator": ids[0],
                                                    "to_annotator": str(team["manager"].pk)})
    assert moved.status_code == 400  # the manager is not an annotator of the project: refused, named
    removed = client.post("/annotate/p/proj/assign", {"action": "unassign", "annotator": ids[1]},
                          headers={"HX-Request": "true"})
    assert removed.status_code == 200 and "Unassigned" in removed.content.decode() and Task.objects.count() == 3


def test_schema_upload_lists_every_problem_and_changes_nothing(client, team):
    client.force_login(team["manager"])
    data = json.loads(client.get("/annotate/p/proj/schema.json").content)
    data["entities"][0]["colour"] = "blue"
    data["entities"][1]["key"] = "p"
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "schema.json"
    response = client.post("/annotate/p/proj/schema", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "colour &#x27;blue&#x27; is not of the form #rrggbb" in page and "is already the key of PER" in page
    assert Label.objects.get(project=team["project"], name="PER").colour != "blue"


def test_api_assign_and_next_task(client, team):
    client.force_login(team["manager"])
    bad = client.post("/api/v1/projects/proj/assign", {"annotators": ["annotator", "ghost"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json() == {"detail": "Unknown user(s): ghost."}
    ok = client.post("/api/v1/projects/proj/assign", {"annotators": ["annotator", "annotator_b"]}, content_type="application/json")
    assert ok.json()["created"] == 6
    client.force_login(team["annotator"])
    nxt = client.get("/api/v1/projects/proj/tasks/next").json()
    assert nxt["url"].endswith(f"/annotate/t/{nxt['id']}/")
    for task in Task.objects.filter(annotator=team["annotator"]):
        task_submit(task=task, by=team["annotator"])
    assert client.get("/api/v1/projects/proj/tasks/next").status_code == 204


def test_task_i_of_n_counts_in_the_order_of_assignment_ties_by_id(client, assigned):
    """TaskQuerySet.position_of, one fixed statement: the i-th of the annotator's tasks in the project,
    ordered by assignment time and then id, gold sets and other annotators' tasks not counted."""
    from datetime import timedelta

    from django.utils import timezone

    mine = list(Task.objects.filter(annotator=assigned["annotator"]).order_by("id"))
    now = timezone.now()
    # The last task assigned first; the other two at the same moment (the id decides between them).
    Task.objects.filter(pk=mine[-1].pk).update(assigned_at=now - timedelta(hours=1))
    Task.objects.filter(pk__in=[t.pk for t in mine[:-1]]).update(assigned_at=now)
    order = [mine[-1], *mine[:-1]]
    for i, task in enumerate(order, start=1):
        task.refresh_from_db()
        assert Task.objects.position_of(task) == (i, len(mine))
    client.force_login(assigned["annotator"])
    assert f"Task 2 of {len(mine)}</a>" in client.get(f"/annotate/t/{mine[0].pk}/").content.decode()
