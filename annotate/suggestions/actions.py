"""Accepting and rejecting suggestions, as changes of the task like any other (annotation_apply: history,
undo, redo). The page names a suggestion by its key; the suggestions are worked out again here, so a page
can accept only what is really suggested to it, and the span it gets says where it came from (origin)."""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from annotate.rows import annotation_rows
from annotate.schema_cache import project_schema
from annotate.suggestions.compute import suggestions_for, suggestions_shown


def _current(task):
    if not suggestions_shown(task, task.annotator_id):
        raise ValidationError(_("This set has no suggestions."))
    labels = {lab.pk: lab for lab in project_schema(task.project)[0]}
    own = annotation_rows(task.pk, all_events=False).marks()
    return labels, suggestions_for(task, own=own, labels=labels)


def _accept_op(suggestion) -> dict:
    data = {"client_id": str(uuid.uuid4()), "start": suggestion.start, "end": suggestion.end,
            "origin": suggestion.origin}
    if suggestion.kind == "event":
        return {"op": "add_event", "data": {**data, "type_id": suggestion.label_id}}
    return {"op": "add_span", "data": {**data, "label_id": suggestion.label_id}}


def _find(task, payload):
    labels, suggestions = _current(task)
    key = str(payload.get("key", ""))
    found = next((s for s in suggestions if s.key == key), None)
    if found is None:
        raise ValidationError(_("That suggestion is not there any more."))
    return labels, found


def suggestion_accept(task, payload):
    labels, found = _find(task, payload)
    text = task.document.text[found.start:found.end]
    return [_accept_op(found)], f"{labels[found.label_id].name}: {text} (suggested by {found.origin})"


def suggestion_reject(task, payload):
    labels, found = _find(task, payload)
    op = {"op": "reject_suggestion", "data": {"label_id": found.label_id, "start": found.start, "end": found.end,
                                              "origin": found.origin}}
    return [op], f"Rejected {labels[found.label_id].name}: {task.document.text[found.start:found.end]}"


def suggestion_accept_label(task, payload):
    labels, suggestions = _current(task)
    try:
        label_id = int(payload.get("label"))
    except (TypeError, ValueError):
        raise ValidationError(_("The label must be a whole number.")) from None
    chosen = [s for s in suggestions if s.label_id == label_id]
    if not chosen:
        raise ValidationError(_("No suggestion of that label is left."))
    return [_accept_op(s) for s in chosen], f"Accepted {len(chosen)} suggestion(s) of {labels[label_id].name}."


ACTIONS = {
    "suggestion.accept": suggestion_accept,
    "suggestion.reject": suggestion_reject,
    "suggestion.accept_label": suggestion_accept_label,
}
