"""Assign documents to annotators: exactly `overlap` distinct annotators per document, loads balanced,
no one twice on a document, and a re-run adds only what is missing. Reassign and unassign.

Works in chunks of document ids with bulk inserts and one upsert of the progress counters per chunk, so
that 100,000 documents take seconds and memory does not grow with the selection."""

import heapq
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotate.models import Membership, ProgressCounter, Project, Role, Task, TaskStatus, TaskTransition
from annotate.selection import DocumentFilter
from annotate.services.progress import counters_add
from corpus.services.analyze import tables_analyze
from corpus.text import grouped

CHUNK = 10_000


class AssignmentError(ValidationError):
    pass


@dataclass
class AssignReport:
    documents: int = 0
    created: int = 0
    already_complete: int = 0
    short: int = 0  # documents that could not reach the overlap with these annotators
    per_annotator: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        text = _("%(documents)s: %(tasks)s created, %(complete)s already had their annotators") % {
            "documents": _documents(self.documents),
            "tasks": ngettext("%(count)s task", "%(count)s tasks", self.created) % {"count": grouped(self.created)},
            "complete": _documents(self.already_complete)}
        if self.short:
            text += ", " + _("%(count)s could not get enough distinct annotators from this list") % {
                "count": grouped(self.short)}
        return text + "."


def _documents(count: int) -> str:
    return ngettext("%(count)s document", "%(count)s documents", count) % {"count": grouped(count)}


def annotators_resolve(project: Project, usernames: list[str]) -> list:
    """Users by name, each an annotator of the project; every unknown name is reported at once."""
    names = [u.strip() for u in usernames if u.strip()]
    if not names:
        raise AssignmentError(_("Name at least one annotator."))
    if len(set(names)) != len(names):
        raise AssignmentError(_("An annotator is named twice."))
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    unknown = [n for n in names if n not in users]
    if unknown:
        raise AssignmentError(_("Unknown user(s): %(names)s.") % {"names": ", ".join(unknown)})
    return annotators_check(project, [users[n] for n in names])


