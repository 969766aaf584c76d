"""A task's life: assigned → in progress → submitted or skipped; reopened by a curator or manager; a
submission taken back by its annotator while no curator has started on the document.

Every transition writes a TaskTransition (who, when, why) and moves the task in the progress counters.
Opening a task changes nothing: its first change starts it (task_started, from annotation_apply). Time
spent is counted per sitting, from the first change of a sitting to submitting or skipping, at most
SITTING_CAP per sitting so that a tab left open overnight does not count the night."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from annotate.models import Task, TaskStatus, TaskTransition
from annotate.rows import annotation_rows
from annotate.schema_cache import project_schema
from annotate.services.constraints import incomplete_events
from annotate.services.progress import task_moved
from annotate.suggestions import suggestions_for, suggestions_shown

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
    """Start the task and a sitting as its first change would (for scripts and benches: the page does not
    call this, opening a task changes nothing)."""
    task = _locked(task)
    if task.annotator_id != by.pk:
        raise TransitionError(_("Only the task's annotator can work on it."))
    return task_started(task, by) if task.is_open else task


def task_started(task: Task, by) -> Task:
    """The first change of a sitting (the caller holds the task's lock): assigned → in progress the first
    time, and the sitting's clock starts. Opening the page does not do this: looking is not working."""
    if task.status != TaskStatus.ASSIGNED and task.opened_at is not None:
        return task
    now = timezone.now()
    old_status, old_seconds = task.status, task.seconds_spent
    task.opened_at = task.opened_at or now
    if task.status == TaskStatus.ASSIGNED:
        task.status, task.started_at = TaskStatus.IN_PROGRESS, now
        Task.objects.filter(pk=task.pk).update(status=task.status, started_at=now, opened_at=task.opened_at)
        _record(task, old_status, old_seconds, by)
    else:
        Task.objects.filter(pk=task.pk).update(opened_at=task.opened_at)
    return task


def _finish(task: Task, by, status: str, reason: str = "") -> Task:
    task = _locked(task)
    if task.annotator_id != by.pk:
        raise TransitionError(_("Only the task's annotator can submit or skip it."))
    if not task.is_open:
        raise TransitionError(_("This task is already %(status)s.") % {"status": str(task.get_status_display()).lower()})
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


class SubmitQuestion(TransitionError):
    """A submission that may be a slip (nothing marked, suggestions left unsettled, required roles empty):
    the page asks once, and a confirmed submission goes through."""


def submit_doubts(task: Task) -> list[str]:
    """Why a submission may be a slip, in words for the annotator (empty: nothing to ask)."""
    doubts = []
    marks = annotation_rows(task.pk, all_events=False).marks()
    if not marks:
        doubts.append(_("nothing is marked in this document"))
    if suggestions_shown(task, task.annotator_id):
        labels = {lab.pk: lab for lab in project_schema(task.project)[0]}
        left = len(suggestions_for(task, own=marks, labels=labels))
        if left:
            doubts.append(ngettext("%(count)s suggestion is neither accepted nor rejected",
                                   "%(count)s suggestions are neither accepted nor rejected", left) % {"count": left})
    if problems := incomplete_events(task):
        doubts.append(_("required roles are empty: %(roles)s") % {"roles": "; ".join(problems)})
    return doubts


@transaction.atomic
def task_submit(*, task: Task, by, confirm: bool | None = None) -> Task:
    """Submit. A person at the page (`confirm` False) is asked once about a likely slip (SubmitQuestion
    naming why) and then confirms (`confirm` True: submitted as it is, empty roles too). Without a person
    (`confirm` None: imports, the demo, scripts) empty required roles refuse the submission."""
    if confirm is None:
        if problems := incomplete_events(task):
            raise TransitionError(_("Fill the required roles before submitting: %(problems)s.") % {"problems": "; ".join(problems)})
    elif not confirm and (doubts := submit_doubts(task)):
        raise SubmitQuestion(_("Submit anyway? %(doubts)s.") % {"doubts": sentence_start("; ".join(doubts))})
    return _finish(task, by, TaskStatus.SUBMITTED)


@transaction.atomic
def task_unsubmit(*, task: Task, by) -> Task:
    """The annotator takes a submission back (submitted → in progress) while no curator has started on the
    document (no gold set of it yet): after that the curator works from it."""
    task = _locked(task)
    if task.annotator_id != by.pk:
        raise TransitionError(_("Only the task's annotator can take back its submission."))
    if task.status != TaskStatus.SUBMITTED:
        raise TransitionError(_("This task is not submitted, so there is nothing to take back."))
    if Task.gold_sets.filter(project_id=task.project_id, document_id=task.document_id).exists():
        raise TransitionError(_("A curator has started on this document, so the submission stays; ask them to "
                                "send the task back."))
    old_status, old_seconds = task.status, task.seconds_spent
    task.status, task.finished_at = TaskStatus.IN_PROGRESS, None
    task.save(update_fields=["status", "finished_at"])
    _record(task, old_status, old_seconds, by, "Submission taken back")
    return task


@transaction.atomic
def task_note(*, task: Task, by, flag: str, comment: str) -> Task:
    """The annotator's flag ("bad document", "unsure") and comment for the curator."""
    task = _locked(task)
    if task.annotator_id != by.pk:
        raise TransitionError(_("Only the task's annotator can flag it."))
    if flag not in {"", "bad_document", "unsure"}:
        raise TransitionError(_("Unknown flag %(flag)r.") % {"flag": flag})
    task.flag, task.comment = flag, (comment or "").strip()[:5000]
    task.save(update_fields=["flag", "comment"])
    return task


@transaction.atomic
def task_skip(*, task: Task, by, reason: str) -> Task:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Say why you skip the task (a bad document, another language, …)."))
    return _finish(task, by, TaskStatus.SKIPPED, reason[:500])


@transaction.atomic
def task_reopen(*, task: Task, by, comment: str) -> Task:
    """A curator or manager sends a submitted or skipped task back to its annotator (the view checks the role)."""
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError(_("Say why the task is reopened; the annotator will read it."))
    task = _locked(task)
    if task.is_open:
        raise TransitionError(_("This task is not submitted or skipped, so there is nothing to reopen."))
    old_status, old_seconds = task.status, task.seconds_spent
    task.status, task.finished_at, task.skip_reason = TaskStatus.IN_PROGRESS, None, ""
    task.reopened_at, task.reopened_by, task.review_comment = timezone.now(), by, comment[:2000]
    task.save(update_fields=["status", "finished_at", "skip_reason", "reopened_at", "reopened_by", "review_comment"])
    _record(task, old_status, old_seconds, by, comment)
    return task


def sentence_start(text: str) -> str:
    """The text with its first letter in capitals, the rest as it is (a label such as PER stays PER); in
    Turkish, i becomes İ."""
    first = "İ" if text[:1] == "i" and get_language() == "tr" else text[:1].upper()
    return first + text[1:]
