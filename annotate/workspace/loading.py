"""Everything the annotation and curation pages show for one annotation set (an annotator's task or a
document's gold set), read in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from annotate.models import EventRole, Label, Layer
from annotate.models.keys import keymap, page_keys
from annotate.rows import SetRows, annotation_rows
from annotate.schema_cache import project_schema
from annotate.services.constraints import missing_roles
from annotate.suggestions import suggestions_for, suggestions_shown
from annotate.workspace.lists import events_html, spans_html, suggestions_html
from annotate.workspace.rendering import Item, render_text
from corpus.models import DocumentTokens
from corpus.tokens import unpack_token_lists


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
    def keymap(self) -> list[tuple[str, str]]:
        return keymap()

    @property
    def legend(self):
        return [(_("Entities"), self.entity_labels), (_("Events"), self.event_labels),
                (_("Boilerplate"), self.boilerplate_labels)]

    @property
    def entity_labels(self):
        return self.layer(Layer.ENTITY)

    @property
    def event_labels(self):
        return self.layer(Layer.EVENT)

    @property
    def boilerplate_labels(self):
        return self.layer(Layer.BOILERPLATE)

    def page_data(self, task, viewer_id: int) -> dict:
        return {
            "task": task.pk,
            "viewer": viewer_id,  # the browser keeps waiting changes per user and task (annotate.js)
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
            "keys": page_keys(),  # the key table (annotate.models.keys): annotate.js dispatches from it
            "entities_cross_lines": task.project.entities_cross_lines,  # the schema's rule
        }


def build_items(rows, text: str, by_id: dict, roles: dict) -> tuple[list[Item], list[Item]]:
    """Spans in list order (start, longest first, then id) and events in text order, from annotation_rows;
    an event's arguments are (role, span Item) and its missing roles are worked out."""
    role_by_id = {role.pk: role for rs in roles.values() for role in rs}
    span_rows = sorted((s.start, -s.end, s.client_id, s.label_id) for s in rows.spans)
    event_rows = sorted((e.start, e.pk, e.end, e.client_id, e.type_id) for e in rows.events)
    arguments = defaultdict(list)
    for arg in rows.arguments:
        arguments[arg.event_id].append((arg.role_id, arg.span_client_id, arg.start, arg.end))
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


def suggestion_items(task, labels, rows, tokens=None) -> list[Item]:
    """The task's suggestions as Items (kind "suggestion", client id: the suggestion's key)."""
    by_id = {lab.pk: lab for lab in labels}
    own = rows.marks()
    text = task.document.text
    return [Item(s.key, "suggestion", by_id[s.label_id], s.start, s.end, text=text[s.start:s.end], origin=s.origin)
            for s in suggestions_for(task, own=own, labels=by_id, tokens=tokens)]


def workspace_load(task, *, with_tokens: bool = True, rows: SetRows | None = None,
                   viewer=None) -> Workspace:
    """Two queries (one for a fragment, which needs no tokens): the tokens, and the spans, events and
    arguments together (unless the caller read them already: `rows`, as annotation_rows gives them); the
    schema comes from the per-project cache (three more queries when it changed).
    (A save reads less: workspace.changes.) Rows come as tuples, not model instances: the page and every save render hundreds of them."""
    tokens = (
        DocumentTokens.objects.packed_for(task.document_id)
        if with_tokens
        else None
    )
    labels, roles = project_schema(task.project)
    text = task.document.text
    rows = annotation_rows(task.pk) if rows is None else rows
    spans, events = build_items(rows, text, {lab.pk: lab for lab in labels}, roles)
    token_list = unpack_token_lists(tokens) if tokens else ([] if with_tokens else None)
    # Suggestions (one query more) as suggestions_shown says: for the task's annotator only.
    suggestions = suggestion_items(task, labels, rows, token_list) if suggestions_shown(task, viewer) else None
    return Workspace(
        labels=labels,
        roles=dict(roles),
        spans=spans,
        events=events,
        text_html=render_text(text, spans + events + (suggestions or [])),
        tokens=token_list or [],
        suggestions=suggestions,
    )
