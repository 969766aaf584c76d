"""Annotations in: our JSONL (what the export writes) read back as submitted annotation sets.

Documents are found by their text in the project's collections (the text hash), or created in the given
collection through the corpus import (so they get tokens like any other). Everything is checked before
anything is written: offsets, the span text when the file gives it, labels (or created with
create_labels), event types, roles and argument references. All or nothing unless skip_invalid."""

import io
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
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
from corpus.jsonsafe import JsonRefused, parse_json
from corpus.models import Document
from corpus.services import documents_import
from corpus.text import normalize_text, normalize_text_mapped, text_sha256

from .progress import counters_add
from .schema import imported_label_problem, label_create_imported


@dataclass
class AnnotationImportReport:
    imported: int = 0
    skipped: int = 0  # sets the user already has for that document
    documents_created: int = 0
    labels_created: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    committed: bool = True

    def summary(self) -> str:
        text = (f"Imported {self.imported} annotation sets ({self.documents_created} new documents), "
                f"{self.skipped} already there, {len(self.problems)} rejected.")
        return text + ("" if self.committed else " Nothing was written (use --skip-invalid to import the rest).")


class _Rollback(Exception):
    pass


def decode_line(raw, number: int) -> str:
    """A line of an uploaded file as text; ValueError naming the bad byte."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not valid UTF-8: byte 0x{raw[error.start]:02x} at column {error.start + 1}") from None


def json_records(stream, what: str = "") -> Iterator[tuple[int, dict | str]]:
    """(line number, the line's object with a `text` string) for each non-blank line of a JSON Lines
    upload, or (line number, the problem) for a line that is not one (bad UTF-8, hostile JSON)."""
    for number, raw in enumerate(stream, 1):
        try:
            line = decode_line(raw, number)
            if not line.strip():
                continue
            record = parse_json(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError("each line must be an object with a `text` string")
            yield number, record
        except (ValueError, JsonRefused) as error:
            yield number, f"line {number}: {what}{error}"


def read_jsonl(stream) -> list[tuple[int, dict | str]]:
    return list(json_records(stream))


@transaction.atomic
def annotations_import(*, project, lines: list[tuple[int, dict | str]], user, by=None, source: str = "",
                       collection=None, create_labels: bool = False, skip_invalid: bool = False) -> AnnotationImportReport:
    """The sets of `lines` filed as `user`'s submitted work (the caller checked that `user` annotates the
    project); `by` (who imported them) and `source` go into each task's history."""
    report = AnnotationImportReport()
    labels = {(lab.layer, lab.name): lab for lab in Label.objects.filter(project=project, retired=False)}
    roles = {(r.event_type_id, r.name): r for r in EventRole.objects.filter(event_type__project=project, retired=False)}
    allowed = set(project.collections.values_list("pk", flat=True))
    context = {"by": by, "source": source}
    try:
        with transaction.atomic():
            for number, record in lines:
                if isinstance(record, str):
                    report.problems.append(record)
                    continue
                problems = _one(project, number, record, user, collection, allowed, labels, roles, create_labels,
                                report, context)
                report.problems.extend(problems)
            if report.problems and not skip_invalid:
                raise _Rollback
    except _Rollback:
        report.imported = report.documents_created = 0
        report.labels_created = []
        report.committed = False
    return report


def _label(layer, name, labels, create, where) -> Label | str | tuple:
    """The label, a problem, or ("new", name) when --create-labels will add it once the record is valid."""
    if not isinstance(name, str):
        return f"{where}: the label must be a string, not {type(name).__name__}"
    label = labels.get((layer, name))
    if label is not None:
        return label
    if not create or layer != Layer.ENTITY:
        return f"{where}: unknown {layer} label {name!r}" + ("" if layer != Layer.ENTITY else " (--create-labels adds it)")
    if problem := imported_label_problem(name):
        return f"{where}: a new label's {problem}"
    return ("new", name)


def _create_label(project, name, labels, report) -> Label:
    if (Layer.ENTITY, name) in labels:
        return labels[(Layer.ENTITY, name)]
    label = label_create_imported(project=project, name=name, position=len(labels))
    labels[(Layer.ENTITY, name)] = label
    report.labels_created.append(name)
    return label


def _objects(record, key: str, where: str, problems: list[str]) -> list[dict]:
    """record[key] as a list of objects; anything else is a problem."""
    items = record.get(key)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        problems.append(f"{where}: `{key}` must be a list of objects")
        return []
    return items


def _offset_pair(start, end, length: int) -> bool:
    return type(start) is int and type(end) is int and 0 <= start < end <= length


def _stored_offsets(start, end, source: str, mapping) -> tuple[int, int] | str:
    """A span's offsets in the file's text carried onto the stored (normalized) text, or why not."""
    if not _offset_pair(start, end, len(source)):
        return f"offsets {start}–{end} are outside the text (0–{len(source)})"
    stored = (mapping[start], mapping[end])
    if None in stored:
        return (f"offsets {start}–{end} have an edge inside a sequence that normalization changed "
                f"({source[start:end]!r}: a letter and its combining mark, or CR LF)")
    if stored[0] >= stored[1]:
        return f"offsets {start}–{end} cover nothing once the text is normalized"
    return stored