def annotators_check(project: Project, users: list) -> list:
    members = set(
        Membership.objects.filter(project=project, role=Role.ANNOTATOR, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    outsiders = [u.username for u in users if u.pk not in members]
    if outsiders:
        raise AssignmentError(_("Not annotators of project %(project)s: %(names)s.") % {
            "project": project.slug, "names": ", ".join(outsiders)})
    return users


def _loads(project: Project, users: list) -> dict[int, int]:
    rows = (
        ProgressCounter.objects.filter(project=project, annotator__in=users)
        .values("annotator")
        .annotate(total=Sum("count"))
    )
    loads = {u.pk: 0 for u in users}
    loads.update({r["annotator"]: r["total"] for r in rows})
    return loads


def _document_chunks(documents, size: int):
    """(id, collection_id) pairs in id order, a chunk at a time (keyset paging, no long-lived cursor)."""
    last = 0
    while True:
        chunk = list(documents.filter(id__gt=last).order_by("id").values_list("id", "collection_id")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


@transaction.atomic
def tasks_assign(
    *,
    project: Project,
    annotators: list,
    selection: DocumentFilter | None = None,
    overlap: int | None = None,
    by=None,
    progress=None,
) -> AssignReport:
    """Tasks for the selected documents, `overlap` annotators each, to the least loaded first; `progress(n)`
    hears of each n documents done (a background job's progress)."""
    project = Project.objects.select_for_update().get(pk=project.pk)  # one assignment per project at a time
    overlap = project.overlap if overlap is None else overlap
    annotators_check(project, annotators)
    if len({u.pk for u in annotators}) != len(annotators):
        raise AssignmentError(_("An annotator is named twice."))
    if overlap < 1:
        raise AssignmentError(_("The overlap must be at least 1."))
    if overlap > len(annotators):
        raise AssignmentError(
            _("An overlap of %(overlap)s needs at least %(overlap)s annotators; %(chosen)s were chosen.") % {
                "overlap": overlap, "chosen": len(annotators)}
        )
    documents = (selection or DocumentFilter()).documents(project, by)
    report = AssignReport()
    loads = _loads(project, annotators)
    heap = [(loads[u.pk], position, u.pk) for position, u in enumerate(annotators)]
    heapq.heapify(heap)
    names = {u.pk: u.username for u in annotators}
    now = timezone.now()
    for chunk in _document_chunks(documents, CHUNK):
        report.documents += len(chunk)
        have: dict[int, set[int]] = {}
        # a model's set (predictions, model:NAME:VERSION) is no annotator's: it never fills the overlap
        for document_id, annotator_id in Task.objects.filter(
            project=project, document_id__in=[d for d, _collection in chunk]
        ).by_people().values_list("document_id", "annotator_id"):
            have.setdefault(document_id, set()).add(annotator_id)
        new_tasks, deltas = [], Counter()
        for document_id, collection_id in chunk:
            present = have.get(document_id, set())
            need = overlap - len(present)
            if need <= 0:
                report.already_complete += 1
                continue
            chosen, passed = [], []
            while heap and len(chosen) < need:
                entry = heapq.heappop(heap)
                (passed if entry[2] in present else chosen).append(entry)
            if len(chosen) < need:
                report.short += 1
            for load, position, user_id in chosen:
                heapq.heappush(heap, (load + 1, position, user_id))
                new_tasks.append(
                    Task(
                        project=project,
                        document_id=document_id,
                        collection_id=collection_id,
                        annotator_id=user_id,
                        assigned_at=now,
                        assigned_by=by,
                    )
                )
                deltas[(user_id, collection_id, TaskStatus.ASSIGNED)] += 1
                report.per_annotator[names[user_id]] += 1
            for entry in passed:
                heapq.heappush(heap, entry)
        Task.objects.bulk_create(new_tasks, batch_size=2000)
        counters_add(project.pk, deltas)
        report.created += len(new_tasks)
        if progress is not None:
            progress(len(chunk))
    tables_analyze(Task, written=report.created)
    return report


@dataclass
class MoveReport:
    moved: int = 0
    started: int = 0  # started tasks among those moved or removed (their annotations go with them)
    kept: int = 0  # tasks left where they were (the target has the document already, or started tasks kept)
    why: str = ""  # when nothing moved: why not, in words

    def summary(self, verb: str) -> str:
        if verb == "moved":
            text = ngettext("%(count)s task moved", "%(count)s tasks moved", self.moved)
        else:
            text = ngettext("%(count)s task removed", "%(count)s tasks removed", self.moved)
        text %= {"count": grouped(self.moved)}
        if not self.moved and self.why:
            text += f" ({self.why})"
        if self.started:
            text += "; " + _("warning: %(count)s of them had been started, and their annotations went with them") % {
                "count": grouped(self.started)}
        if self.kept:
            text += "; " + _("%(count)s left in place") % {"count": grouped(self.kept)}
        return text + "."


def _open_tasks(project, annotator, selection, task_ids=None):
    tasks = Task.objects.open().filter(project=project, annotator=annotator)
    if task_ids is not None:
        tasks = tasks.filter(id__in=list(task_ids))
    if selection is not None:
        tasks = tasks.filter(document__in=selection.documents(project))
    return tasks


def _subtract(project, rows) -> None:
    deltas = Counter()
    seconds = Counter()
    for annotator_id, collection_id, status, secs in rows:
        deltas[(annotator_id, collection_id, status)] -= 1
        seconds[(annotator_id, collection_id, status)] -= secs
    counters_add(project.pk, deltas, seconds)


@transaction.atomic
def tasks_reassign(
    *, project: Project, from_annotator, to_annotator, selection: DocumentFilter | None = None, by=None
) -> MoveReport:
    """Move the open tasks of one annotator to another; documents the target already has stay put."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if from_annotator.pk == to_annotator.pk:
        raise AssignmentError(_("Choose two different annotators."))
    annotators_check(project, [to_annotator])
    report = MoveReport()
    tasks = _open_tasks(project, from_annotator, selection)
    taken = Task.objects.filter(project=project, annotator=to_annotator).values("document_id")
    report.kept = tasks.filter(document_id__in=taken).count()
    rows = list(
        tasks.exclude(document_id__in=taken).values_list(
            "id", "annotator_id", "collection_id", "status", "seconds_spent"
        )
    )
    ids = [r[0] for r in rows]
    now, comment = timezone.now(), _("reassigned from %(source)s to %(target)s") % {
        "source": from_annotator.username, "target": to_annotator.username}
    for i in range(0, len(ids), CHUNK):
        Task.objects.filter(id__in=ids[i : i + CHUNK]).update(annotator=to_annotator)
    TaskTransition.objects.bulk_create(
        [
            TaskTransition(task_id=r[0], from_status=r[3], to_status=r[3], by=by, at=now, comment=comment)
            for r in rows
        ],
        batch_size=2000,
    )
    _subtract(project, [r[1:] for r in rows])
    counters_add(
        project.pk, Counter((to_annotator.pk, r[2], r[3]) for r in rows), _seconds(to_annotator.pk, rows)
    )
    report.moved = len(rows)
    report.started = sum(1 for r in rows if r[3] == TaskStatus.IN_PROGRESS)
    if not rows:
        report.why = _why_nothing_moved(project, from_annotator, to_annotator, selection, report.kept)
    return report


def _why_nothing_moved(project, source, target, selection, kept: int) -> str:
    if kept:
        if kept == 1:
            return _("%(user)s already has that document") % {"user": target.username}
        return _("%(user)s already has all %(count)s of those documents") % {"user": target.username, "count": kept}
    mine = Task.objects.filter(project=project, annotator=source)
    if not mine.open().exists():
        done = mine.exclude(status__in=(TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)).count()
        text = _("%(user)s has no open task in this project") % {"user": source.username}
        if done:
            text += "; " + ngettext("%(count)s finished task stays with who did them",
                                    "%(count)s finished tasks stay with who did them", done) % {"count": done}
        return text
    return _("none of %(user)s's open tasks is among the chosen documents (%(selection)s)") % {
        "user": source.username, "selection": selection.describe()}


def _seconds(annotator_id, rows) -> Counter:
    seconds = Counter()
    for r in rows:
        seconds[(annotator_id, r[2], r[3])] += r[4]
    return seconds


@transaction.atomic
def tasks_unassign(
    *,
    project: Project,
    annotator,
    selection: DocumentFilter | None = None,
    task_ids=None,
    include_started: bool = False,
) -> MoveReport:
    """Remove open tasks of an annotator. Started tasks stay unless include_started (their annotations go)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    report = MoveReport()
    tasks = _open_tasks(project, annotator, selection, task_ids)
    if not include_started:
        report.kept = tasks.filter(status=TaskStatus.IN_PROGRESS).count()
        tasks = tasks.filter(status=TaskStatus.ASSIGNED)
    rows = list(tasks.values_list("id", "annotator_id", "collection_id", "status", "seconds_spent"))
    ids = [r[0] for r in rows]
    for i in range(0, len(ids), CHUNK):
        Task.objects.filter(id__in=ids[i : i + CHUNK]).delete()
    _subtract(project, [r[1:] for r in rows])
    report.moved = len(rows)
    report.started = sum(1 for r in rows if r[3] == TaskStatus.IN_PROGRESS)
    return report
