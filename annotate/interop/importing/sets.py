"""Annotation sets in: the records of a sets reader (readers: our JSONL, doccano, Label Studio), filed as
submitted work.

Each record is checked alone (set_parsing), then written a batch at a time: the batch's documents found by
their text hash in one query (or created in the given collection through the corpus import, one call per
batch, so they get tokens like any other), the user's existing tasks in one query, and tasks, history,
spans, events and arguments by bulk inserts. All or nothing unless skip_invalid: after the first problem
the rest of the file is only checked, to report every problem, and nothing is written."""

import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import batched

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotate.bulk_rows import foreign_keys_per_statement, rows_copy_text, rows_insert, rows_insert_returning
from annotate.interop.importing.prediction_checks import edge_problems, token_edges
from annotate.interop.importing.read_ahead import ReadAhead
from annotate.interop.importing.set_parsing import PreparedSet, Schema, set_parse
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
from annotate.services.progress import counters_add
from annotate.services.schema import label_create_imported
from corpus.formats.base import ImportProblem, ProblemError, RawArticle
from corpus.formats.jsonl import article_from_object
from corpus.models import Document
from corpus.services import documents_import
from corpus.services.analyze import tables_analyze
from corpus.services.importing import nothing_written
from corpus.text import grouped

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
        text = _("Imported %(sets)s (%(documents)s), %(skipped)s already there, %(rejected)s rejected.") % {
            "sets": ngettext("%(count)s annotation set", "%(count)s annotation sets", self.imported) % {
                "count": grouped(self.imported)},
            "documents": ngettext("%(count)s new document", "%(count)s new documents", self.documents_created) % {
                "count": grouped(self.documents_created)},
            "skipped": grouped(self.skipped), "rejected": grouped(len(self.problems))}
        if not self.committed:
            text += " " + nothing_written()
        return text


class _Rollback(Exception):
    pass


def imported_comment(by, source: str) -> str:
    """What the history says of an imported set: who imported it, from what."""
    values = {"who": by.get_username() if by is not None else "", "source": source}
    if by is not None:
        return (_("Imported by %(who)s from %(source)s") if source else _("Imported by %(who)s")) % values
    return (_("Imported on the command line from %(source)s") if source else _("Imported on the command line")) % values


def task_history_imported(task: Task, old_status: str, by, source: str, now) -> TaskTransition:
    """The history entry of an imported set."""
    return TaskTransition(task=task, from_status=old_status or "", to_status=TaskStatus.SUBMITTED, by=by, at=now,
                          comment=imported_comment(by, source))


@transaction.atomic
def annotations_import(*, project, records, user, by=None, source: str = "", collection=None,
                       create_labels: bool = False, skip_invalid: bool = False, predictions: bool = False,
                       authors=None, progress=None) -> AnnotationImportReport:
    """The sets of `records` ((number, record) or (number, problem), as a sets reader yields them) filed as
    `user`'s submitted work (the caller checked that `user` annotates the project); `by` (who imported
    them) and `source` go into each task's history. `predictions`: the sets are a model's, whose marks
    must also cover whole tokens. `authors` (importing.authors.Authors): the file says whose each set is."""
    report = AnnotationImportReport()
    schema = Schema(
        labels={(lab.layer, lab.name): lab for lab in Label.objects.filter(project=project, retired=False)},
        roles={(r.event_type_id, r.name): r for r in EventRole.objects.filter(event_type__project=project,
                                                                               retired=False)},
        create_labels=create_labels,
    )
    writer = _BatchWriter(project, user, by, source, collection, schema, report, skip_invalid)
    writer.predictions = predictions
    try:
        with transaction.atomic():
            batches = _parsed(records, schema, report, authors)
            if collection is not None:
                batches = writer.with_documents(batches)
            # While PostgreSQL stores a batch's spans, the next batch is read and checked (ReadAhead), and
            # the spans' foreign keys are checked then, batch by batch, rather than all at commit.
            batches = writer.read_ahead = ReadAhead(batches)
            with foreign_keys_per_statement(Span):
                for prepared in batches:
                    writer.write(prepared, check_only=bool(report.problems) and not skip_invalid)
                    if progress is not None:
                        progress(len(prepared))
            if report.problems and not skip_invalid:
                raise _Rollback
        if authors is not None:
            report.notes.extend(authors.summary())
    except _Rollback:
        report.imported = report.documents_created = report.skipped = 0
        report.labels_created = []
        report.committed = False
    # The planner learns of the new rows at once (corpus.services.analyze): a set is a task, its history and
    # its spans, so the sets count for ten rows each.
    tables_analyze(Task, TaskTransition, Span, Event, EventArgument, written=report.imported * 10)
    return report


