"""Everything the annotation page shows for one task, read in a fixed number of queries, and the text
rendered with every span: overlapping and nested spans become stacked underlines by depth, boilerplate
is shaded, event triggers are drawn differently. Offsets in data-s / data-e are code points."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe

from corpus.models import DocumentTokens
from corpus.tokens import unpack_tokens

from .models import Event, EventArgument, EventRole, Label, Layer, Span
from .schema_cache import project_schema
from .services.constraints import missing_roles

MAX_DEPTH = 7
NEWLINE = re.compile("\n")
NEWLINE = re.compile("\n")


@dataclass(slots=True)
class Item:
    client_id: str
    kind: str  # span or event
    label: Label
    start: int
    end: int
    depth: int = 0
    arguments: list = field(default_factory=list)  # for events: (role, span Item)
    missing: list = field(default_factory=list)

    text: str = ""

    @property
    def css(self) -> str:
        layer = "trigger" if self.kind == "event" else self.label.layer
        return f"ann l{self.label.pk} d{min(self.depth, MAX_DEPTH)} {layer}"


def _depths(items: list[Item]) -> None:
    """Smallest depth not used by an overlapping item; longer items first so they sit below."""
    active: list[Item] = []
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        active = [a for a in active if a.end > item.start]
        used = {a.depth for a in active}
        item.depth = next(d for d in range(len(active) + 1) if d not in used)
        active.append(item)


def render_text(text: str, items: list[Item]) -> SafeString:
    """Lines as blocks (each with a margin button for boilerplate), segments split at every boundary."""
    starts = defaultdict(list)
    tags = {}  # each item's opening tag, built once and reused by every segment it covers
    for item in items:
        starts[item.start].append(item)
        tags[id(item)] = f'<span class="{item.css}" data-id="{item.client_id}" data-kind="{item.kind}">'

    def by_depth(item):
        return -item.depth

    newlines = [m.start() for m in NEWLINE.finditer(text)]
    edges = [0, len(text), *newlines, *(n + 1 for n in newlines)]
    bounds = sorted({*edges, *(i.start for i in items), *(i.end for i in items)})
    out, active, line_no = [], [], 1

    def open_line(start: int, number: int) -> None:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        out.append(
            f'<div class="line" data-s="{start}" data-e="{end}"><button type="button" class="margin" '
            f'data-s="{start}" data-e="{end}" tabindex="-1" aria-label="Paragraph {number}"></button>'
            f'<span class="t">'
        )

    open_line(0, line_no)
    for a, b in pairwise(bounds):
        active = [i for i in active if i.end > a] + starts.get(a, [])
        piece = text[a:b]
        if piece == "\n":
            out.append("</span></div>")
            line_no += 1
            open_line(b, line_no)
            continue
        if not piece:
            continue
        if not active:
            out.append(f'<span class="seg" data-s="{a}">{escape(piece)}</span>')
            continue
        covering = sorted(active, key=by_depth) if len(active) > 1 else active
        opening = "".join([tags[id(i)] for i in covering])
        out.append(f'<span class="seg" data-s="{a}">{opening}{escape(piece)}{"</span>" * len(covering)}</span>')
    out.append("</span></div>")
    return mark_safe("".join(out))


@dataclass
class Workspace:
    labels: list[Label]
    roles: dict[int, list[EventRole]]
    spans: list[Item]
    events: list[Item]
    text_html: SafeString
    tokens: list[tuple[int, int]]

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


def workspace_load(task, *, with_tokens: bool = True) -> Workspace:
    """Four queries (three for a fragment, which needs no tokens): tokens, spans, arguments, events; the
    schema comes from the per-project cache (three more queries when it changed).
    Rows come as tuples, not model instances: the page and every save render hundreds of them."""
    tokens = (
        DocumentTokens.objects.filter(document_id=task.document_id).values_list("tokens", flat=True).first()
        if with_tokens
        else None
    )
    labels, roles = project_schema(task.project)
    by_id = {lab.pk: lab for lab in labels}
    role_list = [role for rs in roles.values() for role in rs]
    text = task.document.text
    spans = [
        Item(str(client_id), "span", by_id[label_id], start, end, text=text[start:end])
        for client_id, label_id, start, end in Span.objects.filter(task=task)
        .order_by("start", "-end", "id")
        .values_list("client_id", "label_id", "start", "end")
    ]
    spans_by_client = {s.client_id: s for s in spans}
    role_by_id = {r.pk: r for r in role_list}
    arguments = defaultdict(list)
    for event_id, role_id, span_client in EventArgument.objects.filter(event__task=task).values_list(
        "event_id", "role_id", "span__client_id"
    ):
        arguments[event_id].append((role_id, str(span_client)))
    events = []
    for pk, client_id, type_id, start, end in (
        Event.objects.filter(task=task).order_by("start", "id").values_list("pk", "client_id", "event_type_id", "start", "end")
    ):
        item = Item(str(client_id), "event", by_id[type_id], start, end, text=text[start:end])
        counts: dict[int, int] = defaultdict(int)
        for role_id, span_client in arguments[pk]:
            counts[role_id] += 1
            item.arguments.append((role_by_id.get(role_id), spans_by_client.get(span_client)))
        item.missing = missing_roles(None, roles[type_id], counts)
        events.append(item)
    items = spans + events
    _depths(items)
    return Workspace(
        labels=labels,
        roles=dict(roles),
        spans=spans,
        events=events,
        text_html=render_text(text, items),
        tokens=unpack_tokens(tokens) if tokens else [],
    )


def events_html(events: list[Item]) -> SafeString:
    """The side list of events: type, trigger, filled roles, missing roles flagged."""
    out = []
    for e in events:
        args = " ".join(span.client_id for _role, span in e.arguments if span)
        roles = "".join(
            f"<li>{escape(role.name)}: {escape(span.text)} "
            f'<button type="button" class="link remove-arg" data-event="{e.client_id}" data-role="{role.pk}" '
            f'data-span="{span.client_id}" aria-label="Remove {escape(span.text)} from {escape(role.name)}">×</button></li>'
            for role, span in e.arguments
            if role and span
        )
        missing = f'<p class="missing">Missing: {escape(", ".join(e.missing))}</p>' if e.missing else ""
        out.append(
            f'<li class="event{" incomplete" if e.missing else ""}" data-id="{e.client_id}" data-args="{args}">'
            f'<button type="button" class="chip pick l{e.label.pk}" data-pick="{e.client_id}">{escape(e.label.name)}</button> '
            f'“{escape(e.text)}”<ul class="roles">{roles}</ul>{missing}</li>'
        )
    if not out:
        out.append('<li class="none">No events yet: select a trigger and press an event key.</li>')
    return mark_safe("".join(out))


def spans_html(spans: list[Item]) -> SafeString:
    return mark_safe(
        "".join(
            f'<li><button type="button" class="chip pick l{s.label.pk}" data-pick="{s.client_id}">'
            f"{escape(s.label.name)}</button> {escape(s.text)}</li>"
            for s in spans
        )
    )
