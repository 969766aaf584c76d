"""The agreement report of a project: every document that two annotators or more have submitted, each
layer (entities, boilerplate, event triggers, event arguments) and each label.

Documents are read a batch at a time (tasks, spans, events, arguments and tokens: five queries a batch)
and each gives a DocumentTally; the report is their sum, so that it is brought up to date by changing one
document's tally (report.py computes; the page, the API and the CSV present)."""

import json
import multiprocessing
import os
from collections import Counter, defaultdict, deque
from itertools import batched

from django.conf import settings
from django.db import connection, transaction

from annotate.models import (
    DocumentAgreement,
    Event,
    EventArgument,
    EventRole,
    Label,
    Layer,
    ProjectAgreement,
    Span,
    Task,
    TaskStatus,
)
from annotate.quality.agreement import cache
from annotate.quality.agreement.metrics import ALL, Mark, f1, kappa, pairs
from annotate.quality.agreement.tally import (
    LAYERS,
    TOKEN_LAYERS,
    DocumentTally,
    encode,
    marks_of,
    tally_jobs,
    tally_of,
)
from corpus.models import DocumentTokens

BATCH = 500
# Below this many documents to compute, starting worker processes costs more than they save.
PARALLEL_FROM = 2_000


def project_tally(project, *, collection=None, finished_from=None, finished_to=None) -> DocumentTally:
    """The sum over the project's documents with two submitted sets or more (filters: a collection, the
    dates the sets were submitted). The whole project's report is a running total (ProjectAgreement):
    only the documents whose sets changed are computed again, their old tallies taken away. With a
    collection, the kept document tallies are summed; with dates (which leave sets out), computed."""
    tasks = Task.objects.filter(project=project, status=TaskStatus.SUBMITTED).by_people()
    if collection is not None:
        tasks = tasks.filter(collection=collection)
    if finished_from:
        tasks = tasks.filter(finished_at__date__gte=finished_from)
    if finished_to:
        tasks = tasks.filter(finished_at__date__lte=finished_to)
    by_document = defaultdict(dict)
    for pk, document, who, version, at in tasks.values_list(
            "id", "document_id", "annotator__username", "version", "finished_at").order_by("document_id"):
        by_document[document][pk] = (who, version, at)
    shared = [(doc, owners) for doc, owners in by_document.items() if len(owners) >= 2]
    if finished_from or finished_to:
        total = DocumentTally()
        for batch in batched(shared, BATCH):
            for tally in _batch_tallies(project, _owners(batch)):
                total.add(tally)
        return total
    if collection is not None:
        return _summed(project, shared)
    return _running_total(project, shared)


def _owners(batch):
    return [(doc, {task: who for task, (who, _v, _at) in owners.items()}) for doc, owners in batch]


def _keep(project, parts, signatures, total: DocumentTally) -> None:
    """Store the documents' fresh tallies and add each part's sum to the total."""
    cache.store(project, {doc: (signatures[doc], encoded, score)
                          for results, _sum in parts for doc, encoded, score in results})
    for _results, summed in parts:
        cache.tally_add_json(total, summed)


def _workers() -> int:
    """The AGREEMENT_WORKERS setting, or the cores (at most 8)."""
    return getattr(settings, "AGREEMENT_WORKERS", None) or min(os.cpu_count() or 1, 8)


