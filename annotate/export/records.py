"""What an export reads: one record per submitted annotation set, streamed in chunks (a server-side cursor
on PostgreSQL) with a fixed number of queries per chunk, so memory does not grow with the project."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, TextField
from django.db.models.functions import Cast

from annotate.models import Event, EventArgument, Label, Layer, Span, Task, TaskStatus
from corpus.models import DocumentTokens
from corpus.tokens import unpack_indexes, unpack_tokens

from .options import ExportOptions, split_of

CHUNK = 500


@dataclass(slots=True)
class SpanOut:
    id: str
    start: int
    end: int
    label: str
    text: str


@dataclass
class ExportRecord:
    document: dict
    annotator: str
    entities: list[SpanOut] = field(default_factory=list)
    boilerplate: list[SpanOut] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    tokens: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    split: str | None = None


def _selected_tasks(project, options: ExportOptions):
    # Only documents of the collections attached to the project now (a detached collection is not exported).
    tasks = Task.objects.filter(project=project, collection__in=project.collections.values("pk"))
    if options.status != "all":
        tasks = tasks.filter(status=TaskStatus.SUBMITTED)
    if options.collections:
        tasks = tasks.filter(collection__slug__in=options.collections)
    return options.selection().apply(tasks, prefix="document__")


# Counting entity spans takes ~0.4 s per 100,000 records (20 spans each) on PostgreSQL; above this the
# count would hold back the first byte, so it is left to the report.
COUNT_ENTITIES_UP_TO = 100_000


def export_counts(*, project, options: ExportOptions) -> dict[str, int]:
    """What an export will hold, counted in the database before the first byte: records, documents and
    (up to COUNT_ENTITIES_UP_TO records) entity spans, the same numbers its report ends with."""
    tasks = _selected_tasks(project, options)
    counts = tasks.aggregate(records=Count("id"), documents=Count("document_id", distinct=True))
    if counts["records"] > COUNT_ENTITIES_UP_TO:
        return counts
    entities = Span.objects.filter(task__in=tasks.values("id"), label__layer=Layer.ENTITY)
    if options.labels:
        entities = entities.filter(label__name__in=options.labels)
    counts["entities"] = entities.count()
    return counts


def _tasks(project, options: ExportOptions):
    return _selected_tasks(project, options).order_by("document_id", "annotator_id").values_list(
        "id",
        "annotator__username",
        "document_id",
        "document__external_id",
        "collection__slug",
        "document__language",
        "document__published_on",
        "document__title",
        "document__url",
        "document__text",
        "document__text_sha256",
    )


def _uuid_text():
    """Client ids as text straight from PostgreSQL (no uuid.UUID round trip for two million spans)."""
    if connection.vendor == "postgresql":
        return Cast("client_id", output_field=TextField())
    return "client_id"


def export_records(project, options: ExportOptions) -> Iterator[ExportRecord]:
    labels = {lab.pk: lab for lab in Label.objects.filter(project=project)}
    wanted = {pk for pk, lab in labels.items() if not options.labels or lab.name in options.labels}
    chunk = []
    for row in _tasks(project, options).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _chunk(chunk, labels, wanted, options)
            chunk = []
    if chunk:
        yield from _chunk(chunk, labels, wanted, options)


def _chunk(rows, labels, wanted, options) -> Iterator[ExportRecord]:
    task_ids = [r[0] for r in rows]
    spans = defaultdict(list)
    span_ids = {}
    for pk, task_id, client_id, label_id, start, end in Span.objects.filter(task_id__in=task_ids).order_by(
        "task_id", "start", "-end", "id"
    ).values_list("pk", "task_id", _uuid_text(), "label_id", "start", "end"):
        client_id = str(client_id)
        span_ids[pk] = client_id
        if label_id in wanted:
            spans[task_id].append((client_id, label_id, start, end))
    events = defaultdict(list)
    event_rows = list(
        Event.objects.filter(task_id__in=task_ids)
        .order_by("start", "id")
        .values_list("pk", "task_id", "client_id", "event_type_id", "start", "end")
    )
    arguments = defaultdict(list)
    for event_id, role_name, span_id in EventArgument.objects.filter(event__task_id__in=task_ids).values_list(
        "event_id", "role__name", "span_id"
    ):
        arguments[event_id].append({"role": role_name, "entity_id": span_ids.get(span_id)})
    segmentation = {}
    if options.format != "jsonl":  # JSONL has no use for tokens
        segmentation = {
            doc_id: (packed_tokens, packed_sentences)
            for doc_id, packed_tokens, packed_sentences in DocumentTokens.objects.filter(
                document_id__in={r[2] for r in rows}
            ).values_list("document_id", "tokens", "sentences")
        }
    for pk, task_id, client_id, type_id, start, end in event_rows:
        if type_id in wanted:
            events[task_id].append((pk, str(client_id), type_id, start, end))
    for (
        task_id,
        annotator,
        doc_id,
        external_id,
        collection,
        language,
        published,
        title,
        url,
        text,
        sha,
    ) in rows:
        record = ExportRecord(
            document={
                "id": doc_id,
                "external_id": external_id,
                "collection": collection,
                "language": language,
                "published_on": published.isoformat() if published else None,
                "title": title,
                "url": url,
                "text": text,
                "text_sha256": sha,
            },
            annotator=annotator,
            split=split_of(sha, options.split) if options.split else None,
        )
        for client_id, label_id, start, end in spans[task_id]:
            label = labels[label_id]
            out = SpanOut(client_id, start, end, label.name, text[start:end])
            (record.entities if label.layer == Layer.ENTITY else record.boilerplate).append(out)
        for pk, client_id, type_id, start, end in events[task_id]:
            record.events.append(
                {
                    "id": client_id,
                    "type": labels[type_id].name,
                    "trigger": {"start": start, "end": end, "text": text[start:end]},
                    "arguments": arguments[pk],
                }
            )
        if doc_id in segmentation:
            record.tokens = unpack_tokens(segmentation[doc_id][0])
            record.sentences = unpack_indexes(segmentation[doc_id][1])
        yield record
