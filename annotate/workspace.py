"""Everything the annotation page shows for one task, read in a fixed number of queries, and the text
rendered with every span: overlapping and nested spans become stacked underlines by depth, boilerplate
is shaded, event triggers are drawn differently. Offsets in data-s / data-e are code points.

The text is rendered line by line, and depths are computed per line, so a change re-renders only the
lines it touches (changed_lines, used by workspace_changes) and the page swaps just those in."""

import re
import uuid
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from corpus.models import DocumentTokens
from corpus.tokens import unpack_token_lists

from .models import Event, EventArgument, EventRole, Label, Layer, Span
from .schema_cache import project_schema
from .services.constraints import missing_roles
from .workspace_lists import events_html, spans_html

MAX_DEPTH = 7
NEWLINE = re.compile("\n")
NEEDS_ESCAPE = re.compile("[&<>]")


@dataclass(slots=True)
class Item:
    client_id: str
    kind: str  # span or event
    label: Label
    start: int
    end: int
    arguments: list = field(default_factory=list)  # for events: (role, span Item)
    missing: list = field(default_factory=list)

    text: str = ""


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, the end before its line break."""
    breaks = [m.start() for m in NEWLINE.finditer(text)]
    return list(zip([0, *(b + 1 for b in breaks)], [*breaks, len(text)], strict=True))


def _depths(items: list[Item]) -> list[int]:
    """For items sorted by (start, -end): each one's smallest depth not used by an overlapping item, so
    longer items sit below."""
    depths: list[int] = []
    active: list[int] = []
    for k, item in enumerate(items):
        active = [j for j in active if items[j].end > item.start]
        used = {depths[j] for j in active}
        depth = 0
        while depth in used:
            depth += 1
        depths.append(depth)
        active.append(k)
    return depths


def changed_lines(text: str, ranges) -> set[int]:
    """Start offsets of the lines on which items at these (start, end) ranges are drawn."""
    lines = _lines(text)
    line_starts = [a for a, _ in lines]
    found = set()
    for a, b in ranges:
        i = max(bisect_right(line_starts, a) - 1, 0)
        while i < len(lines) and lines[i][0] < b:
            if a < lines[i][1]:
                found.add(lines[i][0])
            i += 1
    return found


def line_bounds(text: str, starts: set[int]) -> tuple[int, int]:
    """From the first of these lines' start to the last one's end; (0, 0) for none."""
    if not starts:
        return 0, 0
    last = max(starts)
    end = text.find("\n", last)
    return min(starts), len(text) if end < 0 else end


def render_text(text: str, items: list[Item], only: set[int] | None = None) -> SafeString:
    """Lines as blocks (each with a margin button for boilerplate), segments split at every boundary.
    With `only`, just the lines that start at those offsets."""
    lines = _lines(text)
    per_line: list[list[Item]] = [[] for _ in lines]
    line_starts = [a for a, _ in lines]
    for item in items:
        i = max(bisect_right(line_starts, item.start) - 1, 0)
        while i < len(lines) and lines[i][0] < item.end:
            if item.start < lines[i][1]:
                per_line[i].append(item)
            i += 1
    escaping = bool(NEEDS_ESCAPE.search(text))
    out: list[str] = []
    for number, ((s, e), line_items) in enumerate(zip(lines, per_line, strict=True), start=1):
        if only is None or s in only:
            _render_line(out, text, s, e, number, line_items, escaping)
    return mark_safe("".join(out))


def _render_line(out: list, text: str, s: int, e: int, number: int, items: list[Item], escaping: bool) -> None:
    out.append(
        f'<div class="line" data-s="{s}" data-e="{e}"><button type="button" class="margin" '
        f'data-s="{s}" data-e="{e}" tabindex="-1" aria-label="Paragraph {number}"></button><span class="t">'
    )
    if not items:  # one plain segment (none for an empty line)
        piece = escape(text[s:e], quote=False) if escaping else text[s:e]
        out.append(f'<span class="seg" data-s="{s}">{piece}</span></span></div>' if s < e else "</span></div>")
        return
    items = sorted(items, key=_text_order)
    depths = _depths(items)
    begins = defaultdict(list)
    tags = []  # each item's opening tag, built once and reused by every segment it covers
    for k, item in enumerate(items):
        begins[max(item.start, s)].append(k)
        layer = "trigger" if item.kind == "event" else item.label.layer
        tags.append(
            f'<span class="ann l{item.label.id} d{min(depths[k], MAX_DEPTH)} {layer}" '
            f'data-id="{item.client_id}" data-kind="{item.kind}">'
        )
    bounds = sorted({s, e, *(max(i.start, s) for i in items), *(min(i.end, e) for i in items)})
    active: list[int] = []
    for a, b in pairwise(bounds):
        if active:
            active = [k for k in active if items[k].end > a]
        if a in begins:
            active += begins[a]
        piece = escape(text[a:b], quote=False) if escaping else text[a:b]
        if not active:
            out.append(f'<span class="seg" data-s="{a}">{piece}</span>')
            continue
        # Deepest first: items covering one point overlap each other, so their depths differ.
        covering = sorted(active, key=depths.__getitem__, reverse=True) if len(active) > 1 else active
        opening = "".join([tags[k] for k in covering])
        out.append(f'<span class="seg" data-s="{a}">{opening}{piece}{"</span>" * len(covering)}</span>')
    out.append("</span></div>")


def _text_order(item: Item) -> tuple[int, int]:
    return item.start, -item.end


@dataclass
class Workspace:
    labels: list[Label]
    roles: dict[int, list[EventRole]]
    spans: list[Item]
    events: list[Item]
    text_html: SafeString
    tokens: list[list[int]]  # [start, end] pairs

    @property
    def events_html(self) -> SafeString:
        return events_html(self.events)

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
            "editable": task.is_open,
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


def workspace_load(task, *, with_tokens: bool = True) -> Workspace:
    """Two queries (one for a fragment, which needs no tokens): the tokens, and the spans, events and
    arguments together; the schema comes from the per-project cache (three more queries when it changed).
    (A save reads less: workspace_changes.) Rows come as tuples, not model instances: the page and every save render hundreds of them."""
    tokens = (
        DocumentTokens.objects.filter(document_id=task.document_id).values_list("tokens", flat=True).first()
        if with_tokens
        else None
    )
    labels, roles = project_schema(task.project)
    text = task.document.text
    spans, events = build_items(annotation_rows(task.pk), text, {lab.pk: lab for lab in labels}, roles)
    return Workspace(
        labels=labels,
        roles=dict(roles),
        spans=spans,
        events=events,
        text_html=render_text(text, spans + events),
        tokens=unpack_token_lists(tokens) if tokens else [],
    )
