"""A task's life: assigned → in progress → submitted or skipped; reopened by a curator or manager.

Every transition writes a TaskTransition (who, when, why) and moves the task in the progress counters.
Time spent is counted per sitting, from opening the task to submitting or skipping it, at most
SITTING_CAP per sitting so that a tab left open overnight does not count the night."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotate.models import Task, TaskStatus, TaskTransition
from annotate.services.constraints import incomplete_events
from annotate.services.progress import task_moved

SITTING_CAP = dt.timedelta(minutes=60)


class TransitionError(ValidationError):
    pass


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _record(task: Task, old_status: str, old_seconds: int, by, comment: str = "") -> None:
    TaskTransition.objects.create(
        task=task, from_status=old_status, to_status=task.status, by=by, at=timezone.now(), comment=comment
    )
    task_moved(task, old_status, old_seconds)


def _close_sitting(task: Task, now) -> None:
    if task.opened_at:
        task.seconds_spent += int(min(now - task.opened_at, SITTING_CAP).total_seconds())
        task.opened_at = None


@transaction.atomic
def task_open(*, task: Task, by) -> Task:
    """The annotator opens the task: assigned → in progress (the first time); starts a sitting."""
    task = _locked(task)
    if task.annotator_id != by.pk:
        raise TransitionError("Only the task's annotator can work on it.")
    if not task.is_open:
        return task
    now = timezone.now()
    old_status, old_seconds = task.status, task.seconds_spent
    task.opened_at = task.opened_at or now
    if task.status == TaskStatus.ASSIGNED:
        task.status, task.started_at = TaskStatus.IN_PROGRESS, now
        task.save(update_fields=["status", "started_at", "opened_at"])
        _record(task, old_status, old_seconds, by)
    else:
        task.save(update_fields=["opened_at"])
    return task


def _finish(task: Task, by, status: str, reason: str = "") -> Task:
    task = _locked(task)
    if task.annotator_id != by.pk:
        raise TransitionError("Only the task's annotator can submit or skip it.")
    if not task.is_open:
        raise TransitionError(f"This task is already {task.get_status_display().lower()}.")
    now = timezone.now()
    old_status, old_seconds = task.status, task.seconds_spent
    if task.status == TaskStatus.ASSIGNED:
        task.started_at = now
    _close_sitting(task, now)
    task.status, task.finished_at, task.skip_reason = status, now, reason
    task.reopened_at, task.reopened_by, task.review_comment = None, None, ""  # the history keeps them
    task.save(
        update_fields=["status", "started_at", "opened_at", "finished_at", "skip_reason", "seconds_spent",
                       "reopened_at", "reopened_by", "review_comment"]
    )
    _record(task, old_status, old_seconds, by, reason)
    return task


@transaction.atomic
def task_submit(*, task: Task, by) -> Task:
    problems = incomplete_events(task)
    if problems:
        raise TransitionError("Fill the required roles before submitting: " + "; ".join(problems) + ".")
    return _finish(task, by, TaskStatus.SUBMITTED)


@transaction.atomic
def task_note(*, task: Task, by, flag: str, comment: str) -> Task:
    """The annotator's flag ("bad document", "unsure") and comment for the curator."""
    task = _locked(task)
    if task.annotator_id != by.pk:
        raise TransitionError("Only the task's annotator can flag it.")
    if flag not in {"", "bad_document", "unsure"}:
        raise TransitionError(f"Unknown flag {flag!r}.")
    task.flag, task.comment = flag, (comment or "").strip()[:5000]
    task.save(update_fields=["flag", "comment"])
    return task


@transaction.atomic
def task_skip(*, task: Task, by, reason: str) -> Task:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("Say why you skip the task (a bad document, another language, …).")
    return _finish(task, by, TaskStatus.SKIPPED, reason[:500])


@transaction.atomic
def task_reopen(*, task: Task, by, comment: str) -> Task:
    """A curator or manager sends a submitted or skipped task back to its annotator (the view checks the role)."""
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError("Say why the task is reopened; the annotator will read it.")
    task = _locked(task)
    if task.is_open:
        raise TransitionError("This task is not submitted or skipped, so there is nothing to reopen.")
    old_status, old_seconds = task.status, task.seconds_spent
    task.status, task.finished_at, task.skip_reason = TaskStatus.IN_PROGRESS, None, ""
    task.reopened_at, task.reopened_by, task.review_comment = timezone.now(), by, comment[:2000]
    task.save(update_fields=["status", "finished_at", "skip_reason", "reopened_at", "reopened_by", "review_comment"])
    _record(task, old_status, old_seconds, by, comment)
    return task