def task_history_imported(task: Task, old_status: str, by, source: str, now) -> TaskTransition:
    """The history entry of an imported set: who imported it, from what."""
    who = f" by {by.get_username()}" if by is not None else " on the command line"
    return TaskTransition(task=task, from_status=old_status or "", to_status=TaskStatus.SUBMITTED, by=by, at=now,
                          comment=f"Imported{who}" + (f" from {source}" if source else ""))


def _one(project, number, record, user, collection, allowed, labels, roles, create, report, context) -> list[str]:
    where = f"line {number}"
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        return [f"{where}: `text` must be a non-empty string"]
    structure: list[str] = []
    parts = {key: _objects(record, key, where, structure) for key in ("entities", "boilerplate", "events")}
    if structure:
        return structure
    source = record["text"]
    text, mapping = normalize_text_mapped(source)  # offsets in the file refer to `source`
    document = Document.objects.filter(collection_id__in=allowed, text_sha256=text_sha256(text)).first()
    if document is None:
        if collection is None:
            return [f"{where}: the document is not in the project's collections; name a collection to create it in"]
        fields = {k: record[k] for k in ("text", "title", "url", "language", "meta") if record.get(k)}
        line = json.dumps(fields | {"id": record.get("external_id") or f"imported-{number}"}, ensure_ascii=False)
        raw = line.encode()
        result = documents_import(collection=collection, inputs=[InputFile("annotations.jsonl", len(raw), io.BytesIO(raw))])
        if not result.committed:
            return [f"{where}: the document could not be created: {result.rejected[0].reason}"]
        report.documents_created += result.imported
        project.collections.add(collection)
        allowed.add(collection.pk)
        document = Document.objects.get(collection=collection, text_sha256=text_sha256(text))
    if Task.objects.filter(project=project, document=document, annotator=user).exclude(spans=None).exists():
        report.skipped += 1
        return []
    problems, spans, events = [], [], []
    ids = {}
    for kind, layer in (("entities", Layer.ENTITY), ("boilerplate", Layer.BOILERPLATE)):
        for i, item in enumerate(parts[kind]):
            at = f"{where}: {kind}[{i}]"
            start, end = item.get("start"), item.get("end")
            mapped = _stored_offsets(start, end, source, mapping)
            if isinstance(mapped, str):
                problems.append(f"{at}: {mapped}")
                continue
            if "text" in item and (not isinstance(item["text"], str) or normalize_text(item["text"]) != text[slice(*mapped)]):
                problems.append(f"{at}: the text at {start}–{end} is {source[start:end]!r}, not {item['text']!r}")
                continue
            start, end = mapped
            label = _label(layer, item.get("label"), labels, create, at)
            if isinstance(label, str):
                problems.append(label)
                continue
            client_id = uuid.uuid4()
            if item.get("id"):
                ids[str(item["id"])] = client_id
            span = Span(client_id=client_id, label=None if isinstance(label, tuple) else label, start=start, end=end)
            span.label_pending = label
            spans.append(span)
    for i, item in enumerate(parts["events"]):
        at = f"{where}: events[{i}]"
        trigger = item.get("trigger") or {}
        if not isinstance(trigger, dict):
            problems.append(f"{at}: `trigger` must be an object with start and end")
            continue
        start, end = trigger.get("start"), trigger.get("end")
        event_type = labels.get((Layer.EVENT, item.get("type"))) if isinstance(item.get("type"), str) else None
        if event_type is None:
            problems.append(f"{at}: unknown event type {item.get('type')!r}")
            continue
        mapped = _stored_offsets(start, end, source, mapping)
        if isinstance(mapped, str):
            problems.append(f"{at}: trigger {mapped}")
            continue
        start, end = mapped
        arguments = []
        argument_list = _objects(item, "arguments", at, problems)
        for argument in argument_list:
            role = roles.get((event_type.pk, argument.get("role"))) if isinstance(argument.get("role"), str) else None
            target = ids.get(str(argument.get("entity_id")))
            if role is None or target is None:
                problems.append(f"{at}: argument {argument!r} names an unknown role or entity")
                continue
            arguments.append((role, target))
        events.append((Event(client_id=uuid.uuid4(), event_type=event_type, start=start, end=end), arguments))
    if problems:
        return problems
    for span in spans:
        if isinstance(span.label_pending, tuple):
            span.label = _create_label(project, span.label_pending[1], labels, report)
    now = timezone.now()
    task, created = Task.objects.get_or_create(
        project=project, document=document, annotator=user,
        defaults={"collection_id": document.collection_id, "assigned_at": now, "status": TaskStatus.SUBMITTED,
                  "started_at": now, "finished_at": now},
    )
    old_status = None if created else task.status
    if not created:
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.SUBMITTED, finished_at=now)
    task_history_imported(task, old_status, context["by"], context["source"], now).save()
    for span in spans:
        span.task = task
    Span.objects.bulk_create(spans)
    by_client = {s.client_id: s for s in Span.objects.filter(task=task)}
    for event, arguments in events:
        event.task = task
        event.save()
        EventArgument.objects.bulk_create([EventArgument(event=event, role=r, span=by_client[c]) for r, c in arguments])
    deltas = Counter({(user.pk, document.collection_id, TaskStatus.SUBMITTED): 1})
    if old_status:
        deltas[(user.pk, document.collection_id, old_status)] -= 1
    counters_add(project.pk, deltas)
    report.imported += 1
    return []


def predictions_user(name: str):
    """A user that stands for a model's predictions (MODEL:VERSION); it cannot log in."""
    username = f"model:{name}"[:150]
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    return user
