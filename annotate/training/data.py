"""The project's sets as training samples: each document's stored text, tokens and sentences, and its marks
by layer, in code-point offsets on token edges exactly as annotated (a mark whose edge falls inside a token,
which a person may make on purpose with Alt, is counted and left out: a token-based model cannot learn it).

Which set stands for a document: its accepted gold set; with source="submitted", where no gold exists yet, the
earliest submitted annotator's set."""

from bisect import bisect_left
from dataclasses import dataclass, field

from annotate.interop.formats.spacy import doc_layout
from annotate.models import Event, EventArgument, Label, Layer, Span, Task, TaskStatus
from corpus.models import Document, DocumentTokens
from corpus.tokens import unpack_indexes, unpack_tokens

SOURCES = ("gold", "submitted")


@dataclass
class Sample:
    document_id: int
    text: str
    language: str
    tokens: list[tuple[int, int]]
    sentence_starts: list[int]  # token indexes
    entities: list[tuple[str, int, int]] = field(default_factory=list)  # (label, start, end) in code points
    triggers: list[tuple[str, int, int]] = field(default_factory=list)  # (event type, start, end)
    boilerplate: list[tuple[str, int, int]] = field(default_factory=list)
    # (trigger index, role, entity index) into triggers and entities
    arguments: list[tuple[int, str, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _layout: tuple | None = field(default=None, repr=False)

    def layout(self) -> tuple[list[str], list[bool], list[int]]:
        """The spaCy Doc's words and spaces (its text is the stored text exactly, line breaks as tokens: the
        spaCy export's layout), and the Doc index of each stored token."""
        if self._layout is None:
            self._layout = doc_layout(self.text, self.tokens)
        return self._layout

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """(first token, end token) of the characters [start, end) when both are token edges, else None."""
        if len(self._starts) != len(self.tokens):
            self._starts = [s for s, _e in self.tokens]
        i = bisect_left(self._starts, start)
        if i == len(self.tokens) or self.tokens[i][0] != start:
            return None
        j = i
        while j < len(self.tokens) and self.tokens[j][1] < end:
            j += 1
        if j == len(self.tokens) or self.tokens[j][1] != end:
            return None
        return i, j + 1

    def sentence_of(self, token: int) -> int:
        return bisect_left(self.sentence_starts, token + 1) - 1


def chosen_sets(project, *, source: str = "gold") -> dict[int, int]:
    """document id → the task id of the set that stands for it."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    chosen = dict(Task.gold_sets.filter(project=project, status=TaskStatus.SUBMITTED)
                  .values_list("document_id", "id"))
    if source == "submitted":
        rows = (Task.objects.filter(project=project, status=TaskStatus.SUBMITTED)
                .exclude(annotator__username__startswith="model:")
                .order_by("document_id", "id").values_list("document_id", "id"))
        for document_id, task_id in rows:
            chosen.setdefault(document_id, task_id)
    return chosen


def samples_load(project, task_of: dict[int, int], *, skipped: dict | None = None) -> list[Sample]:
    """The samples of the documents in `task_of` (document → task), in document order. `skipped` counts the
    marks left out (not on token edges, an argument whose entity was left out)."""
    skipped = {} if skipped is None else skipped
    labels = {pk: (layer, name) for pk, layer, name in Label.objects.filter(project=project)
              .values_list("pk", "layer", "name")}
    task_ids = list(task_of.values())
    documents = {pk: (text, language) for pk, text, language in
                 Document.objects.filter(pk__in=list(task_of)).values_list("pk", "text", "language")}
    segmentation = {doc: (tokens, sentences) for doc, tokens, sentences in DocumentTokens.objects.filter(
        document_id__in=list(task_of)).values_list("document_id", "tokens", "sentences")}
    spans_by_task: dict[int, list] = {}
    for pk, task_id, label_id, start, end in Span.objects.filter(task_id__in=task_ids).order_by(
            "task_id", "start", "end").values_list("pk", "task_id", "label_id", "start", "end"):
        spans_by_task.setdefault(task_id, []).append((pk, label_id, start, end))
    events_by_task: dict[int, list] = {}
    for pk, task_id, type_id, start, end in Event.objects.filter(task_id__in=task_ids).order_by(
            "task_id", "start", "end").values_list("pk", "task_id", "event_type_id", "start", "end"):
        events_by_task.setdefault(task_id, []).append((pk, type_id, start, end))
    arguments: dict[int, list] = {}
    for event_id, role, span_id in EventArgument.objects.filter(event__task_id__in=task_ids).values_list(
            "event_id", "role__name", "span_id"):
        arguments.setdefault(event_id, []).append((role, span_id))
    samples = []
    for document_id in sorted(task_of):
        if document_id not in documents or document_id not in segmentation:
            skipped["no tokens"] = skipped.get("no tokens", 0) + 1
            continue
        task_id = task_of[document_id]
        text, language = documents[document_id]
        tokens, sentences = segmentation[document_id]
        sample = Sample(document_id, text, language, unpack_tokens(tokens), unpack_indexes(sentences))
        entity_index = {}
        for pk, label_id, start, end in spans_by_task.get(task_id, []):
            layer, name = labels[label_id]
            if sample.token_span(start, end) is None:
                skipped["inside a token"] = skipped.get("inside a token", 0) + 1
                continue
            if layer == Layer.ENTITY:
                entity_index[pk] = len(sample.entities)
                sample.entities.append((name, start, end))
            elif layer == Layer.BOILERPLATE:
                sample.boilerplate.append((name, start, end))
        for pk, type_id, start, end in events_by_task.get(task_id, []):
            if sample.token_span(start, end) is None:
                skipped["inside a token"] = skipped.get("inside a token", 0) + 1
                continue
            trigger = len(sample.triggers)
            sample.triggers.append((labels[type_id][1], start, end))
            for role, span_id in arguments.get(pk, []):
                if span_id in entity_index:
                    sample.arguments.append((trigger, role, entity_index[span_id]))
                else:
                    skipped["argument"] = skipped.get("argument", 0) + 1
        samples.append(sample)
    return samples
