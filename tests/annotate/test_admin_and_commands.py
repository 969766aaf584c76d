import io
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.models import Label, Membership, Project, Task
from annotate.services import schema_dump, task_open, tasks_assign
from tests.factories import make_collection


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(user)
    return user


def test_every_model_has_an_admin_whose_pages_render(client, root, team):
    tasks_assign(project=team["project"], annotators=[team["annotator"], team["annotator_b"]])
    for app in ("annotate", "corpus"):
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model
            url = f"/admin/{app}/{model._meta.model_name}/"
            assert client.get(url).status_code == 200, url
            assert client.get(url, {"q": "ann"}).status_code == 200, url
    task = Task.objects.first()
    assert client.get(f"/admin/annotate/task/{task.pk}/change/").status_code == 200
    assert client.get(f"/admin/annotate/project/{team['project'].pk}/change/").status_code == 200


def test_admin_actions_assign_unassign_and_download_the_schema(client, root, team):
    project = team["project"]
    response = client.post("/admin/annotate/project/", {"action": "assign_to_annotators", "_selected_action": [project.pk]}, follow=True)
    assert "Proj: 3 documents: 6 tasks created" in response.content.decode()
    started = Task.objects.filter(annotator=team["annotator"]).first()
    task_open(task=started, by=team["annotator"])
    mine = list(Task.objects.filter(annotator=team["annotator"]).values_list("pk", flat=True))
    response = client.post("/admin/annotate/task/", {"action": "unassign_not_started", "_selected_action": mine}, follow=True)
    assert "2 tasks unassigned" in response.content.decode()
    assert list(Task.objects.filter(annotator=team["annotator"]).values_list("pk", flat=True)) == [started.pk]
    download = client.post("/admin/annotate/project/", {"action": "download_schema", "_selected_action": [project.pk]})
    assert json.loads(download.content) == schema_dump(project)


def test_the_admin_assigns_a_large_selection_through_a_background_job(client, root, team, settings, run_jobs):
    from jobs.models import Job

    settings.ASSIGN_INLINE_MAX = 2  # the team's project has 3 documents
    response = client.post("/admin/annotate/project/", {"action": "assign_to_annotators",
                                                         "_selected_action": [team["project"].pk]}, follow=True)
    job = Job.objects.get()
    html = response.content.decode()
    assert "Assign 3 documents of proj (all collections), by a background job" in html and f'href="/jobs/{job.pk}/"' in html
    assert not Task.objects.exists()
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded" and Task.objects.count() == 6


def test_admin_loads_a_schema_file_and_shows_problems(client, root, team):
    project = team["project"]
    data = schema_dump(project)
    data["entities"][0]["description"] = "İnsanlar"
    upload = io.BytesIO(json.dumps(data, ensure_ascii=False).encode())
    upload.name = "s.json"
    response = client.post(f"/admin/annotate/project/{project.pk}/schema/", {"file": upload})
    assert response.status_code == 302
    assert Label.objects.get(project=project, name="PER").description == "İnsanlar"
    data["events"][0]["roles"][0]["labels"] = ["NOPE"]
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "s.json"
    page = client.post(f"/admin/annotate/project/{project.pk}/schema/", {"file": upload}).content.decode()
    assert "&#x27;NOPE&#x27; is not an entity label of this schema" in page


def test_create_project_command(db, capsys, tmp_path):
    make_collection("a")
    make_collection("b")
    call_command("create_project", "wire", "--name", "Wire", "--schema", "news-diplomacy", "--collections", "a,b", "--overlap", "3")
    assert "Project wire created with 25 labels." in capsys.readouterr().out
    project = Project.objects.get(slug="wire")
    assert project.overlap == 3 and sorted(project.collections.values_list("slug", flat=True)) == ["a", "b"]
    assert not Membership.objects.filter(project=project).exists()
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_project", "wire", "--name", "Again")
    with pytest.raises(CommandError, match="No collection zz"):
        call_command("create_project", "other", "--name", "O", "--collections", "a,zz")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"entities": [{"name": "PER", "key": "p", "colour": "#12345"}]}))
    with pytest.raises(CommandError, match=r"entities\[0\].colour"):
        call_command("create_project", "other", "--name", "O", "--schema", str(bad))
    with pytest.raises(CommandError, match="--overlap must be at least 1"):
        call_command("create_project", "other", "--name", "O", "--overlap", "0")
    assert list(Project.objects.values_list("slug", flat=True)) == ["wire"]  # nothing half-made


def test_the_admin_lists_gold_sets_beside_the_annotators_tasks(client, root, team):
    """Task.objects leaves gold sets out on purpose; the admin reads every kind (Task.all_kinds) and can
    filter them."""
    from annotate.services import task_submit
    from annotate.services.gold import gold_open

    tasks_assign(project=team["project"], annotators=[team["annotator"]], overlap=1)
    task = Task.objects.filter(annotator=team["annotator"]).first()
    task_submit(task=task, by=team["annotator"])
    gold = gold_open(project=team["project"], document=task.document, by=team["manager"])
    listed = client.get("/admin/annotate/task/", {"kind__exact": "gold"}).content.decode()
    assert f"/admin/annotate/task/{gold.pk}/change/" in listed and f"/admin/annotate/task/{task.pk}/change/" not in listed
    assert client.get(f"/admin/annotate/task/{gold.pk}/change/").status_code == 200
    everything = client.get("/admin/annotate/task/").content.decode()
    assert f"/admin/annotate/task/{gold.pk}/change/" in everything and f"/admin/annotate/task/{task.pk}/change/" in everything
