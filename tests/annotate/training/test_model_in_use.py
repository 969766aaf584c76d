"""After a run: which version the annotation page suggests (pin, roll back, unpin), the queue of a project
that orders by the model's uncertainty (least confident first, within what was assigned), and a project that
trains again after every N accepted gold sets."""

import pytest

from annotate.models import DocumentUncertainty, Task, TaskKind, TaskStatus, TrainedModel
from annotate.services import tasks_assign
from annotate.services.gold import gold_accepted
from annotate.training.services import model_use
from jobs.models import Job

pytestmark = pytest.mark.slow


@pytest.fixture
def trained_twice(client, trainable, run_jobs):
    client.force_login(trainable["manager"])
    for seed in range(2):  # two different models
        answer = client.post("/api/v1/projects/p/models/train",
                             {"settings": {"max_epochs": 1, "batch_words": 50, "seed": seed}},
                             content_type="application/json")
        assert answer.status_code == 202, answer.content
        run_jobs()
    assert list(TrainedModel.objects.values_list("number", "state")) == [(2, "ready"), (1, "ready")]
    return trainable


def test_the_newest_run_is_used_unless_one_is_pinned(client, trained_twice):
    project = trained_twice["project"]
    project.refresh_from_db()
    assert project.model_in_use == "haber:p:2" and not project.model_pinned
    answer = client.post("/api/v1/projects/p/models/use", {"version": "haber:p:1"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"model_in_use": "haber:p:1", "pinned": True}
    runs = client.get("/api/v1/projects/p/models/runs").json()
    assert [(r["model"], r["in_use"], r["pinned"]) for r in runs["runs"]] == [
        ("haber:p:2", False, False), ("haber:p:1", True, True)]
    # The page's form does the same; unpinning keeps the version until the next run.
    page = client.post("/annotate/p/p/models/use", {"version": "haber:p:1", "pinned": "0"})
    assert page.status_code == 302
    project.refresh_from_db()
    assert (project.model_in_use, project.model_pinned) == ("haber:p:1", False)
    with pytest.raises(Exception, match="No finished model"):
        model_use(project=project, version="haber:other:1", pinned=True)
    # A number no run could have is a plain "no such model", never a database error.
    huge = "haber:p:" + "9" * 30
    answer = client.post("/api/v1/projects/p/models/use", {"version": huge}, content_type="application/json")
    assert answer.status_code == 400 and "No finished model" in answer.json()["detail"]
    assert client.get(f"/api/v1/projects/p/models/{huge}/download").status_code == 404


def test_the_queue_puts_the_most_uncertain_documents_first(client, trained_twice):
    project, annotator = trained_twice["project"], trained_twice["annotator"]
    without_gold = sorted(set(trained_twice["written"]) - set(trained_twice["gold"]))
    tasks_assign(project=project, annotators=[annotator], overlap=1)
    project.refresh_from_db()
    assert project.model_in_use == "haber:p:2"
    scores = dict(DocumentUncertainty.objects.filter(project=project, model="haber:p:2")
                  .values_list("document_id", "score"))
    assert set(without_gold) <= set(scores) and all(s >= 0 for s in scores.values())
    assigned = list(Task.objects.queue_for(annotator, project).values_list("document_id", flat=True))
    assert assigned == sorted(assigned)  # assignment order while the setting is off
    project.queue_by_uncertainty = True
    project.save(update_fields=["queue_by_uncertainty"])
    ordered = list(Task.objects.queue_for(annotator, project).values_list("document_id", flat=True))
    assert sorted(ordered) == sorted(assigned)  # the same tasks: only their order changes
    known = [pk for pk in ordered if pk in scores]
    assert [scores[pk] for pk in known] == sorted((scores[pk] for pk in known), reverse=True)
    assert Task.objects.next_for(annotator, project).document_id == ordered[0]
    # Rolled back to the first run: the queue follows that model's own figures.
    model_use(project=project, version="haber:p:1", pinned=True)
    first = dict(DocumentUncertainty.objects.filter(project=project, model="haber:p:1")
                 .values_list("document_id", "score"))
    assert first.keys() == scores.keys() and first != scores
    ordered = list(Task.objects.queue_for(annotator, project).values_list("document_id", flat=True))
    known = [pk for pk in ordered if pk in first]
    assert [first[pk] for pk in known] == sorted((first[pk] for pk in known), reverse=True)
    client.force_login(annotator)
    assert client.get("/annotate/p/p/next").url == f"/annotate/t/{Task.objects.next_for(annotator, project).pk}/"


def test_a_project_trains_again_after_every_n_gold_sets(trainable, run_jobs):
    project, curator = trainable["project"], trainable["curator"]
    project.retrain_every = 5
    project.save(update_fields=["retrain_every"])
    gold = Task.all_kinds.filter(project=project, kind=TaskKind.GOLD, status=TaskStatus.SUBMITTED).first()
    gold_accepted.send(sender=Task, task=gold, by=curator)  # 48 accepted, no run yet: 48 ≥ 5
    assert TrainedModel.objects.count() == 1 and Job.objects.filter(kind="models.train").count() == 1
    gold_accepted.send(sender=Task, task=gold, by=curator)  # a run is under way: none more
    assert TrainedModel.objects.count() == 1
    TrainedModel.objects.update(state="ready")
    gold_accepted.send(sender=Task, task=gold, by=curator)  # no new gold since that run began
    assert TrainedModel.objects.count() == 1


def test_the_models_page_sets_retraining_and_the_queue_order(client, trainable):
    client.force_login(trainable["manager"])
    page = client.get("/annotate/p/p/models").content.decode()
    assert "Train a model" in page and 'name="queue_by_uncertainty"' in page
    client.post("/annotate/p/p/models/retrain", {"retrain_every": "25", "queue_by_uncertainty": "1"})
    project = trainable["project"]
    project.refresh_from_db()
    assert (project.retrain_every, project.queue_by_uncertainty) == (25, True)
    bad = client.post("/annotate/p/p/models/retrain", {"retrain_every": "-3"}, follow=True).content.decode()
    assert "a whole number of gold sets" in bad
    client.force_login(trainable["curator"])
    assert client.post("/annotate/p/p/models/retrain", {"retrain_every": "1"}).status_code == 403


def test_a_models_sets_are_nobodys_work_to_curate_or_agree_with(client, trained_twice):
    """Predictions are suggestions: a document with only a model's set is not ready for curation, a
    model's set is no version on the curation page, and an assignment does not count it in the overlap."""
    from annotate.services.gold import submitted_sets

    project = trained_twice["project"]
    without_gold = sorted(set(trained_twice["written"]) - set(trained_twice["gold"]))
    assert Task.objects.filter(project=project, document_id=without_gold[0]).exists()  # the models' sets
    assert Task.objects.ready_counts([project.pk]) == {}
    assert not Task.objects.ready_documents(project).exists()
    assert submitted_sets(project, without_gold[0]) == []
    report = tasks_assign(project=project, annotators=[trained_twice["annotator"]], overlap=1)
    assert report.created == len(trained_twice["written"]) and report.already_complete == 0
    client.force_login(trained_twice["curator"])
    queue = client.get("/annotate/p/p/curation").content.decode()
    assert f"/annotate/p/p/curation/{without_gold[0]}/" not in queue


def test_the_models_page_reads_its_runs_in_constant_queries(client, trained_twice, django_assert_max_num_queries):
    client.force_login(trained_twice["manager"])
    client.get("/annotate/p/p/models")  # warm the session and the schema cache
    with django_assert_max_num_queries(16):  # whatever the number of runs and versions
        page = client.get("/annotate/p/p/models")
    html = page.content.decode()
    assert "haber:p:2" in html and "haber:p:1" in html and "test split, data and settings" in html
    download = client.get("/annotate/p/p/models/haber:p:1/download")
    assert download.status_code == 200 and download["Content-Disposition"].startswith('attachment; filename="p-model-1')
    assert client.get("/annotate/p/p/models/haber:p:7/download").status_code == 404
