"""One document's contribution to the agreement report, computed without the database: what the report's
worker processes run (annotate.quality.agreement.report reads the marks, these compute, the report keeps and adds).
Nothing here imports Django."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotate.quality.agreement.metrics import (
    ALL,
    OUTSIDE,
    AlphaTally,
    Mark,
    Tokens,
    confusion,
    f1,
    pairs,
    span_tally,
    token_labels,
)

LAYERS = ("entity", "boilerplate", "trigger", "argument")
TOKEN_LAYERS = ("entity", "boilerplate", "trigger")  # arguments are pairs of spans, not token labels


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
                tally.spans[(layer, (x, y))] = span_tally(sets[x][layer], sets[y][layer])  # one pair, once
        if layer in TOKEN_LAYERS:
            if not any(marks[layer] for marks in sets.values()):  # all OUTSIDE: kappa and alpha in one step
                for x, y in pairs(sets):
                    tally.confusion[(layer, (x, y))][(OUTSIDE, OUTSIDE)] += token_count
                tally.alpha[layer].values[OUTSIDE] += len(sets) * token_count
                continue
            labels = {who: token_labels(marks[layer], prepared) for who, marks in sets.items()}
            for x, y in pairs(sets):
                tally.confusion[(layer, (x, y))] = confusion(labels[x], labels[y], token_count)
            tally.alpha[layer].add_document(list(labels.values()), token_count)
    return tally


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



def tally_to_json(tally) -> dict:
    """Annotators by their index in "names" (a tally repeats them in every entry): a kept tally stays under
    PostgreSQL's 2 kB compression threshold, and is written, read and added up faster."""
    names = sorted({who for (_layer, pair) in [*tally.spans, *tally.confusion] for who in pair})
    index = {who: i for i, who in enumerate(names)}
    return {
        "documents": tally.documents,
        "names": names,
        "annotators": dict(tally.annotators),
        "spans": [[layer, index[x], index[y], label, name, n] for (layer, (x, y)), counts in tally.spans.items()
                  for (label, name), n in counts.items()],
        "confusion": [[layer, index[x], index[y], la, lb, n] for (layer, (x, y)), matrix in tally.confusion.items()
                      for (la, lb), n in matrix.items()],
        "alpha": {layer: [a.disagreement, dict(a.values)] for layer, a in tally.alpha.items()},
    }


def encode(tally) -> str:
    return json.dumps(tally_to_json(tally), separators=(",", ":"), ensure_ascii=False)


def marks_of(columns: dict, labels: dict) -> dict[str, list[Mark]]:
    """A set's marks per layer from its columns (annotate.quality.agreement.report.batch_rows): "s" spans
    (labels, starts, ends), "e" events (ids, types, starts, ends), "a" arguments (event ids, role names,
    the entity's starts and ends)."""
    marks: dict[str, list[Mark]] = {layer: [] for layer in LAYERS}
    for label, start, end in zip(*columns["s"], strict=True):
        name, layer = labels[label]
        marks[layer].append(Mark(name, start, end))
    triggers = {}
    for pk, label, start, end in zip(*columns["e"], strict=True):
        key = (labels[label][0], start, end)
        marks["trigger"].append(Mark(*key))
        triggers[pk] = key
    for event, role, start, end in zip(*columns["a"], strict=True):
        marks["argument"].append(Mark(role, start, end, triggers[event]))
    return marks


def tally_of(labels: dict, job) -> DocumentTally:
    """job: (document id, {annotator: columns}, packed tokens or None)."""
    _doc, sets, packed = job
    marks = {who: marks_of(rows, labels) for who, rows in sets.items()}
    return document_tally(marks, Tokens(packed=packed) if packed is not None else Tokens())


def tally_jobs(work) -> tuple[list[tuple[int, str, float]], dict]:
    """work: (labels, jobs). Each document's (id, encoded tally, score), and the sum of them all: what a
    worker process sends back (the report adds one sum per part, not each document)."""
    labels, jobs = work
    out, total = [], DocumentTally()
    for job in jobs:
        tally = tally_of(labels, job)
        out.append((job[0], encode(tally), document_score(tally)))
        total.add(tally)
    return out, tally_to_json(total)
