"""The demo `make run` loads: generated passwords kept in var/, printed; a second run changes nothing."""

import io
import json

from django.contrib.auth.models import User
from django.core.management import call_command

from annotate.models import Project, Task
from annotate.services import tasks_unassign


def _load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def test_the_demo_passwords_are_generated_kept_and_printed(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = _load(url="http://127.0.0.1:8123/")
    kept = json.loads((tmp_path / "demo_passwords.json").read_text())
    assert set(kept) == {"admin", "manager", "curator", "annotator1", "annotator2"}
    assert (tmp_path / "demo_passwords.json").stat().st_mode & 0o077 == 0
    assert len(set(kept.values())) == 5 and all(len(p) >= 16 for p in kept.values())
    assert "demo-admin-2026" not in first
    for username, password in kept.items():
        assert f"{username:<11} {password}" in first
        assert User.objects.get(username=username).check_password(password)
    assert "Open http://127.0.0.1:8123/ and log in." in first
    second = _load()
    assert json.loads((tmp_path / "demo_passwords.json").read_text()) == kept
    assert all(password in second for password in kept.values())


def test_a_second_run_neither_creates_nor_moves_tasks(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _load()
    project = Project.objects.get(slug="demo")
    before = set(Task.objects.values_list("pk", "document_id", "annotator_id"))
    assert before
    a1 = Task.objects.filter(project=project).first().annotator
    tasks_unassign(project=project, annotator=a1)  # the manager's choice
    after_unassign = set(Task.objects.values_list("pk", "document_id", "annotator_id"))
    assert after_unassign < before
    _load()
    assert set(Task.objects.values_list("pk", "document_id", "annotator_id")) == after_unassign


def test_the_demo_has_one_article_ready_for_the_curator(client, db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert "Demo curation: one article" in _load()
    project = Project.objects.get(slug="demo")
    assert Task.objects.ready_counts([project.pk]) == {project.pk: 1}
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="curator"))
    queue = client.get("/annotate/p/demo/curation").content.decode()
    assert "Dışişleri Bakanı Hakan Fidan" in queue or "ANKARA" in queue
    document = Task.objects.filter(project=project, status="submitted").first().document_id
    page = client.get(f"/annotate/p/demo/curation/{document}/").content.decode()
    assert "Accept LOC (annotator2)" in page and "Accept GPE (annotator1)" in page


def test_the_demo_annotators_find_suggestions_learnt_from_the_first_article(client, db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _load()
    project = Project.objects.get(slug="demo")
    assert project.suggest_gazetteer and project.suggest_repetition
    annotator = User.objects.get(username="annotator1")
    task = Task.objects.filter(project=project, annotator=annotator, document__text__contains="Ankara").exclude(
        status="submitted").first()
    assert task is not None, "another demo article names Ankara"
    client.force_login(annotator)
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'data-kind="suggestion"' in page and "suggested by gazetteer" in page


def test_the_demo_has_a_project_ready_to_train(db, settings, tmp_path):
    """#34: a project with enough gold for a first run, and new documents assigned for its suggestions."""
    from annotate.models import Role, TaskKind

    settings.VAR_DIR = tmp_path
    out = _load()
    project = Project.objects.get(slug="demo-training")
    assert "Training demo: 200 gold sets" in out
    assert Task.all_kinds.filter(project=project, kind=TaskKind.GOLD, status="submitted").count() == 200
    assert Task.objects.filter(project=project, annotator__username__in=["annotator1", "annotator2"]).count() == 40
    assert project.memberships.filter(user__username="manager", role=Role.MANAGER).exists()
    # #31: a first release, queued; the worker builds it from the 200 gold sets
    from annotate.models import Release
    from jobs.worker import run_pending

    assert "release demo-1 is queued" in out
    run_pending()
    release = Release.objects.get(project=project, name="demo-1")
    assert release.state == "ready" and release.counts["documents"] == 200, release.error
    assert "Training demo: already there." in _load()