def _parsed(records, schema: Schema, report: AnnotationImportReport, authors=None) -> Iterator[list[PreparedSet]]:
    """Batches of checked sets, each filed as its author when `authors` says whose it is; the problems
    (and the readers' notes) go into the report."""
    for batch in batched(records, BATCH_SIZE):
        prepared = []
        for number, record in batch:
            if type(record) is dict and "_note" in record:
                report.notes.append(record["_note"])
                continue
            result = record if isinstance(record, str) else set_parse(number, record, schema)
            if isinstance(result, PreparedSet):
                if authors is not None and not result.document_only and (problem := authors.file(result)):
                    report.problems.append(problem)
                    continue
                prepared.append(result)
            else:
                report.problems.extend([result] if isinstance(result, str) else result)
        yield prepared


def _article(p: PreparedSet) -> RawArticle | ImportProblem:
    """The article a set's missing document is made from: the record's text and its article fields."""
    fields = {k: p.record[k] for k in ("title", "url", "language", "meta") if p.record.get(k)}
    fields |= {"text": p.text, "id": p.record.get("external_id") or f"imported-{p.number}"}
    try:
        return article_from_object(fields, source="annotations", line=p.number)
    except ProblemError as error:
        return ImportProblem("annotations", error.message, p.number)


class _BatchWriter:
    def __init__(self, project, user, by, source, collection, schema: Schema, report: AnnotationImportReport,
                 skip_invalid: bool):
        self.project, self.user, self.by, self.source, self.collection = project, user, by, source, collection
        self.schema, self.report, self.skip_invalid = schema, report, skip_invalid
        self.allowed = set(project.collections.values_list("pk", flat=True))
        self.done: set[tuple[int, int]] = set()  # (user, document) this import has filed a set for
        self.predictions = False  # a model's sets: every mark on token boundaries
        self.read_ahead = None  # called while the database stores a batch's spans

    def _documents(self, shas) -> dict[str, tuple[int, int]]:
        """(document id, collection id) by text hash, in the project's collections: one query."""
        found = {}
        rows = (Document.objects.filter(collection_id__in=self.allowed, text_sha256__in=set(shas))
                .order_by("-repeat", "-id").values_list("text_sha256", "id", "collection_id"))
        for sha, pk, collection_id in rows:
            found[sha] = (pk, collection_id)  # the first copy (lowest repeat, then oldest) wins
        return found

    def with_documents(self, parsed: Iterator[list[PreparedSet]]) -> Iterator[list[PreparedSet]]:
        """The batches of `parsed`, once the documents missing from the project are created in the import's
        collection by one corpus import (it tokenizes in its workers while this process reads and checks
        the next sets). The batches wait in a temporary file meanwhile."""
        with tempfile.TemporaryFile() as spool:
            count = 0

            def articles():
                nonlocal count
                for prepared in parsed:
                    if not (self.report.problems and not self.skip_invalid):
                        found = self._documents(p.sha for p in prepared)
                        yield from (_article(p) for p in prepared if p.sha not in found)
                    for p in prepared:
                        p.record = None  # the set needs it no more
                    pickle.dump(prepared, spool)
                    count += 1

            result = documents_import(collection=self.collection, articles=articles(), skip_invalid=True,
                                      workers=settings.CORPUS_IMPORT_WORKERS)
            self.report.problems.extend(_("line %(line)s: the document could not be created: %(reason)s") % {
                "line": problem.line, "reason": problem.message} for problem in result.rejected)
            self.report.documents_created += result.imported
            if result.imported:
                self.project.collections.add(self.collection)
                self.allowed.add(self.collection.pk)
            spool.seek(0)
            for _number in range(count):
                yield pickle.load(spool)

    def write(self, prepared: list[PreparedSet], check_only: bool) -> None:
        documents = self._documents(p.sha for p in prepared)
        missing = [p for p in prepared if p.sha not in documents]
        if missing and self.collection is None:  # the batch's other sets still go in (with skip_invalid)
            self.report.problems.extend(
                f"{p.where}: " + _("the document is not in the project's collections; name a collection to create "
                                   "it in") for p in missing)
        # one whose document could not be made was reported; a document without a set was made, no more
        prepared = [p for p in prepared if p.sha in documents and not p.document_only]
        if self.predictions or any(p.model is not None for p in prepared):
            models = [p for p in prepared if self.predictions or p.model is not None]
            kept = {id(p) for p in self._on_tokens(models, documents)}
            prepared = [p for p in prepared if id(p) in kept or not (self.predictions or p.model is not None)]
        if not check_only and not (self.report.problems and not self.skip_invalid):
            by_user = {}
            for p in prepared:
                by_user.setdefault(p.user or self.user, []).append(p)
            default = self.user
            for user, group in by_user.items():
                self.user = user
                self._file(group, documents)
            self.user = default

    def _on_tokens(self, prepared: list[PreparedSet], documents) -> list[PreparedSet]:
        """The sets whose marks all cover whole tokens; the others' problems go into the report."""
        edges = token_edges({documents[p.sha][0] for p in prepared})
        kept = []
        for p in prepared:
            marks = [(_("a span"), start, end) for _id, _label, start, end in p.spans]
            marks += [(_("an event trigger"), start, end) for _id, _type, start, end, _args in p.events]
            problems = edge_problems(p.number, p.text, marks, edges.get(documents[p.sha][0], ([], [])))
            self.report.problems.extend(problems)
            if not problems:
                kept.append(p)
        return kept

    def _file(self, prepared: list[PreparedSet], documents) -> None:
        report, now = self.report, timezone.now()
        ids = {documents[p.sha][0] for p in prepared}
        tasks = {doc: (pk, status, False) for doc, pk, status in
                 Task.objects.filter(project=self.project, annotator=self.user, document_id__in=ids)
                 .values_list("document_id", "id", "status")}
        if tasks:  # the tasks that hold spans already (asked apart: an EXISTS per row planned as a scan of
            # every span when the table's statistics are those of an empty one, as in a new database)
            marked = set(Span.objects.filter(task_id__in=[pk for pk, _s, _m in tasks.values()])
                         .values_list("task_id", flat=True).distinct())
            tasks = {doc: (pk, status, pk in marked) for doc, (pk, status, _m) in tasks.items()}
        # sets: [set, task id]; earlier: the user's tasks of these documents with no span yet, id -> status
        sets, fresh, earlier, deltas = [], [], {}, Counter()
        for p in prepared:
            doc, collection_id = documents[p.sha]
            if (self.user.pk, doc) in self.done or tasks.get(doc, (0, "", False))[2]:
                report.skipped += 1
                continue
            self.done.add((self.user.pk, doc))
            if doc in tasks:
                pk, status, _spans = tasks[doc]
                earlier[pk] = status
                deltas[(self.user.pk, collection_id, status)] -= 1
                sets.append([p, pk])
            else:
                fresh.append((len(sets), doc, collection_id))
                sets.append([p, None])
            deltas[(self.user.pk, collection_id, TaskStatus.SUBMITTED)] += 1
        ids = rows_insert_returning(Task, [
            {"project": self.project.pk, "document": doc, "collection": collection_id, "annotator": self.user.pk,
             "assigned_at": now, "status": TaskStatus.SUBMITTED, "started_at": now, "finished_at": now}
            for _i, doc, collection_id in fresh])
        for (i, _doc, _collection), pk in zip(fresh, ids, strict=True):
            sets[i][1] = pk
        Task.objects.filter(pk__in=list(earlier)).update(status=TaskStatus.SUBMITTED, finished_at=now)
        by = self.by.pk if self.by is not None else None
        comment = imported_comment(self.by, self.source)
        rows_insert(TaskTransition, ["task", "from_status", "to_status", "by", "at", "comment"],
                    ((pk, earlier.get(pk, ""), TaskStatus.SUBMITTED, by, now,
                      f"{comment}\n{p.comment}" if p.comment else comment) for p, pk in sets))
        self._spans(sets, now)
        if any(p.events for p, _task in sets):
            self._events(sets, now)
        counters_add(self.project.pk, deltas)
        report.imported += len(sets)

    def _spans(self, sets, now) -> None:
        columns = ["task", "client_id", "label", "start", "end", "created_at"]
        label = self._label_id
        if connection.vendor != "postgresql":
            rows_insert(Span, columns, ((pk, client_id, label(lab), start, end, now)
                                        for p, pk in sets for client_id, lab, start, end in p.spans))
            return
        at = now.isoformat()  # ids, hex and numbers need no escaping in COPY's text format
        rows_copy_text(Span, columns, "".join([f"{pk}\t{client_id}\t{label(lab)}\t{start}\t{end}\t{at}\n"
                                               for p, pk in sets for client_id, lab, start, end in p.spans]),
                       meanwhile=self.read_ahead)

    def _events(self, sets, now) -> None:
        """Events and their arguments, which name spans by id: the sets' spans are read back once."""
        task_ids = [pk for p, pk in sets if p.events]
        span_ids = {(t, c.hex): pk for pk, t, c in Span.objects.filter(task_id__in=task_ids)
                    .values_list("pk", "task_id", "client_id")}
        events = Event.objects.bulk_create(
            [Event(task_id=pk, client_id=client_id, event_type=kind, start=start, end=end, created_at=now)
             for p, pk in sets for client_id, kind, start, end, _args in p.events], batch_size=2000)
        arguments = (args for p, _task in sets for *_rest, args in p.events)
        EventArgument.objects.bulk_create(
            [EventArgument(event=event, role=role, span_id=span_ids[(event.task_id, target)])
             for event, args in zip(events, arguments, strict=True) for role, target in args], batch_size=2000)

    def _label_id(self, label) -> int:
        return label.id if type(label) is Label else self._label(label).id

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
