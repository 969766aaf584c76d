"""One annotation set read from a record (our JSON Lines shape, as every sets reader gives it) and checked
without the database: offsets carried through the text's normalization onto the stored text, no edge
inside a character (grapheme cluster), the span text when the file gives it, labels (or ("new", name) when
create_labels will add it), event types, roles and argument references."""

import os
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from annotate.models import Label, Layer
from annotate.services.schema import imported_label_problem
from corpus.graphemes import boundaries, is_boundary
from corpus.text import normalize_text, normalize_text_mapped, text_sha256, unstorable


@dataclass
class Schema:
    """The project's labels and roles, looked up by name."""

    labels: dict  # (layer, name) -> Label
    roles: dict  # (event type id, name) -> EventRole
    create_labels: bool = False


@dataclass
class PreparedSet:
    number: int
    record: dict
    text: str  # normalized: what is (or will be) stored
    sha: str
    spans: list = field(default_factory=list)  # [client_id (hex), Label | ("new", name), start, end]
    events: list = field(default_factory=list)  # (client_id, event type, start, end, [(role, span client_id)])
    where: str = ""  # the set's place in the file, as a problem names it ("line 3", "task 2, annotations[1]")
    author: object = None  # who made it, as the file says (Label Studio's completed_by); None: not said
    model: str | None = None  # a model's set: the file's name for the model ("" unnamed); None: a person's
    document_only: bool = False  # a document the file holds without a set (a Label Studio task with none)
    user: object = None  # whose set it is filed as (importing.authors); None: the import's annotator
    comment: str = ""  # what the file says about the set, for the task's history (brat's notes)
    task: object = None  # the file's task the set belongs to (Label Studio), when several sets share one


class _Offsets:
    """Offsets in the file's text carried onto the stored text, with the reasons one cannot be."""

    def __init__(self, source: str, text: str, mapping):
        self.source, self.text, self.mapping = source, text, mapping
        self.edges = boundaries(text)
        # The usual case: the text was normal already and every offset is between clusters.
        self.plain = isinstance(mapping, range) and self.edges is None

    def stored(self, start, end) -> tuple[int, int] | str:
        if self.plain and type(start) is int and type(end) is int and 0 <= start < end <= len(self.source):
            return start, end
        source = self.source
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(source)):
            return _("offsets %(start)s–%(end)s are outside the text (0–%(length)s)") % {
                "start": start, "end": end, "length": len(source)}
        stored = (self.mapping[start], self.mapping[end])
        if None in stored:
            return _("offsets %(start)s–%(end)s have an edge inside a sequence that normalization changed "
                     "(%(text)r: a letter and its combining mark, or CR LF)") % {
                "start": start, "end": end, "text": source[start:end]}
        if stored[0] >= stored[1]:
            return _("offsets %(start)s–%(end)s cover nothing once the text is normalized") % {
                "start": start, "end": end}
        for offset in stored:
            if not is_boundary(offset, self.edges):
                return _("offsets %(start)s–%(end)s have an edge inside a character as a reader sees it "
                         "(%(text)r splits an emoji, a flag or a letter from its marks)") % {
                    "start": start, "end": end, "text": self.text[stored[0]:stored[1]]}
        return stored


def _label(schema: Schema, layer, name, where) -> Label | str | tuple:
    """The label, a problem, or ("new", name) when create_labels will add it once the record is valid."""
    if not isinstance(name, str):
        return f"{where}: " + _("the label must be a string, not %(type)s") % {"type": type(name).__name__}
    label = schema.labels.get((layer, name))
    if label is not None:
        return label
    if not schema.create_labels or layer != Layer.ENTITY:
        hint = " " + _("(--create-labels, or create_labels=true in the API, adds it)") if layer == Layer.ENTITY else ""
        return f"{where}: " + _("unknown %(layer)s label %(name)r") % {"layer": layer, "name": name} + hint
    if problem := imported_label_problem(name):
        return f"{where}: " + _("a new label's %(problem)s") % {"problem": problem}
    return ("new", name)


def _objects(record, key: str, where: str, problems: list[str]) -> list[dict]:
    """record[key] as a list of objects; anything else is a problem."""
    items = record.get(key)
    if items is None:
        return []
    if type(items) is not list or not set(map(type, items)) <= {dict}:
        problems.append(f"{where}: " + _("`%(key)s` must be a list of objects") % {"key": key})
        return []
    return items


def _plain_spans(items: list[dict], layer: str, labels: dict, length: int) -> list[tuple] | None:
    """(start, end, label) of each item when every item is the plainest kind, {start, end, label} with a
    known label and whole-number offsets in range of a text that normalization left alone: the usual
    file, checked in a few C-speed passes. None when any item needs the full checks."""
    try:
        quick = [(item["start"], item["end"], labels[layer, item["label"]]) for item in items if len(item) == 3]
    except (KeyError, TypeError):  # another key, an unknown label, a label that is not a string
        return None
    if len(quick) != len(items):
        return None
    for start, end, _label in quick:
        if not (type(start) is int and type(end) is int and 0 <= start < end <= length):
            return None
    return quick


