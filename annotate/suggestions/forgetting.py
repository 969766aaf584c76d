"""Removed means removed, for the suggesters (issue #28 item 1). When a change takes a mark away (deletes
it, relabels it, moves it, or undoes it):

- in an annotator's task, what was there is rejected for that task (a reject_suggestion op beside the
  change, so that undoing the change takes the rejection back too): the same label on the same characters
  is not suggested to them again, and "Accept all" cannot bring it back;
- in a gold set, the curator's word teaches the project: that label on that string (folded) is suggested
  nowhere in the project again (a reject_in_project op; the suggesters' admin lists them and undoes one);
- a gazetteer entry whose every source is gone (its owner, or the gold sets, no longer mark that string
  with that label anywhere in the project) is forgotten, and so is a repeated line that no boilerplate span
  of its label covers any more in its collection.

The first two are ops, added to the change before it runs; the third runs after, when the spans are gone."""

from django.db.models import F
from django.db.models.functions import Substr

from annotate.models import (
    GazetteerEntry,
    Layer,
    ProjectRejection,
    RepeatedLine,
    Span,
    SuggestionRejection,
    TaskKind,
)
from annotate.schema_cache import project_schema
from annotate.suggestions.compute import suggestions_enabled
from annotate.suggestions.folding import fold, line_hash, lines_of

REMOVING = {"remove_span": "label_id", "remove_event": "type_id"}
CHANGING = {"change_span": "label_id", "change_event": "type_id"}


def taken_away(ops: list[dict], *, undoing: bool = False) -> list[tuple[str, int, int, int]]:
    """(kind, label or event type id, start, end) of every mark these ops take away or change. Undoing the
    acceptance of a suggestion (a mark with an origin) gives the suggestion back, so that is not counted."""
    gone = []
    for op in ops:
        if undoing and op["op"] in REMOVING and op["data"].get("origin"):
            continue
        if op["op"] in REMOVING:
            data, ref = op["data"], REMOVING[op["op"]]
            gone.append((op["op"].split("_")[1], data[ref], data["start"], data["end"]))
        elif op["op"] in CHANGING and op["before"] != op["after"]:
            before, ref = op["before"], CHANGING[op["op"]]
            gone.append((op["op"].split("_")[1], before[ref], before["start"], before["end"]))
    return gone


def forgetting_ops(task, ops: list[dict], by, *, undoing: bool = False) -> list[dict]:
    """The rejections that go with a change that takes marks away (none when the project suggests nothing)."""
    gone = taken_away(ops, undoing=undoing)
    if not gone or not suggestions_enabled(task.project):
        return []
    text, language = task.document.text, task.document.language
    if task.is_gold:
        spans = {(label_id, fold(text[a:b], language), text[a:b]) for kind, label_id, a, b in gone if kind == "span"}
        spans = {(label_id, key, shown) for label_id, key, shown in spans if key and len(key) <= 200}
        known = set(ProjectRejection.objects.filter(project_id=task.project_id, key__in={k for _l, k, _t in spans})
                    .values_list("label_id", "key")) if spans else set()
        return [{"op": "reject_in_project", "data": {"label_id": label_id, "key": key, "text": shown[:200],
                                                     "by": by.pk}}
                for label_id, key, shown in sorted(spans) if (label_id, key) not in known]
    marks = {(label_id, a, b) for _kind, label_id, a, b in gone}
    known = set(SuggestionRejection.objects.filter(task_id=task.pk, label_id__in={m[0] for m in marks})
                .values_list("label_id", "start", "end"))
    return [{"op": "reject_suggestion", "data": {"label_id": label_id, "start": a, "end": b, "origin": "removed"}}
            for label_id, a, b in sorted(marks - known)]


def gazetteer_forget(task, ops: list[dict]) -> None:
    """After the change: the gazetteer entries of the spans it took away whose string the owner (the task's
    annotator, or the gold sets) no longer marks with that label anywhere in the project."""
    project = task.project
    gone = [(label_id, a, b) for kind, label_id, a, b in taken_away(ops) if kind == "span"]
    if not gone or not project.suggest_gazetteer:
        return
    text, language = task.document.text, task.document.language
    owner = None if task.is_gold else task.annotator_id
    for label_id, a, b in gone:
        key = fold(text[a:b], language)
        entry = GazetteerEntry.objects.filter(project=project, owner_id=owner, key=key, label_id=label_id).first()
        if entry is None:
            continue
        # The owner's spans of that label whose length is near the string's (folding only merges spaces),
        # read as text and folded: is the string still marked somewhere?
        others = Span.objects.filter(task__project=project, label_id=label_id,
                                     task__kind=TaskKind.GOLD if owner is None else TaskKind.ANNOTATION)
        if owner is not None:
            others = others.filter(task__annotator_id=owner)
        strings = (others.annotate(length=F("end") - F("start")).filter(length__gte=len(key), length__lte=(b - a) + 20)
                   .annotate(piece=Substr("task__document__text", F("start") + 1, F("end") - F("start")))
                   .values_list("piece", "task__document__language").iterator(chunk_size=500))
        if not any(fold(piece, lang) == key for piece, lang in strings):  # stops at the first one still marked
            entry.delete()


def repeated_lines_forget(task, ops: list[dict]) -> None:
    """After the change: the repeated lines of the boilerplate spans it took away that no boilerplate span of
    that label covers any more in the documents of the same collection."""
    project, document = task.project, task.document
    if not project.suggest_repetition:
        return
    layers = {lab.pk: lab.layer for lab in project_schema(project)[0]}
    text, language = document.text, document.language
    for _kind, label_id, a, b in taken_away(ops):
        if layers.get(label_id) != Layer.BOILERPLATE:
            continue
        hashes = {line_hash(text[x:y], language) for x, y in lines_of(text) if a <= x and y <= b}
        known = set(RepeatedLine.objects.filter(project=project, collection_id=document.collection_id,
                                                label_id=label_id, line_hash__in=hashes)
                    .values_list("line_hash", flat=True))
        if not known:
            continue
        covering = (Span.objects.filter(task__project=project, label_id=label_id,
                                        task__document__collection_id=document.collection_id)
                    .annotate(piece=Substr("task__document__text", F("start") + 1, F("end") - F("start")))
                    .values_list("piece", "task__document__language").iterator(chunk_size=500))
        for piece, lang in covering:  # stops as soon as every known line is still covered somewhere
            known -= {line_hash(piece[x:y], lang) for x, y in lines_of(piece)}
            if not known:
                break
        if known:
            RepeatedLine.objects.filter(project=project, collection_id=document.collection_id, label_id=label_id,
                                        line_hash__in=known).delete()
