"""Each annotator against gold: for the documents with an accepted gold set, every submitted set compared
with it, span by span, per layer and label: precision (the annotator's spans that gold holds), recall (gold's
spans the annotator found) and F1, exact and overlapping (the same matching as the pairwise report)."""

from collections import Counter, defaultdict
from itertools import batched

from annotate.models import Task, TaskStatus
from annotate.quality.agreement.metrics import ALL, span_tally
from annotate.quality.agreement.report import BATCH, LAYERS, batch_marks, project_tally, report_data


def _scores(counts: Counter, label: str, kind: str) -> dict:
    mine, gold = counts[(label, "a")], counts[(label, "b")]
    precision = counts[(label, f"{kind}_a")] / mine if mine else None
    recall = counts[(label, f"{kind}_b")] / gold if gold else None
    if precision is None or recall is None:
        f1 = 0.0 if (mine or gold) else None
    else:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}


def against_gold(project, *, collection=None, finished_from=None, finished_to=None) -> dict:
    """{"documents": n, "annotators": {name: {layer: {label: {"exact": {precision, recall, f1}, "overlap":
    {…}, "spans": [annotator's, gold's]}}}}} over the documents whose gold set is accepted."""
    golds = Task.gold_sets.filter(project=project, status=TaskStatus.SUBMITTED)
    tasks = Task.objects.filter(project=project, status=TaskStatus.SUBMITTED).by_people()
    if collection is not None:
        golds, tasks = golds.filter(collection=collection), tasks.filter(collection=collection)
    if finished_from:
        tasks = tasks.filter(finished_at__date__gte=finished_from)
    if finished_to:
        tasks = tasks.filter(finished_at__date__lte=finished_to)
    gold_of = dict(golds.values_list("document_id", "id"))
    sets = defaultdict(list)
    for pk, document, who in tasks.filter(document_id__in=list(gold_of)).values_list(
            "id", "document_id", "annotator__username").order_by("document_id", "id"):
        sets[document].append((pk, who))
    totals: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for batch in batched(list(sets.items()), BATCH):
        marks = batch_marks(project, [gold_of[doc] for doc, _ in batch] + [pk for _, own in batch for pk, _ in own])
        for doc, own in batch:
            gold = marks[gold_of[doc]]
            for pk, who in own:
                for layer in LAYERS:
                    totals[(who, layer)].update(span_tally(marks[pk][layer], gold[layer]))
    annotators: dict = defaultdict(dict)
    for (who, layer), counts in sorted(totals.items()):
        labels = sorted({label for label, _name in counts if label != ALL})
        annotators[who][layer] = {
            label: {"exact": _scores(counts, label, "exact"), "overlap": _scores(counts, label, "overlap"),
                    "spans": [counts[(label, "a")], counts[(label, "b")]]}
            for label in [ALL, *labels]
        }
    return {"documents": len(sets), "annotators": dict(annotators)}


def project_report(project, **filters) -> dict:
    """The whole report: annotators with each other (report_data) and each against gold."""
    data = report_data(project_tally(project, **filters))
    data["against_gold"] = against_gold(project, **filters)
    return data