def _compute(project, todo, signatures, total: DocumentTally) -> None:
    """Compute, keep and add up the tallies of these documents. Many documents: worker processes compute
    one batch while this process reads the next from the database and keeps the one before."""
    batches = [list(batch) for batch in batched(todo, BATCH)]
    workers = _workers()
    if len(todo) < PARALLEL_FROM or workers < 2:
        for batch in batches:
            _keep(project, [tally_jobs(_batch_jobs(project, _owners(batch)))], signatures, total)
        return
    # spawn: the workers import only annotate.quality.agreement.tally (no Django, no database connection).
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending = deque()
        for batch in batches:
            labels, jobs = _batch_jobs(project, _owners(batch))
            size = max(1, len(jobs) // (workers * 2))
            pending.append(pool.map_async(tally_jobs, [(labels, jobs[i:i + size]) for i in range(0, len(jobs), size)]))
            if len(pending) > 2:
                _keep(project, pending.popleft().get(), signatures, total)
        while pending:
            _keep(project, pending.popleft().get(), signatures, total)


def _summed(project, shared) -> DocumentTally:
    """Kept tallies summed, the stale ones computed again."""
    total = DocumentTally()
    signatures = {doc: cache.signature(owners, project.schema_version) for doc, owners in shared}
    stale = []
    for batch in batched(shared, BATCH):
        known = cache.stored(project, [doc for doc, _ in batch])
        for doc, owners in batch:
            entry = known.get(doc)
            if entry is not None and entry[0] == signatures[doc]:
                cache.tally_add_json(total, entry[1])
            else:
                stale.append((doc, owners))
    _compute(project, stale, signatures, total)
    return total


@transaction.atomic
def _running_total(project, shared) -> DocumentTally:
    row = ProjectAgreement.objects.select_for_update().filter(project=project).first()
    signatures = {doc: cache.signature(owners, project.schema_version) for doc, owners in shared}
    total = DocumentTally()
    known = dict(DocumentAgreement.objects.filter(project=project).values_list("document_id", "signature"))
    kept = json.loads(row.tally) if row is not None else None
    if kept is None or kept["documents"] != len(known):  # no total, or not theirs: start over
        if known:
            DocumentAgreement.objects.filter(project=project).delete()
        known = {}
    else:
        cache.tally_add_json(total, kept)
    gone = [doc for doc in known if doc not in signatures]
    stale = [doc for doc, sig in signatures.items() if doc in known and known[doc] != sig]
    for chunk in batched(gone + stale, BATCH):
        for old in DocumentAgreement.objects.filter(project=project, document_id__in=chunk).values_list(
                "tally", flat=True):
            cache.tally_add_json(total, old, sign=-1)
    for chunk in batched(gone, BATCH):
        DocumentAgreement.objects.filter(project=project, document_id__in=chunk).delete()
    todo = [(doc, owners) for doc, owners in shared if known.get(doc) != signatures[doc]]
    _compute(project, todo, signatures, total)
    if row is None or todo or gone or not known:
        ProjectAgreement.objects.bulk_create(
            [ProjectAgreement(project=project, tally=encode(total))],
            update_conflicts=True, unique_fields=["project"], update_fields=["tally", "updated_at"])
    return total


def _empty_columns() -> dict:
    return {"s": ([], [], []), "e": ([], [], [], []), "a": ([], [], [], [])}


def batch_rows(project, task_ids) -> tuple[dict, dict[int, dict]]:
    """The label names and layers, and each set's marks as columns (annotate.quality.agreement.tally.marks_of reads
    them): "s" spans (labels, starts, ends), "e" events (ids, types, starts, ends), "a" arguments (event ids,
    role names, the entity's starts and ends). Four queries; on PostgreSQL each set's columns come as
    arrays (one row per set), so that this process makes no object per mark: a worker process builds them."""
    labels = {pk: (name, "boilerplate" if layer == Layer.BOILERPLATE else "entity")
              for pk, name, layer in Label.objects.filter(project=project).values_list("pk", "name", "layer")}
    columns: dict[int, dict] = {task: _empty_columns() for task in task_ids}
    if not columns:
        return labels, columns
    if connection.vendor == "postgresql":
        _array_columns(columns)
        return labels, columns
    for task, label, start, end in Span.objects.filter(task_id__in=columns).values_list(
            "task_id", "label_id", "start", "end"):
        for column, value in zip(columns[task]["s"], (label, start, end), strict=True):
            column.append(value)
    event_task = {}
    for pk, task, label, start, end in Event.objects.filter(task_id__in=columns).values_list(
            "id", "task_id", "event_type_id", "start", "end"):
        for column, value in zip(columns[task]["e"], (pk, label, start, end), strict=True):
            column.append(value)
        event_task[pk] = task
    for event, role, start, end in EventArgument.objects.filter(event_id__in=event_task).values_list(
            "event_id", "role__name", "span__start", "span__end"):
        for column, value in zip(columns[event_task[event]]["a"], (event, role, start, end), strict=True):
            column.append(value)
    return labels, columns


def _array_columns(columns: dict[int, dict]) -> None:
    q = connection.ops.quote_name
    span, event, argument, role = (q(m._meta.db_table) for m in (Span, Event, EventArgument, EventRole))
    start, end = q("start"), q("end")
    queries = {
        "s": f"SELECT task_id, array_agg(label_id), array_agg({start}), array_agg({end}) FROM {span} "
             "WHERE task_id = ANY(%s) GROUP BY task_id",
        "e": f"SELECT task_id, array_agg(id), array_agg(event_type_id), array_agg({start}), array_agg({end}) "
             f"FROM {event} WHERE task_id = ANY(%s) GROUP BY task_id",
        "a": f"SELECT e.task_id, array_agg(a.event_id), array_agg(r.name), array_agg(p.{start}), array_agg(p.{end}) "
             f"FROM {argument} a JOIN {event} e ON e.id = a.event_id JOIN {role} r ON r.id = a.role_id "
             f"JOIN {span} p ON p.id = a.span_id WHERE e.task_id = ANY(%s) GROUP BY e.task_id",
    }
    with connection.cursor() as cursor:
        for part, sql in queries.items():
            cursor.execute(sql, [list(columns)])
            for task, *arrays in cursor.fetchall():
                columns[task][part] = tuple(arrays)


def batch_marks(project, task_ids) -> dict[int, dict[str, list[Mark]]]:
    """Each set's marks per layer, for these tasks (annotators' or gold)."""
    labels, rows = batch_rows(project, task_ids)
    return {task: marks_of(task_rows, labels) for task, task_rows in rows.items()}


def _batch_jobs(project, batch) -> tuple[dict, list[tuple]]:
    """The database's part for a batch of (document, {task: annotator}): the labels, and per document the
    annotators' rows and its packed tokens, as annotate.quality.agreement.tally takes them. Five queries."""
    if not batch:
        return {}, []
    labels, rows = batch_rows(project, [task for _doc, owners in batch for task in owners])
    tokens = dict(DocumentTokens.objects.filter(document_id__in=[doc for doc, _ in batch])
                  .values_list("document_id", "tokens"))
    return labels, [(doc, {who: rows[task] for task, who in owners.items()}, tokens.get(doc))
                    for doc, owners in batch]


def _batch_tallies(project, batch):
    labels, jobs = _batch_jobs(project, batch)
    for job in jobs:
        yield tally_of(labels, job)


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def report_data(tally: DocumentTally) -> dict:
    """The report as plain data (the API's JSON, the page and the CSV are made from it)."""
    annotators = sorted(name for name, count in tally.annotators.items() if count > 0)
    annotator_pairs = pairs(annotators)
    layers = {}
    for layer in LAYERS:
        labels = sorted({label for (lay, _pair), counts in tally.spans.items() if lay == layer
                         for (label, _name) in counts if label != ALL})
        per_label = {}
        for label in [ALL, *labels]:
            rows = {}
            for pair in annotator_pairs:
                counts = tally.spans.get((layer, pair), Counter())
                if counts[(label, "a")] + counts[(label, "b")]:
                    rows[f"{pair[0]}|{pair[1]}"] = {
                        "exact_f1": f1(counts, label, "exact"), "overlap_f1": f1(counts, label, "overlap"),
                        "spans": [counts[(label, "a")], counts[(label, "b")]]}
            per_label[label] = {"pairs": rows, "mean_exact_f1": _mean(r["exact_f1"] for r in rows.values()),
                                "mean_overlap_f1": _mean(r["overlap_f1"] for r in rows.values())}
        entry = {"labels": per_label}
        if layer in TOKEN_LAYERS:
            entry["kappa"] = {f"{x}|{y}": kappa(tally.confusion.get((layer, (x, y)), Counter()))
                              for x, y in annotator_pairs}
            entry["alpha"] = tally.alpha[layer].alpha() if layer in tally.alpha else None
        layers[layer] = entry
    return {"documents": tally.documents, "annotators": annotators, "layers": layers}