def set_parse(number: int, record: dict, schema: Schema) -> PreparedSet | list[str]:
    """The set of one record, or its problems (each naming its place in the file: the record's `_where`,
    else its line, and each item as the file has it, the record's `_places`, else its list and index)."""
    where = record.get("_where") or _("line %(number)s") % {"number": number}
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        return [f"{where}: " + _("`text` must be a non-empty string")]
    if problem := unstorable(record["text"]):
        return [f"{where}: {_(problem)}"]
    problems: list[str] = []
    parts = {key: _objects(record, key, where, problems) for key in ("entities", "boilerplate", "events")}
    if problems:
        return problems
    source = record["text"]
    text, mapping = normalize_text_mapped(source)  # offsets in the file refer to `source`
    offsets = _Offsets(source, text, mapping)
    prepared = PreparedSet(number, record, text, text_sha256(text), where=where, author=record.get("_author"),
                           model=record.get("_model"), document_only=bool(record.get("_document_only")),
                           comment=str(record.get("_comment") or "")[:2000], task=record.get("_task", number))
    places = record.get("_places") or {}
    ids = {}
    labels, spans = schema.labels, prepared.spans
    # Each span's client id: a UUID's 128 bits as hex, drawn for the whole set at once (no UUID objects).
    random = os.urandom(16 * (len(parts["entities"]) + len(parts["boilerplate"]))).hex()
    plain, length = offsets.plain, len(source)
    for kind, layer in (("entities", Layer.ENTITY), ("boilerplate", Layer.BOILERPLATE)):
        if plain and (quick := _plain_spans(parts[kind], layer, labels, length)) is not None:
            first = len(spans)
            spans.extend([random[32 * k:32 * k + 32], label, start, end]
                         for k, (start, end, label) in enumerate(quick, first))
            continue
        named, listed = places.get(kind), places.get("list")
        for i, item in enumerate(parts[kind]):
            start, end, name = item.get("start"), item.get("end"), item.get("label")
            at = named[i] if named and i < len(named) else i
            at = at if type(at) is str else f"{listed or kind}[{at}]"
            if plain and type(start) is int and type(end) is int and 0 <= start < end <= length:
                stored = start, end  # the usual case, as _Offsets.stored would say
            else:
                stored = offsets.stored(start, end)
                if type(stored) is str:
                    problems.append(f"{where}: {at}: {stored}")
                    continue
            if "text" in item and (not isinstance(item["text"], str)
                                   or normalize_text(item["text"]) != text[stored[0]:stored[1]]):
                hint = f"; {item['hint']}" if item.get("hint") else ""
                problems.append(f"{where}: {at}: " + _("the text at %(start)s–%(end)s is %(found)r, not %(said)r") % {
                    "start": start, "end": end, "found": source[start:end], "said": item["text"]} + hint)
                continue
            label = (type(name) is str and labels.get((layer, name))) or _label(schema, layer, name,
                                                                                 f"{where}: {at}")
            if type(label) is str:
                problems.append(label)
                continue
            k = 32 * len(spans)
            client_id = random[k:k + 32]
            if item.get("id"):
                ids[str(item["id"])] = client_id
            spans.append([client_id, label, stored[0], stored[1]])
    for i, item in enumerate(parts["events"]):
        if event := _event(schema, item, f"{where}: events[{i}]", offsets, ids, problems):
            prepared.events.append(event)
    return problems or prepared


def _event(schema: Schema, item: dict, at: str, offsets: _Offsets, ids: dict, problems: list[str]):
    trigger = item.get("trigger") or {}
    if not isinstance(trigger, dict):
        problems.append(f"{at}: " + _("`trigger` must be an object with start and end"))
        return None
    event_type = schema.labels.get((Layer.EVENT, item.get("type"))) if isinstance(item.get("type"), str) else None
    if event_type is None:
        problems.append(f"{at}: " + _("unknown event type %(type)r") % {"type": item.get("type")})
        return None
    stored = offsets.stored(trigger.get("start"), trigger.get("end"))
    if isinstance(stored, str):
        problems.append(f"{at}: " + _("trigger %(problem)s") % {"problem": stored})
        return None
    arguments = []
    for argument in _objects(item, "arguments", at, problems):
        role = schema.roles.get((event_type.pk, argument.get("role"))) if isinstance(argument.get("role"), str) else None
        target = ids.get(str(argument.get("entity_id")))
        if role is None or target is None:
            problems.append(f"{at}: " + _("argument %(argument)r names an unknown role or entity") % {"argument": argument})
            continue
        arguments.append((role, target))
    return (os.urandom(16).hex(), event_type, *stored, arguments)
