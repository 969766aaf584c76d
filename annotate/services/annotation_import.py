"""Annotation sets in: the records of a sets reader (readers: our JSONL, doccano, Label Studio), filed as
submitted work.

Each record is checked alone (set_parsing), then written a batch at a time: the batch's documents found by
their text hash in one query (or created in the given collection through the corpus import, one call per
batch, so they get tokens like any other), the user's existing tasks in one query, and tasks, history,
spans, events and arguments by bulk inserts. All or nothing unless skip_invalid: after the first problem
the rest of the file is only checked, to report every problem, and nothing is written."""

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import batched

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotate.models import (
    Event,
    EventArgument,
    EventRole,
    Label,
    Layer,
    Span,
    Task,
    TaskStatus,
    TaskTransition,
)
from corpus.formats.sources import InputFile
from corpus.models import Document
from corpus.services import documents_import

from .progress import counters_add
from .schema import label_create_imported
from .set_parsing import PreparedSet, Schema, set_parse

BATCH_SIZE = 500


@dataclass
class AnnotationImportReport:
    imported: int = 0
    skipped: int = 0  # sets the user already has for that document
    documents_created: int = 0
    labels_created: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was done that the importer should know
    committed: bool = True

    def summary(self) -> str:
        text = (f"Imported {self.imported} annotation sets ({self.documents_created} new documents), "
                f"{self.skipped} already there, {len(self.problems)} rejected.")
        return text + ("" if self.committed else " Nothing was written (use --skip-invalid to import the rest).")


class _Rollback(Exception):
    pass


def task_history_imported(task: Task, old_status: str, by, source: str, now) -> TaskTransition:
    """The history entry of an imported set: who imported it, from what."""
    who = f" by {by.get_username()}" if by is not None else " on the command line"
    return TaskTransition(task=task, from_status=old_status or "", to_status=TaskStatus.SUBMITTED, by=by, at=now,
                          comment=f"Imported{who}" + (f" from {source}" if source else ""))


@transaction.atomic
def annotations_import(*, project, records, user, by=None, source: str = "", collection=None,
                       create_labels: bool = False, skip_invalid: bool = False) -> AnnotationImportReport:
    """The sets of `records` ((number, record) or (number, problem), as a sets reader yields them) filed as
    `user`'s submitted work (the caller checked that `user` annotates the project); `by` (who imported
    them) and `source` go into each task's history."""
    report = AnnotationImportReport()
    schema = Schema(
        labels={(lab.layer, lab.name): lab for lab in Label.objects.filter(project=project, retired=False)},
        roles={(r.event_type_id, r.name): r for r in EventRole.objects.filter(event_type__project=project,
                                                                               retired=False)},
        create_labels=create_labels,
    )
    writer = _BatchWriter(project, user, by, source, collection, schema, report, skip_invalid)
    try:
        with transaction.atomic():
            for batch in batched(records, BATCH_SIZE):
                prepared = []
                for number, record in batch:
                    result = record if isinstance(record, str) else set_parse(number, record, schema)
                    if isinstance(result, PreparedSet):
                        prepared.append(result)
                    else:
                        report.problems.extend([result] if isinstance(result, str) else result)
                writer.write(prepared, check_only=bool(report.problems) and not skip_invalid)
            if report.problems and not skip_invalid:
                raise _Rollback
    except _Rollback:
        report.imported = report.documents_created = report.skipped = 0
        report.labels_created = []
        report.committed = False
    return report


