"""Jobs: states, the one claim per job, the sweep of jobs whose worker died, who may see a job, and the log
line per job."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, JobState
from jobs.registry import KINDS, JobError, UnknownJobKind, job_kind
from jobs.services import job_run, job_submit, jobs_sweep
from jobs.worker import run_pending
from tests.factories import make_project, make_user


@pytest.fixture
def kinds():
    """Job kinds of the test's own, removed afterwards."""
    before = dict(KINDS)

    @job_kind("test.count", result_template="annotate/_job_results.html#assignment", unit="things")
    def count(job, progress):
        progress.set_total(job.params["n"])
        for _ in range(job.params["n"]):
            progress.advance()
        return {"counted": job.params["n"]}

    @job_kind("test.refuse", result_template="annotate/_job_results.html#assignment")
    def refuse(job, progress):
        raise JobError("The file names no project.")

    @job_kind("test.crash", result_template="annotate/_job_results.html#assignment")
    def crash(job, progress):
        raise ZeroDivisionError("bug")

    yield
    KINDS.clear()
    KINDS.update(before)


def test_a_job_goes_from_queued_to_succeeded_with_its_result_and_progress(db, kinds):
    owner = make_user("ayse")
    job = job_submit(kind="test.count", label="Count", owner=owner, params={"n": 7})
    assert job.state == JobState.QUEUED and DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    run_pending()
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.result, job.error) == ("succeeded", 7, 7, {"counted": 7}, "")
    assert job.attempts == 1 and job.started_at <= job.finished_at and job.worker_id
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


