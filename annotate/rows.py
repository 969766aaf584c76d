"""What an annotation set holds, as the workspace, the curation table, the gold vote and the suggestions
read it: typed rows in one query (not model instances: the page and every save read hundreds of them).
It sits below those packages and imports none of them.

    rows = annotation_rows(task.pk)
    rows.spans[0].label_id, rows.events[0].type_id, rows.arguments[0].role_id
    rows.marks()  # (label or event type, start, end) of every span and event"""

import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection

from annotate.models import Event, EventArgument, Span


class SpanRow(NamedTuple):
    pk: int
    client_id: str
    label_id: int
    start: int
    end: int


class EventRow(NamedTuple):
    pk: int
    client_id: str
    type_id: int
    start: int  # the trigger's
    end: int


class ArgumentRow(NamedTuple):
    event_id: int
    span_client_id: str
    role_id: int
    start: int  # the filling span's
    end: int


@dataclass(slots=True)
class SetRows:
    spans: list[SpanRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    arguments: list[ArgumentRow] = field(default_factory=list)

    def marks(self) -> list[tuple[int, int, int]]:
        """(label id, start, end) of every span and (event type id, start, end) of every event."""
        return [(s.label_id, s.start, s.end) for s in self.spans] + [(e.type_id, e.start, e.end) for e in self.events]

    def add(self, kind: int, pk: int, client_id, ref: int, start: int, end: int, *, text_ids: bool) -> None:
        if not text_ids:  # SQLite keeps a UUID as 32 hex digits
            client_id = str(uuid.UUID(str(client_id)))
        row_type, target = ((SpanRow, self.spans), (EventRow, self.events), (ArgumentRow, self.arguments))[kind]
        target.append(row_type(pk, client_id, ref, start, end))


def _tables():
    q = connection.ops.quote_name
    span, event, argument = (q(m._meta.db_table) for m in (Span, Event, EventArgument))
    ident = "{}::text" if connection.vendor == "postgresql" else "{}"
    return span, event, argument, q("start"), q("end"), ident


def rows_sql(task_id: int, *, window: tuple[int, int] | None = None, all_events: bool = True,
             leaving_out=None) -> tuple[str, list]:
    """annotation_rows' statement, as (kind, id, client id, label, type or role id, start, end) rows, with
    its parameters; the span whose client id is `leaving_out` is left out (for a statement that deletes it
    and still sees it: annotation_store.record_change)."""
    span, event, argument, start, end, ident = _tables()
    inside = f" AND {{0}}.{start} < %s AND {{0}}.{end} > %s" if window else ""
    without = " AND s.client_id <> %s" if leaving_out is not None else ""
    spans_in, events_in = inside.format("s") + without, "" if all_events else inside.format("e")
    parts = [
        f"SELECT 0, s.id, {ident.format('s.client_id')}, s.label_id, s.{start}, s.{end} FROM {span} s "
        f"WHERE s.task_id = %s{spans_in}",
        f"SELECT 1, e.id, {ident.format('e.client_id')}, e.event_type_id, e.{start}, e.{end} FROM {event} e "
        f"WHERE e.task_id = %s{events_in}",
    ]
    bounds = [window[1], window[0]] if window else []
    params = [task_id, *bounds, *([leaving_out] if without else []), task_id, *([] if all_events else bounds)]
    if all_events:
        parts.append(
            f"SELECT 2, a.event_id, {ident.format('p.client_id')}, a.role_id, p.{start}, p.{end} FROM {argument} a "
            f"JOIN {span} p ON p.id = a.span_id WHERE p.task_id = %s"
        )
        params.append(task_id)
    return " UNION ALL ".join(parts), params


def annotation_rows(task_id: int, *, window: tuple[int, int] | None = None, all_events: bool = True) -> SetRows:
    """A task's spans, events and event arguments in one query. With a window (start, end), only the spans
    (and, unless all_events, the events) that overlap it, and arguments only with all_events."""
    return rows_read(*rows_sql(task_id, window=window, all_events=all_events))


def rows_read(sql: str, params: list) -> SetRows:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return set_rows(cursor.fetchall())


def set_rows(found) -> SetRows:
    """SetRows from (kind, id, client id, label, type or role id, start, end) rows."""
    rows, text_ids = SetRows(), connection.vendor == "postgresql"
    for row in found:
        rows.add(*row, text_ids=text_ids)
    return rows


def annotation_rows_many(task_ids: list[int]) -> dict[int, SetRows]:
    """Several sets at once (the curation page's versions), one query: task id → its rows."""
    found: dict[int, SetRows] = {pk: SetRows() for pk in task_ids}
    if not task_ids:
        return found
    span, event, argument, start, end, ident = _tables()
    marks = ", ".join(["%s"] * len(task_ids))
    sql = " UNION ALL ".join([
        f"SELECT s.task_id, 0, s.id, {ident.format('s.client_id')}, s.label_id, s.{start}, s.{end} FROM {span} s "
        f"WHERE s.task_id IN ({marks})",
        f"SELECT e.task_id, 1, e.id, {ident.format('e.client_id')}, e.event_type_id, e.{start}, e.{end} "
        f"FROM {event} e WHERE e.task_id IN ({marks})",
        f"SELECT p.task_id, 2, a.event_id, {ident.format('p.client_id')}, a.role_id, p.{start}, p.{end} "
        f"FROM {argument} a JOIN {span} p ON p.id = a.span_id WHERE p.task_id IN ({marks})",
    ])
    text_ids = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*task_ids, *task_ids, *task_ids])
        for task_id, *row in cursor.fetchall():
            found[task_id].add(*row, text_ids=text_ids)
    return found