class _BatchWriter:
    def __init__(self, project, user, by, source, collection, schema: Schema, report: AnnotationImportReport,
                 skip_invalid: bool):
        self.project, self.user, self.by, self.source, self.collection = project, user, by, source, collection
        self.schema, self.report, self.skip_invalid = schema, report, skip_invalid
        self.allowed = set(project.collections.values_list("pk", flat=True))
        self.done: set[int] = set()  # documents this import has filed a set for

    def _documents(self, shas) -> dict[str, tuple[int, int]]:
        """(document id, collection id) by text hash, in the project's collections: one query."""
        found = {}
        rows = (Document.objects.filter(collection_id__in=self.allowed, text_sha256__in=set(shas))
                .order_by("-repeat", "-id").values_list("text_sha256", "id", "collection_id"))
        for sha, pk, collection_id in rows:
            found[sha] = (pk, collection_id)  # the first copy (lowest repeat, then oldest) wins
        return found

    def _create(self, missing: list[PreparedSet]) -> None:
        """The documents of `missing` created in the import's collection by the corpus import, one call."""
        unique = list({p.sha: p for p in reversed(missing)}.values())[::-1]
        lines = []
        for p in unique:
            fields = {k: p.record[k] for k in ("title", "url", "language", "meta") if p.record.get(k)}
            fields |= {"text": p.text, "id": p.record.get("external_id") or f"imported-{p.number}"}
            lines.append(json.dumps(fields, ensure_ascii=False))
        raw = "\n".join(lines).encode()
        result = documents_import(collection=self.collection, skip_invalid=True,
                                  inputs=[InputFile("annotations.jsonl", len(raw), io.BytesIO(raw))])
        for problem in result.rejected:
            p = unique[problem.line - 1] if problem.line and problem.line <= len(unique) else unique[0]
            self.report.problems.append(f"line {p.number}: the document could not be created: {problem.message}")
        self.report.documents_created += result.imported
        if result.imported:
            self.project.collections.add(self.collection)
            self.allowed.add(self.collection.pk)

    def write(self, prepared: list[PreparedSet], check_only: bool) -> None:
        report = self.report
        documents = self._documents(p.sha for p in prepared)
        missing = [p for p in prepared if p.sha not in documents]
        if missing and self.collection is None:
            report.problems.extend(f"line {p.number}: the document is not in the project's collections; name a "
                                   "collection to create it in" for p in missing)
            return
        if check_only:
            return
        if missing:
            self._create(missing)
            documents |= self._documents(p.sha for p in missing)
        if report.problems and not self.skip_invalid:
            return  # a document could not be created: nothing will be written
        self._file([p for p in prepared if p.sha in documents], documents)

    def _file(self, prepared: list[PreparedSet], documents) -> None:
        report, now = self.report, timezone.now()
        ids = {documents[p.sha][0] for p in prepared}
        tasks = {doc: (pk, status, has_spans) for doc, pk, status, has_spans in
                 Task.objects.filter(project=self.project, annotator=self.user, document_id__in=ids)
                 .annotate(has_spans=Exists(Span.objects.filter(task=OuterRef("pk"))))
                 .values_list("document_id", "id", "status", "has_spans")}
        sets, fresh, reopened, deltas = [], [], [], Counter()
        for p in prepared:
            doc, collection_id = documents[p.sha]
            if doc in self.done or tasks.get(doc, (0, "", False))[2]:
                report.skipped += 1
                continue
            self.done.add(doc)
            if doc in tasks:
                task = Task(pk=tasks[doc][0], project=self.project, document_id=doc, collection_id=collection_id)
                reopened.append((task, tasks[doc][1]))
                deltas[(self.user.pk, collection_id, tasks[doc][1])] -= 1
            else:
                task = Task(project=self.project, document_id=doc, collection_id=collection_id, annotator=self.user,
                            assigned_at=now, status=TaskStatus.SUBMITTED, started_at=now, finished_at=now)
                fresh.append(task)
            deltas[(self.user.pk, collection_id, TaskStatus.SUBMITTED)] += 1
            sets.append((p, task))
        Task.objects.bulk_create(fresh)
        Task.objects.filter(pk__in=[t.pk for t, _old in reopened]).update(status=TaskStatus.SUBMITTED,
                                                                          finished_at=now)
        old = {t.pk: status for t, status in reopened}
        TaskTransition.objects.bulk_create(
            [task_history_imported(task, old.get(task.pk, ""), self.by, self.source, now) for _p, task in sets])
        spans = Span.objects.bulk_create(
            [Span(task=task, client_id=client_id, label=self._label(label), start=start, end=end)
             for p, task in sets for client_id, label, start, end in p.spans], batch_size=2000)
        span_ids = {(s.task_id, s.client_id): s.pk for s in spans}
        events = Event.objects.bulk_create(
            [Event(task=task, client_id=client_id, event_type=kind, start=start, end=end)
             for p, task in sets for client_id, kind, start, end, _args in p.events], batch_size=2000)
        arguments = (args for p, _task in sets for *_rest, args in p.events)
        EventArgument.objects.bulk_create(
            [EventArgument(event=event, role=role, span_id=span_ids[(event.task_id, target)])
             for event, args in zip(events, arguments, strict=True) for role, target in args], batch_size=2000)
        counters_add(self.project.pk, deltas)
        report.imported += len(sets)

    def _label(self, label):
        """A label, or the one create_labels adds for ("new", name) (once per name)."""
        if not isinstance(label, tuple):
            return label
        name = label[1]
        if (Layer.ENTITY, name) not in self.schema.labels:
            self.schema.labels[(Layer.ENTITY, name)] = label_create_imported(
                project=self.project, name=name, position=len(self.schema.labels))
            self.report.labels_created.append(name)
        return self.schema.labels[(Layer.ENTITY, name)]


def predictions_user(name: str):
    """A user that stands for a model's predictions (MODEL:VERSION); it cannot log in."""
    username = f"model:{name}"[:150]
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    return user