def test_a_refused_job_fails_with_its_message_and_a_crash_with_a_plain_one(db, kinds, caplog):
    owner = make_user("ayse")
    refused = job_submit(kind="test.refuse", label="Refuse", owner=owner, params={})
    crashed = job_submit(kind="test.crash", label="Crash", owner=owner, params={})
    with caplog.at_level(logging.ERROR, logger="haber.job"):
        run_pending()
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.state == "failed" and refused.error == "The file names no project."
    assert crashed.state == "failed" and crashed.error.startswith("The job stopped on an unexpected error "
                                                                  "(ZeroDivisionError); it was logged.")
    assert any("ZeroDivisionError" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_an_unknown_kind_is_refused_before_anything_is_written(db):
    with pytest.raises(UnknownJobKind, match=r"No job kind 'nope'; the known kinds are: .*documents\.import"):
        job_submit(kind="nope", label="?", owner=None, params={})
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_only_one_worker_runs_a_job(db, kinds):
    job = job_submit(kind="test.count", label="Count", owner=None, params={"n": 1})
    assert job_run(job_id=str(job.pk), worker_id="w1") == "succeeded"
    assert job_run(job_id=str(job.pk), worker_id="w2") == "taken"  # the same job handed to a second worker
    job.refresh_from_db()
    assert job.attempts == 1 and job.worker_id == "w1"


def test_a_job_whose_worker_died_is_failed_by_the_next_worker(db, kinds):
    job = job_submit(kind="test.count", label="Count", owner=None, params={"n": 1})
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING")
    stale = timezone.now() - timedelta(seconds=31)
    Job.objects.filter(pk=job.pk).update(state="running", worker_id="dead", heartbeat_at=stale, done=1200,
                                         total=5000)
    fresh = job_submit(kind="test.count", label="Alive", owner=None, params={"n": 1})
    Job.objects.filter(pk=fresh.pk).update(state="running", worker_id="alive", heartbeat_at=timezone.now())
    assert jobs_sweep(worker_id="dead") == 0  # a worker never takes its own job for dead
    assert jobs_sweep(worker_id="other") == 1
    job.refresh_from_db()
    assert job.state == "failed" and job.finished_at
    assert job.error == ("The worker running this job stopped before the end (it was killed or crashed) at 1,200 "
                         "of 5,000 things; what it had done was rolled back. Start it again.")
    assert DBTaskResult.objects.get(pk=job.task_id).status == "FAILED"
    assert Job.objects.get(pk=fresh.pk).state == "running"


def test_each_job_is_logged_in_one_json_line(db, kinds, caplog):
    from config.observability import JsonFormatter

    owner = make_user("ayse")
    job = job_submit(kind="test.count", label="Count", owner=owner, params={"n": 3})
    with caplog.at_level(logging.INFO, logger="haber.job"):
        run_pending()
    [record] = [r for r in caplog.records if r.name == "haber.job"]
    line = json.loads(JsonFormatter().format(record))
    assert line["job_id"] == str(job.pk) and line["kind"] == "test.count" and line["user_id"] == owner.pk
    assert line["state"] == "succeeded" and line["done"] == 3 and line["duration_ms"] >= 0 and "queries" in line


@pytest.fixture
def three_jobs(db, kinds):
    owner, other, manager, root = make_user("owner"), make_user("other"), make_user("boss"), make_user("root")
    root.is_superuser = True
    root.save()
    project = make_project("wire-news", members=[(manager, "manager"), (other, "curator")])
    mine = job_submit(kind="test.count", label="My job", owner=owner, params={"n": 1})
    projects = job_submit(kind="test.count", label="Project job", owner=owner, params={"n": 1}, project_id=project.pk)
    theirs = job_submit(kind="test.count", label="Their job", owner=other, params={"n": 1})
    return {"owner": owner, "other": other, "manager": manager, "root": root,
            "jobs": {"mine": mine, "projects": projects, "theirs": theirs}}


@pytest.mark.parametrize(("who", "sees"), [
    ("owner", {"mine", "projects"}), ("other", {"theirs"}), ("manager", {"projects"}),
    ("root", {"mine", "projects", "theirs"}),
])
def test_you_see_your_jobs_and_managers_their_projects(client, three_jobs, who, sees):
    client.force_login(three_jobs[who])
    listed = {job["label"] for job in client.get("/api/v1/jobs/").json()}
    assert listed == {three_jobs["jobs"][name].label for name in sees}
    for name, job in three_jobs["jobs"].items():
        api = client.get(f"/api/v1/jobs/{job.pk}")
        page = client.get(job.get_absolute_url())
        expected = 200 if name in sees else 404
        assert (api.status_code, page.status_code) == (expected, expected), (who, name)
    page = client.get("/jobs/").content.decode()
    assert all((three_jobs["jobs"][name].label in page) == (name in sees) for name in three_jobs["jobs"])


def test_anonymous_callers_see_no_job(client, three_jobs):
    job = three_jobs["jobs"]["mine"]
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 401
    assert client.get(job.get_absolute_url()).status_code == 302
    assert client.get("/api/v1/jobs/not-a-uuid").status_code == 404


def test_the_job_page_polls_until_the_job_has_finished(client, three_jobs, django_assert_max_num_queries):
    client.force_login(three_jobs["owner"])
    job = three_jobs["jobs"]["mine"]
    with django_assert_max_num_queries(6):
        waiting = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert waiting.lstrip().startswith(f'<section id="job-{job.pk}"') and 'hx-trigger="every 1s"' in waiting
    assert "Waiting for a worker" in waiting and "<progress" in waiting
    Job.objects.filter(pk=job.pk).update(state="running", done=40, total=160)
    running = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'value="25"' in running and '<span class="job-done">40</span>' in running
    Job.objects.filter(pk=job.pk).update(state="queued", done=0, total=None)
    run_pending()
    done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in done and "Finished" in done and "<progress" not in done


def test_old_finished_jobs_go_with_their_files_and_queue_rows(db, kinds, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    old = job_submit(kind="test.count", label="Old", owner=None, params={"n": 1})
    recent = job_submit(kind="test.count", label="Recent", owner=None, params={"n": 1})
    waiting = job_submit(kind="test.count", label="Waiting", owner=None, params={"n": 1})
    path = default_storage.save(f"exports/{old.pk}/x.jsonl", ContentFile(b"{}\n"))
    Job.objects.filter(pk=old.pk).update(state="succeeded", result={"file": path},
                                         finished_at=timezone.now() - timedelta(days=31))
    Job.objects.filter(pk=recent.pk).update(state="failed", finished_at=timezone.now() - timedelta(days=2))
    Job.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=90))
    call_command("jobs_prune", "--days", "30", verbosity=0)
    assert set(Job.objects.values_list("label", flat=True)) == {"Recent", "Waiting"}
    assert not default_storage.exists(path) and not DBTaskResult.objects.filter(pk=old.task_id).exists()
