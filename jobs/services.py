"""Writes on jobs: job_submit (a request hands work to the workers), job_run (a worker does it),
jobs_sweep (a worker fails the jobs whose worker died), jobs_prune (old jobs and their files go) and
worker_beat (a worker says it is alive)."""

import logging
import os
import socket
import time
from functools import partial
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.observability import QueryCount

from .models import Job, JobState, WorkerBeat
from .progress import Heartbeat, Progress
from .registry import JobCancelled, JobError, kind_get

job_log = logging.getLogger("haber.job")
JOBS_CHANNEL = "haber_jobs"  # NOTIFY on it when a job is queued; idle workers LISTEN (jobs/worker.py)

# The messages a job's page shows, in the language of the person who started it (Job.language, job_message).
WORKER_GONE = gettext_noop("The worker running this job stopped before the end (it was killed or crashed) at "
                           "%(done)s %(unit)s; what it had done was rolled back. Start it again.")
UNEXPECTED = gettext_noop("The job stopped on an unexpected error (%(name)s); it was logged. What it had done was "
                          "rolled back.")
CANCELLED = gettext_noop("Cancelled at %(done)s %(unit)s, as asked; what it had not finished was not kept.")
DATABASE_LOST = gettext_noop("The database could not be reached while this job ran (at %(done)s %(unit)s); what it "
                             "had done was rolled back. Start it again.")


def job_language(job: Job):
    """The language the job writes its messages and results in: that of the person who started it."""
    language = job.language if job.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    return translation.override(language)


def job_message(job: Job, template: str, *, done: int, total: int | None = None, **values) -> str:
    """One of the messages above, in the job's language, its progress filled in ("1,200 of 5,000 articles")."""
    with job_language(job):
        count = f"{done:,}" if total is None else _("%(done)s of %(total)s") % {
            "done": f"{done:,}", "total": f"{total:,}"}
        return _(template) % {"done": count, "unit": job.unit_display, **values}


@transaction.atomic
def job_submit(*, kind: str, label: str, owner, params: dict, project_id: int | None = None, files=()) -> Job:
    """A queued job: its row, its uploaded `files` copied to storage (a worker on another machine reads them
    there: MEDIA_ROOT is shared, docs/deploy.md), and its task in the queue, all in one transaction."""
    from .tasks import run_job

    job_kind = kind_get(kind)  # an unknown kind is refused before anything is written
    job = Job(kind=kind, label=label[:300], owner=owner if owner and owner.is_authenticated else None,
              project_id=project_id, params=dict(params), unit=job_kind.unit,
              language=translation.get_language() or "")  # the request's: the job writes in it
    stored = []
    try:
        for number, upload in enumerate(files):
            name = PurePosixPath(upload.name).name or f"file-{number}"
            upload.seek(0)
            path = default_storage.save(f"jobs/{job.pk}/{number:04d}-{name}", upload)
            stored.append({"name": name, "path": path, "size": upload.size})
    except OSError:  # a full disk: the transaction writes no job, and no file of it stays behind
        for name in default_storage.listdir(f"jobs/{job.pk}")[1] if default_storage.exists(f"jobs/{job.pk}") else []:
            default_storage.delete(f"jobs/{job.pk}/{name}")
        raise
    if stored:
        job.params["files"] = stored
    job.save()
    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    if connection.vendor == "postgresql":  # wakes an idle worker when this transaction commits (worker.Listener)
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {JOBS_CHANNEL}")
    return job


def job_files(job: Job):
    """The job's stored files as (name, size, opener) for the kinds that read uploads: each call of
    opener() opens the file anew, from the beginning."""
    for entry in job.params.get("files", []):
        yield entry["name"], entry["size"], partial(default_storage.open, entry["path"], "rb")


def _files_delete(job: Job) -> None:
    for entry in job.params.get("files", []):
        try:
            default_storage.delete(entry["path"])
        except OSError:
            job_log.warning("job %s: could not delete %s", job.pk, entry["path"])


