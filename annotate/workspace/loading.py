"""Everything the annotation and curation pages show for one annotation set (an annotator's task or a
document's gold set), read in a fixed number of queries."""

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.utils.safestring import SafeString

from annotate.models import Event, EventArgument, EventRole, Label, Layer, Span
from annotate.schema_cache import project_schema
from annotate.services.constraints import missing_roles
from annotate.suggestions import suggestions_enabled, suggestions_for
from corpus.models import DocumentTokens
from corpus.tokens import unpack_token_lists

from .lists import events_html, spans_html, suggestions_html
from .rendering import Item, render_text


@dataclass
class Workspace:
    labels: list[Label]
    roles: dict[int, list[EventRole]]
    spans: list[Item]
    events: list[Item]
    text_html: SafeString
    tokens: list[list[int]]  # [start, end] pairs

    editable: bool = True  # the viewer may change the set: editing controls are drawn
    suggestions: list[Item] | None = None  # None: suggestions are not shown (switched off, or not the annotator)

    @property
    def suggestions_html(self) -> SafeString:
        return suggestions_html(self.suggestions or [])

    @property
    def events_html(self) -> SafeString:
        return events_html(self.events, self.editable)

    @property
    def spans_html(self) -> SafeString:
        return spans_html(self.spans)

    def layer(self, layer: str) -> list[Label]:
        return [lab for lab in self.labels if lab.layer == layer and not lab.retired]

    @property
    def legend(self):
        return [("Entities", self.entity_labels), ("Events", self.event_labels), ("Boilerplate", self.boilerplate_labels)]

    @property
    def entity_labels(self):
        return self.layer(Layer.ENTITY)

    @property
    def event_labels(self):
        return self.layer(Layer.EVENT)

    @property
    def boilerplate_labels(self):
        return self.layer(Layer.BOILERPLATE)

    def page_data(self, task) -> dict:
        return {
            "task": task.pk,
            "version": task.version,
            "editable": self.editable and task.is_open,
            "labels": [
                {"id": lab.pk, "name": lab.name, "key": lab.shortcut, "layer": lab.layer}
                for lab in self.labels
                if not lab.retired
            ],
            "roles": {
                str(t): [
                    {
                        "id": r.pk,
                        "name": r.name,
                        "min": r.min_count,
                        "max": r.max_count,
                        "labels": [lab.pk for lab in r.allowed],
                    }
                    for r in rs
                ]
                for t, rs in self.roles.items()
            },
            "tokens": self.tokens,
        }


def annotation_rows(task_id: int, *, window: tuple[int, int] | None = None, all_events: bool = True) -> list[tuple]:
    """A task's spans, events and event arguments in one query, as (kind, pk, client_id, ref, start, end)
    rows: kind 0 is a span (ref: its label), 1 an event (ref: its type), 2 an argument (pk: its event,
    client_id, start and end: its span's, ref: its role). With a window (start, end), only the spans (and,
    unless all_events, the events) that overlap it, and arguments only with all_events."""
    q = connection.ops.quote_name
    span, event, argument = (q(m._meta.db_table) for m in (Span, Event, EventArgument))
    start, end = q("start"), q("end")
    postgres = connection.vendor == "postgresql"
    ident = "{}::text" if postgres else "{}"  # SQLite keeps a UUID as 32 hex digits
    inside = f" AND {{0}}.{start} < %s AND {{0}}.{end} > %s" if window else ""
    spans_in, events_in = inside.format("s"), "" if all_events else inside.format("e")
    parts = [
        f"SELECT 0, s.id, {ident.format('s.client_id')}, s.label_id, s.{start}, s.{end} FROM {span} s "
        f"WHERE s.task_id = %s{spans_in}",
        f"SELECT 1, e.id, {ident.format('e.client_id')}, e.event_type_id, e.{start}, e.{end} FROM {event} e "
        f"WHERE e.task_id = %s{events_in}",
    ]
    bounds = [window[1], window[0]] if window else []
    params = [task_id, *bounds, task_id, *([] if all_events else bounds)]
    if all_events:
        parts.append(
            f"SELECT 2, a.event_id, {ident.format('p.client_id')}, a.role_id, p.{start}, p.{end} FROM {argument} a "
            f"JOIN {span} p ON p.id = a.span_id WHERE p.task_id = %s"
        )
        params.append(task_id)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    if not postgres:
        rows = [(k, pk, str(uuid.UUID(str(c))), ref, a, b) for k, pk, c, ref, a, b in rows]
    return rows


