"""What an export reads: one record per annotation set, streamed in chunks (a server-side cursor on
PostgreSQL) with a fixed number of queries per chunk, so memory does not grow with the project.

Sources: `annotators`, each annotator's submitted set; `gold`, each document's accepted gold set;
`majority`, the gold set where a document has one and else the majority vote of its submitted sets
(annotate.quality.voting), each record saying which."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection
from django.db.models import Count, TextField
from django.db.models.functions import Cast

from annotate.interop.options import ExportOptions, split_of
from annotate.models import Event, EventArgument, Label, Layer, Span, Task, TaskStatus
from annotate.quality.voting import Version, vote
from corpus.models import Document, DocumentTokens
from corpus.tokens import unpack_indexes, unpack_tokens

CHUNK = 500
FIRST_CHUNK = 20


@dataclass(slots=True)
class SpanOut:
    id: str
    start: int
    end: int
    label: str
    text: str
    origin: str = ""  # an accepted suggestion's source


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
    source: str = "annotator"  # annotator, gold or majority
    voters: list[str] = field(default_factory=list)  # majority: whose sets were counted
    edges: dict = field(default_factory=dict, repr=False, compare=False)  # alignment's cache of token edges

    @property
    def annotators(self) -> list[str]:
        return self.voters or [self.annotator]


def _selected_tasks(project, options: ExportOptions, *, gold: bool = False):
    # Only documents of the collections attached to the project now (a detached collection is not exported).
    manager = Task.gold_sets if gold else Task.objects
    # The ids as a list, not a subquery: a semi-join kept PostgreSQL from reading the tasks in the order of
    # their (project, document, annotator) index, so an export sorted them all before its first byte.
    tasks = manager.filter(project=project, collection_id__in=list(project.collections.values_list("pk", flat=True)))
    if gold:
        tasks = tasks.filter(status=TaskStatus.SUBMITTED)  # accepted gold only, whatever `status` says
    elif options.status != "all":
        tasks = tasks.filter(status=TaskStatus.SUBMITTED)
    if options.collections:
        tasks = tasks.filter(collection__slug__in=options.collections)
    if options.document_range:
        tasks = tasks.filter(document_id__gte=options.document_range[0], document_id__lte=options.document_range[1])
    return options.selection().apply(tasks, prefix="document__")


# Counting entity spans takes ~0.4 s per 100,000 records (20 spans each) on PostgreSQL; above this the
# count would hold back the first byte, so it is left to the report.
COUNT_ENTITIES_UP_TO = 1_000  # above, counting them (32 ms at 5,000 records) would delay the first byte: the report has them


def export_counts(*, project, options: ExportOptions) -> dict[str, int]:
    """What an export will hold, counted in the database before the first byte: records, documents and
    (up to COUNT_ENTITIES_UP_TO records) entity spans, the same numbers its report ends with."""
    if options.source != "annotators":
        return _source_counts(project, options)
    tasks = _selected_tasks(project, options)
    counts = tasks.aggregate(records=Count("id"), documents=Count("document_id", distinct=True))
    if counts["records"] > COUNT_ENTITIES_UP_TO:
        return counts
    entities = Span.objects.filter(task__in=tasks.values("id"), label__layer=Layer.ENTITY)
    if options.labels:
        entities = entities.filter(label__name__in=options.labels)
    counts["entities"] = entities.count()
    return counts


def _source_counts(project, options: ExportOptions) -> dict[str, int]:
    """Gold: one record per accepted gold set. Majority: one per document, gold or voted."""
    gold = _selected_tasks(project, options, gold=True)
    counts = gold.aggregate(records=Count("id"), documents=Count("document_id", distinct=True))
    entities = Span.objects.filter(task__in=gold.values("id"), label__layer=Layer.ENTITY)
    if options.labels:
        entities = entities.filter(label__name__in=options.labels)
    counts["entities"] = entities.count()
    if options.source == "majority":
        voted = _selected_tasks(project, options).exclude(document_id__in=gold.values("document_id"))
        more = voted.aggregate(documents=Count("document_id", distinct=True))["documents"]
        counts["records"] += more
        counts["documents"] += more
        counts.pop("entities")  # a vote's entities are known only once it is counted
    return counts


def _tasks(project, options: ExportOptions, *, gold: bool = False, without_gold: bool = False):
    tasks = _selected_tasks(project, options, gold=gold)
    if without_gold:
        tasks = tasks.exclude(document_id__in=_selected_tasks(project, options, gold=True).values("document_id"))
    # Only small columns are sorted (the documents' texts are read a chunk at a time, by id, in _chunk):
    # sorting 50,000 rows that carried 3 KB of text each made the first byte wait half a second.
    return tasks.order_by("document_id", "annotator_id").values_list("id", "annotator__username", "document_id",
                                                                    "collection__slug")


def _uuid_text():
    """Client ids as text straight from PostgreSQL (no uuid.UUID round trip for two million spans)."""
    if connection.vendor == "postgresql":
        return Cast("client_id", output_field=TextField())
    return "client_id"


def export_records(project, options: ExportOptions) -> Iterator[ExportRecord]:
    labels = {lab.pk: lab for lab in Label.objects.filter(project=project)}
    wanted = {pk for pk, lab in labels.items() if not options.labels or lab.name in options.labels}
    if options.source == "annotators":
        yield from _records(_tasks(project, options), labels, wanted, options)
        return
    for record in _records(_tasks(project, options, gold=True), labels, wanted, options):
        record.source = "gold"
        yield record
    if options.source == "majority":
        votes = _records(_tasks(project, options, without_gold=True), labels, wanted, options, whole_documents=True)
        yield from _majority(votes)


def _records(rows, labels, wanted, options, *, whole_documents: bool = False) -> Iterator[ExportRecord]:
    """Records of the task rows, a chunk at a time; with whole_documents, a chunk never splits a document's sets."""
    chunk, size = [], FIRST_CHUNK  # a small first chunk: the first byte waits for it only
    for row in rows.iterator(chunk_size=CHUNK):
        if len(chunk) >= size and (not whole_documents or row[2] != chunk[-1][2]):
            yield from _chunk(chunk, labels, wanted, options)
            chunk, size = [], CHUNK
        chunk.append(row)
    if chunk:
        yield from _chunk(chunk, labels, wanted, options)