def job_run(*, job_id: str, worker_id: str) -> str:
    """Claim the queued job and run it. The claim is one conditional UPDATE, so of two workers handed the
    same job only one runs it; the other returns "taken". Returns the job's final state."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, worker_id=worker_id[:64], started_at=now, heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "taken"
    job = Job.objects.get(pk=job_id)
    progress = Progress(write=lambda done, total: Job.objects.filter(pk=job.pk, worker_id=job.worker_id).update(
        done=done, total=total, heartbeat_at=timezone.now()))
    progress.cancelled = job.cancel_requested  # asked to stop between its claim and now
    beat = Heartbeat(job.pk, job.worker_id, progress)
    beat.start()
    counter, started = QueryCount(), time.perf_counter()
    state, result, error = JobState.FAILED, None, ""
    try:
        with connection.execute_wrapper(counter), job_language(job):
            result = kind_get(job.kind).run(job, progress)
        state = JobState.SUCCEEDED
    except JobCancelled:
        state = JobState.CANCELLED
        error = job_message(job, CANCELLED, done=progress.done)
    except JobError as failure:
        error = str(failure)
    except BaseException as failure:  # SystemExit from a second Ctrl+C included: the job is not left running
        job_log.exception("job %s (%s) failed", job.pk, job.kind, extra={"job_id": str(job.pk), "kind": job.kind})
        error = job_message(job, UNEXPECTED, done=0, name=type(failure).__name__)
        if not isinstance(failure, Exception):
            raise
    finally:
        beat.stop()
        done, total = progress.snapshot()
        Job.objects.filter(pk=job.pk, state=JobState.RUNNING, worker_id=job.worker_id).update(
            state=state, result=result, error=error, done=done, total=total if total is not None else done,
            finished_at=timezone.now(), heartbeat_at=timezone.now(),
        )
        _files_delete(job)
        job_log.info(
            "job %s %s %s", job.pk, job.kind, state,
            extra={"job_id": str(job.pk), "kind": job.kind, "user_id": job.owner_id, "state": str(state),
                   "done": done, "total": total, "worker_id": job.worker_id,
                   "duration_ms": round((time.perf_counter() - started) * 1000, 2), "queries": counter.count},
        )
    return state


def job_cancel(*, job: Job, by) -> Job:
    """Ask a job to stop. A queued job is cancelled at once (no worker will claim it: the claim wants a queued
    row); a running one is flagged, and a kind that can stop part-way stops at its next step (the heartbeat
    tells it). A running job of a kind that cannot stop is refused with JobError, and so is a finished one."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    with transaction.atomic():
        if Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
                state=JobState.CANCELLED, cancel_requested=True, cancelled_by=by, finished_at=now,
                error=_("Cancelled by %(who)s before it started.") % {"who": by.get_username()}):
            if job.task_id:
                DBTaskResult.objects.filter(pk=job.task_id, status="READY").update(
                    status="FAILED", finished_at=now, exception_class_path="jobs.services.Cancelled")
            _files_delete(job)
        elif job.state == JobState.RUNNING and not kind_get(job.kind).cancellable:
            raise JobError(_("This kind of job cannot stop part-way; it ends by itself (its work is one "
                             "transaction)."))
        elif not Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(cancel_requested=True,
                                                                                 cancelled_by=by):
            raise JobError(_("This job has already finished."))
    job.refresh_from_db()
    return job


def _running_job_fail(job: Job, *, template: str, reason: str, now, **still) -> bool:
    """Mark a running job failed with `template`'s message (its progress filled in), and its queue entry,
    provided it still matches `still` (the row as it was read); its files go. True when it was failed."""
    from django_tasks_db.models import DBTaskResult

    message = job_message(job, template, done=job.done, total=job.total or None)
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, **still).update(
            state=JobState.FAILED, error=message, finished_at=now)
        if updated and job.task_id:
            DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path=f"jobs.services.{reason}", traceback=message)
    if updated:
        _files_delete(job)
        job_log.warning("job %s %s failed: %s", job.pk, job.kind, reason,
                        extra={"job_id": str(job.pk), "kind": job.kind, "state": "failed",
                               "worker_id": job.worker_id, "done": job.done, "total": job.total})
    return bool(updated)


def jobs_sweep(*, worker_id: str = "", seconds: float | None = None) -> int:
    """Fail the running jobs whose heartbeat stopped (their worker is gone), and their queue entries, so that
    nobody waits on them. Never this worker's own job (`worker_id`): it is alive, this code runs in it."""
    seconds = settings.JOBS_STALE_SECONDS if seconds is None else seconds
    now = timezone.now()
    return sum(_running_job_fail(job, template=WORKER_GONE, reason="WorkerGone", now=now,
                                 heartbeat_at=job.heartbeat_at)
               for job in Job.objects.stale(seconds=seconds, now=now).exclude(worker_id=worker_id))


def jobs_cut_fail(*, worker_id: str) -> int:
    """Fail the jobs this worker was running when the database went away (called by the worker once it
    answers again, with no job at hand): the outage rolled their work back, so nobody waits on them, and
    their page says what happened. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    failed = sum(_running_job_fail(job, template=DATABASE_LOST, reason="DatabaseLost", now=now)
                 for job in Job.objects.filter(state=JobState.RUNNING, worker_id=worker_id[:64]))
    # Every queue entry this worker holds as running was cut as well (it has no job at hand while this runs).
    held = [pk for pk, ids in DBTaskResult.objects.filter(status="RUNNING").values_list("pk", "worker_ids")
            if worker_id in (ids or [])]
    DBTaskResult.objects.filter(pk__in=held, status="RUNNING").update(
        status="FAILED", finished_at=now, exception_class_path="jobs.services.DatabaseLost",
        traceback="The database could not be reached while this job ran.")
    return failed


def jobs_prune(*, before) -> int:
    """Delete the jobs that finished before `before`, the files they wrote (an export's) and their queue
    rows; returns how many. Running and queued jobs are never touched."""
    from django_tasks_db.models import DBTaskResult

    old = list(Job.objects.filter(state__in=[JobState.SUCCEEDED, JobState.FAILED], finished_at__lt=before))
    for job in old:
        _files_delete(job)
        if path := (job.result or {}).get("file"):  # an export's file
            try:
                default_storage.delete(path)
            except OSError:
                job_log.warning("job %s: could not delete %s", job.pk, path)
    with transaction.atomic():
        DBTaskResult.objects.filter(pk__in=[job.task_id for job in old if job.task_id]).delete()
        Job.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)


def worker_beat(*, worker_id: str) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id[:64], defaults={"host": socket.gethostname()[:200], "pid": os.getpid(),
                                            "seen_at": timezone.now()})
