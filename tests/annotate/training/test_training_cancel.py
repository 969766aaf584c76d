"""A run stops when asked (issue #34 item 1): queued, it never starts; running, it stops at its next batch;
either way the project is free for the next run, and nothing of it is offered."""

import pytest

from annotate.models import TrainedModel
from annotate.training.services import training_start
from jobs.models import Job
from jobs.registry import JobError
from jobs.services import job_cancel


def test_a_queued_run_cancelled_never_starts_and_frees_the_project(client, trainable, run_jobs):
    trained, job = training_start(project=trainable["project"], by=trainable["manager"])
    client.force_login(trainable["manager"])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Cancel</button>" in page
    models = client.get("/annotate/p/p/models").content.decode()
    assert "A run is under way" in models and "Train a model</button>" not in models
    response = client.post(f"/jobs/{job.pk}/cancel", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Cancelled" in response.content.decode()
    assert run_jobs() == 0
    job.refresh_from_db()
    assert job.state == "cancelled" and "Cancelled by manager before it started" in job.error
    # The run settles as cancelled when the project is next looked at, and a new run may start.
    second, _job = training_start(project=trainable["project"], by=trainable["manager"])
    trained.refresh_from_db()
    assert trained.state == "cancelled" and second.number == 2


def test_a_running_run_stops_at_its_next_batch(trainable, run_jobs):
    trained, job = training_start(project=trainable["project"], by=trainable["manager"])
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # asked between its claim and its start
    run_jobs()
    job.refresh_from_db()
    trained.refresh_from_db()
    assert job.state == "cancelled" and job.error.startswith("Cancelled at 0 epochs")
    assert trained.state == "cancelled" and not trained.path and trained.curve == []
    assert Job.objects.filter(kind="models.predict").count() == 0


def test_a_job_that_cannot_stop_part_way_says_so(trainable):
    from jobs.services import job_submit

    job = job_submit(kind="tasks.assign", label="x", owner=trainable["manager"], params={},
                     project_id=trainable["project"].pk)
    Job.objects.filter(pk=job.pk).update(state="running")
    job.refresh_from_db()
    with pytest.raises(JobError, match="cannot stop part-way"):
        job_cancel(job=job, by=trainable["manager"])
    Job.objects.filter(pk=job.pk).update(state="succeeded")
    job.refresh_from_db()
    with pytest.raises(JobError, match="already finished"):
        job_cancel(job=job, by=trainable["manager"])
    assert TrainedModel.objects.count() == 0


def test_a_run_with_nothing_to_learn_fails_with_a_reason(trainable, run_jobs):
    from annotate.models import Event as EventRow
    from annotate.models import EventArgument, Span

    EventArgument.objects.all().delete()
    EventRow.objects.all().delete()
    Span.objects.all().delete()  # gold sets without a single mark
    trained, job = training_start(project=trainable["project"], by=trainable["manager"])
    run_jobs()
    job.refresh_from_db()
    trained.refresh_from_db()
    assert job.state == "failed" and "No document of the training split has a mark to learn from" in job.error
    assert trained.state == "failed"