def _version(record: ExportRecord) -> Version:
    version = Version(record.annotator)
    span_keys = {}
    for span in (*record.entities, *record.boilerplate):
        span_keys[span.id] = (span.label, span.start, span.end)
        version.spans[span_keys[span.id]] = span
    for event in record.events:
        key = (event["type"], event["trigger"]["start"], event["trigger"]["end"])
        version.events[key] = event
        for argument in event["arguments"]:
            if argument["entity_id"] in span_keys:
                version.arguments.add((key, argument["role"], span_keys[argument["entity_id"]]))
    return version


def _majority(records: Iterator[ExportRecord]) -> Iterator[ExportRecord]:
    """One record per document: what more than half of its submitted sets hold, with the first holder's ids.
    Records come grouped by document (the rows are ordered by it), so this streams."""
    for _document, group in groupby(records, key=lambda r: r.document["id"]):
        yield _voted(list(group))


def _voted(group: list[ExportRecord]) -> ExportRecord:
    first = group[0]
    agreed = vote([_version(r) for r in group], "majority")
    boilerplate = {(s.label, s.start, s.end) for r in group for s in r.boilerplate}
    out = ExportRecord(document=first.document, annotator="", tokens=first.tokens, sentences=first.sentences,
                       split=first.split, source="majority", voters=[r.annotator for r in group])
    for key in agreed.spans:
        (out.boilerplate if key in boilerplate else out.entities).append(agreed.first[key])
    arguments: dict = defaultdict(list)
    for event_key, role, span_key in agreed.arguments:
        arguments[event_key].append({"role": role, "entity_id": agreed.first[span_key].id})
    for key in agreed.events:
        out.events.append({**agreed.first[key], "arguments": arguments[key]})
    return out


def _chunk(rows, labels, wanted, options) -> Iterator[ExportRecord]:
    task_ids = [r[0] for r in rows]
    spans = defaultdict(list)
    span_ids = {}
    for pk, task_id, client_id, label_id, start, end, origin in Span.objects.filter(task_id__in=task_ids).order_by(
        "task_id", "start", "-end", "id"
    ).values_list("pk", "task_id", _uuid_text(), "label_id", "start", "end", "origin"):
        client_id = str(client_id)
        span_ids[pk] = client_id
        if label_id in wanted:
            spans[task_id].append((client_id, label_id, start, end, origin))
    events = defaultdict(list)
    event_rows = list(
        Event.objects.filter(task_id__in=task_ids)
        .order_by("start", "id")
        .values_list("pk", "task_id", "client_id", "event_type_id", "start", "end", "origin")
    )
    arguments = defaultdict(list)
    for event_id, role_name, span_id in EventArgument.objects.filter(event__task_id__in=task_ids).values_list(
        "event_id", "role__name", "span_id"
    ):
        arguments[event_id].append({"role": role_name, "entity_id": span_ids.get(span_id)})
    segmentation = {}
    if options.tokens:  # only the token formats need them
        segmentation = {
            doc_id: (packed_tokens, packed_sentences)
            for doc_id, packed_tokens, packed_sentences in DocumentTokens.objects.filter(
                document_id__in={r[2] for r in rows}
            ).values_list("document_id", "tokens", "sentences")
        }
    for pk, task_id, client_id, type_id, start, end, origin in event_rows:
        if type_id in wanted:
            events[task_id].append((pk, str(client_id), type_id, start, end, origin))
    documents = {
        doc_id: rest for doc_id, *rest in Document.objects.filter(pk__in={r[2] for r in rows}).values_list(
            "pk", "external_id", "language", "published_on", "title", "url", "text", "text_sha256")
    }
    for task_id, annotator, doc_id, collection in rows:
        external_id, language, published, title, url, text, sha = documents[doc_id]
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
        for client_id, label_id, start, end, origin in spans[task_id]:
            label = labels[label_id]
            out = SpanOut(client_id, start, end, label.name, text[start:end], origin)
            (record.entities if label.layer == Layer.ENTITY else record.boilerplate).append(out)
        for pk, client_id, type_id, start, end, origin in events[task_id]:
            record.events.append(
                {
                    "id": client_id,
                    "type": labels[type_id].name,
                    "trigger": {"start": start, "end": end, "text": text[start:end]},
                    "arguments": arguments[pk],
                    **({"origin": origin} if origin else {}),
                }
            )
        if doc_id in segmentation:
            record.tokens = unpack_tokens(segmentation[doc_id][0])
            record.sentences = unpack_indexes(segmentation[doc_id][1])
        yield record
