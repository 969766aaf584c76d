"""The agreement report of a project: every document that two annotators or more have submitted, each
layer (entities, boilerplate, event triggers, event arguments) and each label.

Documents are read a batch at a time (tasks, spans, events, arguments and tokens: five queries a batch)
and each gives a DocumentTally; the report is their sum, so that it is brought up to date by changing one
document's tally (report.py computes; the page, the API and the CSV present)."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import batched

from django.db import transaction

from annotate.models import (
    DocumentAgreement,
    Event,
    EventArgument,
    Label,
    Layer,
    ProjectAgreement,
    Span,
    Task,
    TaskStatus,
)
from corpus.models import DocumentTokens

from . import cache
from .metrics import (
    ALL,
    OUTSIDE,
    AlphaTally,
    Mark,
    Tokens,
    confusion,
    f1,
    kappa,
    pairs,
    span_tally,
    token_labels,
)

LAYERS = ("entity", "boilerplate", "trigger", "argument")
TOKEN_LAYERS = ("entity", "boilerplate", "trigger")  # arguments are pairs of spans, not token labels
BATCH = 500


@dataclass
class DocumentTally:
    """What one document adds to the report."""

    documents: int = 0
    spans: dict = field(default_factory=lambda: defaultdict(Counter))  # (layer, pair) -> span_tally
    confusion: dict = field(default_factory=lambda: defaultdict(Counter))  # (layer, pair) -> Counter
    alpha: dict = field(default_factory=lambda: defaultdict(AlphaTally))  # layer -> AlphaTally
    annotators: Counter = field(default_factory=Counter)  # annotator -> documents

    def add(self, other: "DocumentTally") -> None:
        self.documents += other.documents
        self.annotators.update(other.annotators)
        for key, tally in other.spans.items():
            self.spans[key].update(tally)
        for key, matrix in other.confusion.items():
            self.confusion[key].update(matrix)
        for key, tally in other.alpha.items():
            self.alpha[key].add(tally)


def document_tally(sets: dict[str, dict[str, list[Mark]]], tokens) -> DocumentTally:
    """`sets`: annotator -> layer -> marks, for one document; `tokens`: its (start, end) pairs or Tokens."""
    tally = DocumentTally(documents=1, annotators=Counter(sets.keys()))
    prepared = tokens if isinstance(tokens, Tokens) else Tokens(tokens)
    token_count = prepared.count
    for layer in LAYERS:
        for x, y in pairs(sets):
            if sets[x][layer] or sets[y][layer]:
                tally.spans[(layer, (x, y))].update(span_tally(sets[x][layer], sets[y][layer]))
        if layer in TOKEN_LAYERS:
            if not any(marks[layer] for marks in sets.values()):  # all OUTSIDE: kappa and alpha in one step
                for x, y in pairs(sets):
                    tally.confusion[(layer, (x, y))][(OUTSIDE, OUTSIDE)] += token_count
                tally.alpha[layer].values[OUTSIDE] += len(sets) * token_count
                continue
            labels = {who: token_labels(marks[layer], prepared) for who, marks in sets.items()}
            for x, y in pairs(sets):
                tally.confusion[(layer, (x, y))].update(confusion(labels[x], labels[y], token_count))
            tally.alpha[layer].add_document(list(labels.values()), token_count)
    return tally


def project_tally(project, *, collection=None, finished_from=None, finished_to=None) -> DocumentTally:
    """The sum over the project's documents with two submitted sets or more (filters: a collection, the
    dates the sets were submitted). The whole project's report is a running total (ProjectAgreement):
    only the documents whose sets changed are computed again, their old tallies taken away. With a
    collection, the kept document tallies are summed; with dates (which leave sets out), computed."""
    tasks = Task.objects.filter(project=project, status=TaskStatus.SUBMITTED)
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


def document_score(tally: DocumentTally) -> float:
    """One number for a document: exact span F1 over all its layers together, the mean over its pairs (1.0
    when nobody marked anything)."""
    scores = []
    for pair in pairs(tally.annotators):
        counts = Counter()
        for layer in LAYERS:
            counts.update(tally.spans.get((layer, pair), Counter()))
        value = f1(counts, ALL, "exact")
        scores.append(1.0 if value is None else value)
    return sum(scores) / len(scores) if scores else 1.0


def _owners(batch):
    return [(doc, {task: who for task, (who, _v, _at) in owners.items()}) for doc, owners in batch]


def _computed(project, batch, signatures) -> dict[int, "DocumentTally"]:
    """Tallies of the batch's documents, kept for the next report."""
    tallies = dict(zip((doc for doc, _ in batch), _batch_tallies(project, _owners(batch)), strict=True))
    cache.store(project, {doc: (signatures[doc], cache.encode(t), document_score(t)) for doc, t in tallies.items()})
    return tallies


def _summed(project, shared) -> DocumentTally:
    """Kept tallies summed, the stale ones computed again."""
    total = DocumentTally()
    for batch in batched(shared, BATCH):
        known = cache.stored(project, [doc for doc, _ in batch])
        signatures = {doc: cache.signature(owners, project.schema_version) for doc, owners in batch}
        stale = []
        for doc, owners in batch:
            entry = known.get(doc)
            if entry is not None and entry[0] == signatures[doc]:
                cache.tally_add_json(total, entry[1])
            else:
                stale.append((doc, owners))
        for tally in _computed(project, stale, signatures).values():
            total.add(tally)
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
    for batch in batched(todo, BATCH):
        for tally in _computed(project, batch, signatures).values():
            total.add(tally)
    if row is None or todo or gone or not known:
        ProjectAgreement.objects.bulk_create(
            [ProjectAgreement(project=project, tally=cache.encode(total))],
            update_conflicts=True, unique_fields=["project"], update_fields=["tally", "updated_at"])
    return total


def batch_marks(project, task_ids) -> dict[int, dict[str, list[Mark]]]:
    """Each set's marks per layer, for these tasks (annotators' or gold): four queries."""
    marks = {task: {layer: [] for layer in LAYERS} for task in task_ids}
    # Label names by id (a few dozen rows), so that the spans are read without a join.
    labels = {pk: (name, "boilerplate" if layer == Layer.BOILERPLATE else "entity")
              for pk, name, layer in Label.objects.filter(project=project).values_list("pk", "name", "layer")}
    for task, label, start, end in Span.objects.filter(task_id__in=marks).values_list(
            "task_id", "label_id", "start", "end"):
        name, layer = labels[label]
        marks[task][layer].append(Mark(name, start, end))
    triggers = {}
    for pk, task, label, start, end in Event.objects.filter(task_id__in=marks).values_list(
            "id", "task_id", "event_type_id", "start", "end"):
        name = labels[label][0]
        marks[task]["trigger"].append(Mark(name, start, end))
        triggers[pk] = (task, (name, start, end))
    for event, role, start, end in EventArgument.objects.filter(event_id__in=triggers).values_list(
            "event_id", "role__name", "span__start", "span__end"):
        task, key = triggers[event]
        marks[task]["argument"].append(Mark(role, start, end, key))
    return marks


def _batch_tallies(project, batch):
    if not batch:
        return
    marks = batch_marks(project, [task for _doc, owners in batch for task in owners])
    tokens = dict(DocumentTokens.objects.filter(document_id__in=[doc for doc, _ in batch])
                  .values_list("document_id", "tokens"))
    for doc, owners in batch:
        sets = {who: marks[task] for task, who in owners.items()}
        yield document_tally(sets, Tokens(packed=tokens[doc]) if doc in tokens else Tokens())


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
