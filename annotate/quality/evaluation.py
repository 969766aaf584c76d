"""Model versions measured against gold (issue #18): for each model whose predictions were imported
(a user model:NAME:VERSION), precision, recall and F1 per label against the documents' accepted gold sets,
exact (same characters and label) and overlapping (same label, sharing a character); the errors by kind,
each with its document; and the trend over versions. Spans of every layer (entities and boilerplate) and
event triggers (an event's label is its type; its arguments are not scored here)."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotate.models import Event, Span, Task, TaskStatus
from corpus.models import Document

KINDS = ("false positive", "false negative", "wrong label", "wrong boundary")


@dataclass
class Score:
    exact: Counter = field(default_factory=Counter)  # tp, fp, fn
    overlap: Counter = field(default_factory=Counter)  # tp_pred, pred, tp_gold, gold

    @staticmethod
    def _prf(tp_p, predicted, tp_g, gold) -> dict:
        precision = tp_p / predicted if predicted else 0.0
        recall = tp_g / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}

    def as_dict(self) -> dict:
        e, o = self.exact, self.overlap
        return {"exact": {**self._prf(e["tp"], e["tp"] + e["fp"], e["tp"], e["tp"] + e["fn"]),
                          "tp": e["tp"], "fp": e["fp"], "fn": e["fn"]},
                "overlapping": self._prf(o["tp_pred"], o["pred"], o["tp_gold"], o["gold"]),
                "predicted": e["tp"] + e["fp"], "gold": e["tp"] + e["fn"]}


def _natural(text: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def model_versions(project) -> list[tuple[int, str]]:
    """(user id, MODEL:VERSION) of the models with predictions in the project, in version order."""
    rows = (Task.objects.filter(project=project, annotator__username__startswith="model:")
            .order_by().values_list("annotator_id", "annotator__username").distinct())
    return sorted(((pk, name.removeprefix("model:")) for pk, name in rows), key=lambda r: _natural(r[1]))


def _spans(tasks) -> dict[int, list[tuple[int, int, int]]]:
    """(label, start, end) of each set's spans and event triggers (an event's label is its type); `tasks` a
    queryset, read as a subquery (no list of ids as parameters, whatever the project's size)."""
    found = defaultdict(list)
    task_ids = tasks.values("id")
    for model, label in ((Span, "label_id"), (Event, "event_type_id")):
        for task_id, label_id, start, end in model.objects.filter(task_id__in=task_ids).values_list(
                "task_id", label, "start", "end"):
            found[task_id].append((label_id, start, end))
    return found


def compare(predicted: list[tuple], gold: list[tuple], scores: dict, errors: list, document_id: int) -> None:
    """One document: (label, start, end) lists; adds to scores (label → Score, None → all) and errors."""
    p_set, g_set = set(predicted), set(gold)
    g_at = defaultdict(list)
    for label, start, end in gold:
        g_at[(start, end)].append(label)
    p_at = {(start, end) for _label, start, end in predicted}
    for key in (None, *{label for label, _s, _e in predicted + gold}):
        scores.setdefault(key, Score())
    for label, start, end in p_set:
        for key in (label, None):
            scores[key].exact["tp" if (label, start, end) in g_set else "fp"] += 1
            scores[key].overlap["pred"] += 1
        if any(gl == label and gs < end and start < ge for gl, gs, ge in gold):
            for key in (label, None):
                scores[key].overlap["tp_pred"] += 1
        if (label, start, end) in g_set:
            continue
        other = [gl for gl in g_at.get((start, end), []) if gl != label]
        if other:
            errors.append(("wrong label", document_id, label, other[0], start, end, start, end))
        else:
            near = next(((gs, ge) for gl, gs, ge in gold if gl == label and gs < end and start < ge), None)
            if near:
                errors.append(("wrong boundary", document_id, label, label, start, end, *near))
            else:
                errors.append(("false positive", document_id, label, None, start, end, None, None))
    for label, start, end in g_set:
        hit = (label, start, end) in p_set
        for key in (label, None):
            if not hit:
                scores[key].exact["fn"] += 1
            scores[key].overlap["gold"] += 1
        if any(pl == label and ps < end and start < pe for pl, ps, pe in predicted):
            for key in (label, None):
                scores[key].overlap["tp_gold"] += 1
        elif not hit and (start, end) not in p_at:
            errors.append(("false negative", document_id, None, label, None, None, start, end))


def evaluation_report(project, *, version: str | None = None, max_errors: int = 500) -> dict:
    """Every model version's scores over the documents with an accepted gold set (the trend), and for one
    version (the newest unless named) the scores per label and the errors by kind."""
    labels = {lab.pk: lab.name for lab in project.labels.all()}
    gold = Task.gold_sets.filter(project=project, status=TaskStatus.SUBMITTED)
    gold_tasks = dict(gold.values_list("document_id", "id"))
    gold_spans = _spans(gold)
    versions = model_versions(project)
    if version is not None and version not in {name for _pk, name in versions}:
        raise LookupError(f"No model {version!r} in this project.")
    chosen = version or (versions[-1][1] if versions else None)
    trend, detail = [], None
    texts = {}
    # Every version's sets on the gold documents, and their marks, read once (not once a version).
    all_model_tasks = Task.objects.filter(project=project, annotator_id__in=[pk for pk, _name in versions],
                                          document_id__in=gold.values("document_id"))
    tasks_of: dict[int, dict] = defaultdict(dict)
    for user_id, document_id, task_id in all_model_tasks.values_list("annotator_id", "document_id", "id"):
        tasks_of[user_id][document_id] = task_id
    predicted = _spans(all_model_tasks) if versions else {}
    for user_id, name in versions:
        tasks = tasks_of[user_id]
        scores: dict = {}
        errors: list = []
        for document_id, task_id in tasks.items():
            compare(predicted.get(task_id, []), gold_spans.get(gold_tasks[document_id], []), scores, errors,
                    document_id)
        total = scores.get(None, Score()).as_dict()
        trend.append({"model": name, "documents": len(tasks), "exact_f1": total["exact"]["f1"],
                      "overlapping_f1": total["overlapping"]["f1"]})
        if name == chosen:
            counts = Counter(e[0] for e in errors)
            errors.sort(key=lambda e: (KINDS.index(e[0]), e[1], e[4] if e[4] is not None else e[6]))
            shown = errors[:max_errors]
            texts = dict(Document.objects.filter(pk__in={e[1] for e in shown}).values_list("pk", "text"))
            detail = {
                "model": name, "documents": len(tasks), "total": total,
                "labels": [{"label": labels[key], **score.as_dict()} for key, score in
                           sorted(((k, v) for k, v in scores.items() if k is not None), key=lambda kv: labels[kv[0]])],
                "error_counts": {kind: counts.get(kind, 0) for kind in KINDS},
                "errors": [_error(e, labels, texts) for e in shown],
                "errors_left_out": max(0, len(errors) - len(shown)),
            }
    return {"gold_documents": len(gold_tasks), "versions": trend, "report": detail}


def _error(error, labels, texts) -> dict:
    kind, document_id, label, gold_label, start, end, gold_start, gold_end = error
    text = texts.get(document_id, "")
    return {"kind": kind, "document": document_id,
            "predicted": None if start is None else {"label": labels[label], "start": start, "end": end,
                                                     "text": text[start:end]},
            "gold": None if gold_start is None else {"label": labels[gold_label], "start": gold_start,
                                                     "end": gold_end, "text": text[gold_start:gold_end]}}