def annotation_rows_many(task_ids: list[int]) -> dict[int, list[tuple]]:
    """Several sets at once (the curation page's versions), one query: task id → annotation_rows' rows."""
    found: dict[int, list[tuple]] = {pk: [] for pk in task_ids}
    if not task_ids:
        return found
    q = connection.ops.quote_name
    span, event, argument = (q(m._meta.db_table) for m in (Span, Event, EventArgument))
    start, end = q("start"), q("end")
    postgres = connection.vendor == "postgresql"
    ident = "{}::text" if postgres else "{}"
    marks = ", ".join(["%s"] * len(task_ids))
    sql = " UNION ALL ".join([
        f"SELECT s.task_id, 0, s.id, {ident.format('s.client_id')}, s.label_id, s.{start}, s.{end} FROM {span} s "
        f"WHERE s.task_id IN ({marks})",
        f"SELECT e.task_id, 1, e.id, {ident.format('e.client_id')}, e.event_type_id, e.{start}, e.{end} "
        f"FROM {event} e WHERE e.task_id IN ({marks})",
        f"SELECT p.task_id, 2, a.event_id, {ident.format('p.client_id')}, a.role_id, p.{start}, p.{end} "
        f"FROM {argument} a JOIN {span} p ON p.id = a.span_id WHERE p.task_id IN ({marks})",
    ])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*task_ids, *task_ids, *task_ids])
        for task_id, kind, pk, client_id, ref, a, b in cursor.fetchall():
            if not postgres:
                client_id = str(uuid.UUID(str(client_id)))
            found[task_id].append((kind, pk, client_id, ref, a, b))
    return found


def build_items(rows, text: str, by_id: dict, roles: dict) -> tuple[list[Item], list[Item]]:
    """Spans in list order (start, longest first, then id) and events in text order, from annotation_rows;
    an event's arguments are (role, span Item) and its missing roles are worked out."""
    role_by_id = {role.pk: role for rs in roles.values() for role in rs}
    span_rows, event_rows, arguments = [], [], defaultdict(list)
    for kind, pk, client_id, ref, start, end in rows:
        if kind == 0:
            span_rows.append((start, -end, client_id, ref))
        elif kind == 1:
            event_rows.append((start, pk, end, client_id, ref))
        else:
            arguments[pk].append((ref, client_id, start, end))
    span_rows.sort()
    event_rows.sort()
    spans = [
        Item(client_id, "span", by_id[label_id], start, -neg_end, text=text[start:-neg_end])
        for start, neg_end, client_id, label_id in span_rows
    ]
    events = []
    for start, pk, end, client_id, type_id in event_rows:
        item = Item(client_id, "event", by_id[type_id], start, end, text=text[start:end])
        counts: dict[int, int] = defaultdict(int)
        for role_id, span_client, a, b in arguments[pk]:
            counts[role_id] += 1
            item.arguments.append((role_by_id.get(role_id), Item(span_client, "span", None, a, b, text=text[a:b])))
        item.missing = missing_roles(None, roles[type_id], counts)
        events.append(item)
    return spans, events


def suggestion_items(task, labels, rows, tokens=None) -> list[Item] | None:
    """The task's suggestions as Items (kind "suggestion", client id: the suggestion's key); None when the
    project shows none."""
    if not suggestions_enabled(task.project):
        return None
    by_id = {lab.pk: lab for lab in labels}
    own = [(ref, a, b) for kind, _pk, _c, ref, a, b in rows if kind in (0, 1)]
    text = task.document.text
    return [Item(s.key, "suggestion", by_id[s.label_id], s.start, s.end, text=text[s.start:s.end], origin=s.origin)
            for s in suggestions_for(task, own=own, labels=by_id, tokens=tokens)]


def workspace_load(task, *, with_tokens: bool = True, rows: list[tuple] | None = None,
                   suggest: bool = False) -> Workspace:
    """Two queries (one for a fragment, which needs no tokens): the tokens, and the spans, events and
    arguments together (unless the caller read them already: `rows`, as annotation_rows gives them); the
    schema comes from the per-project cache (three more queries when it changed).
    (A save reads less: workspace.changes.) Rows come as tuples, not model instances: the page and every save render hundreds of them."""
    tokens = (
        DocumentTokens.objects.filter(document_id=task.document_id).values_list("tokens", flat=True).first()
        if with_tokens
        else None
    )
    labels, roles = project_schema(task.project)
    text = task.document.text
    rows = annotation_rows(task.pk) if rows is None else rows
    spans, events = build_items(rows, text, {lab.pk: lab for lab in labels}, roles)
    token_list = unpack_token_lists(tokens) if tokens else ([] if with_tokens else None)
    # Suggestions (one query more) for the task's annotator only: never in a gold set or another's view.
    suggestions = suggestion_items(task, labels, rows, token_list) if suggest and not task.is_gold else None
    return Workspace(
        labels=labels,
        roles=dict(roles),
        spans=spans,
        events=events,
        text_html=render_text(text, spans + events + (suggestions or [])),
        tokens=token_list or [],
        suggestions=suggestions,
    )
