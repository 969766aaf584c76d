"""What a save sends back: the lines of text its ops touched, the span-list entries it added, changed or
removed, and the event list when events or their arguments may have changed. One query reads only the
annotations over the stretch of text the change touched (and the events, when their list is sent), so a
save costs about the same on a page of 30 spans or 3,000."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from annotate.rows import annotation_rows
from annotate.schema_cache import project_schema
from annotate.services.annotation_ops import op_ranges
from annotate.suggestions import suggestions_shown
from annotate.workspace.lists import events_html, spans_html, suggestions_html
from annotate.workspace.loading import build_items, suggestion_items
from annotate.workspace.rendering import Item, changed_lines, line_bounds, render_text

SPAN_OPS = {"add_span", "remove_span", "change_span"}
# A span's edges or label show in an event's roles, so a changed span resends the event list too.
EVENT_OPS = {"add_event", "remove_event", "change_event", "add_arg", "remove_arg", "change_span"}


@dataclass
class Changes:
    text_html: SafeString
    spans: list[Item]  # entries added or changed, in list order
    removed: list[str]  # client ids of spans that are gone
    events: list[Item] | None  # the whole event list, when it may have changed
    suggestions: list[Item] | None = None  # the whole list, when the project shows suggestions

    @property
    def spans_html(self) -> SafeString:
        return spans_html(self.spans)

    @property
    def events_html(self) -> SafeString | None:
        return None if self.events is None else events_html(self.events)

    @property
    def suggestions_html(self) -> SafeString | None:
        return None if self.suggestions is None else suggestions_html(self.suggestions)

    @property
    def removed_ids(self) -> str:
        return " ".join(self.removed)


def _span_id(op: dict) -> str:
    return op["client_id"] if op["op"] == "change_span" else op["data"]["client_id"]


def changes_window(task, ops: list[dict], viewer) -> tuple[int, int] | None:
    """The stretch of text over which a save's answer reads the spans and events (from the first changed
    line's start to the last one's end), for the write to read them back in its own statement
    (annotation_store.change_write); None where the answer reads more (events, or suggestions shown)."""
    if any(op["op"] in EVENT_OPS for op in ops) or suggestions_shown(task, viewer):
        return None
    text = task.document.text
    return line_bounds(text, changed_lines(text, op_ranges(ops)))


def changes_load(task, ops: list[dict], viewer, rows=None) -> Changes:
    """What the save's answer shows. `rows`: the spans and events over changes_window, as the write read
    them back (annotation_rows otherwise)."""
    text = task.document.text
    lines = changed_lines(text, op_ranges(ops))
    window = line_bounds(text, lines)
    with_events = any(op["op"] in EVENT_OPS for op in ops)
    labels, roles = project_schema(task.project)
    suggest = suggestions_shown(task, viewer)
    if not suggest:
        if rows is None or with_events:
            rows = annotation_rows(task.pk, window=window, all_events=with_events)
        spans, events = build_items(rows, text, {lab.pk: lab for lab in labels}, roles)
        shown, suggestions = [], None
    else:
        # The whole set, read once: suggestions leave out what it marks anywhere, and a mark can make a
        # suggestion appear on another line (the gazetteer finds the same name further on), so the lines
        # that hold suggestions are drawn again too. The whole list goes back: its counts change.
        rows = annotation_rows(task.pk)
        spans, events = build_items(rows, text, {lab.pk: lab for lab in labels}, roles)
        suggestions = suggestion_items(task, labels, rows)
        lines |= changed_lines(text, [(s.start, s.end) for s in suggestions])
        shown = suggestions
    touched = {_span_id(op) for op in ops if op["op"] in SPAN_OPS}
    present = [s for s in spans if s.client_id in touched]
    return Changes(
        text_html=render_text(text, spans + events + shown, lines),
        spans=present,
        removed=sorted(touched - {s.client_id for s in present}),
        events=events if with_events else None,
        suggestions=suggestions,
    )
