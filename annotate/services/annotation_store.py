"""The two statements around every change to an annotation set: the task locked (with what the change needs
to know), and the version bumped with the history entry appended."""

import functools
import uuid

from django.db import connection
from django.utils import timezone
from psycopg.types.json import Jsonb

from annotate.models import AnnotationChange, Event, EventArgument, Project, Span, Task
from annotate.models.instances import columns, instances
from annotate.rows import SetRows, rows_sql, set_rows
from annotate.services.annotation_ops import run_op
from corpus.models import Document

CREATES = {"span.create": Span, "event.create": Event}


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


REF_COLUMN = {"span.create": "label_id", "event.create": "event_type_id"}
READS_SPAN = {"span.delete", "span.update"}  # changes to the span the change's id names


@functools.cache
def _lock_sql(vendor: str, creates: str | None, reads_span: bool = False) -> str:
    """The lock statement, written once per process: compiling the same query through the ORM on every
    save cost more than any other step of it (about 3 ms of CPU on this machine kind)."""
    q = connection.ops.quote_name
    task, document, project = Task._meta.db_table, Document._meta.db_table, Project._meta.db_table
    changes = AnnotationChange._meta.db_table
    taken, there = "FALSE", "NULL"
    if creates:
        table = q(CREATES[creates]._meta.db_table)
        taken = f"EXISTS (SELECT 1 FROM {table} n WHERE n.task_id = t.id AND n.client_id = %s)"
        # What is marked on exactly these characters already ("client id:label id", comma-separated).
        ident = "n.client_id::text" if vendor == "postgresql" else "n.client_id"
        aggregate = "string_agg({}, ',')" if vendor == "postgresql" else "group_concat({}, ',')"
        pair = f"{ident} || ':' || n.{REF_COLUMN[creates]}"
        there = (f"(SELECT {aggregate.format(pair)} FROM {table} n WHERE n.task_id = t.id "
                 f"AND n.{q('start')} = %s AND n.{q('end')} = %s)")
    span, joined = "", ""
    if reads_span:  # the span the change names, and whether it fills an event role (span_with_arguments_flag)
        span = (f", {', '.join(columns(Span, 's'))}, EXISTS (SELECT 1 FROM {q(EventArgument._meta.db_table)} a "
                "WHERE a.span_id = s.id)")
        joined = f" LEFT JOIN {q(Span._meta.db_table)} s ON s.task_id = t.id AND s.client_id = %s"
    lock = ""
    if connection.features.has_select_for_update:
        lock = " " + connection.ops.for_update_sql(of=("t",))
    return (
        f"SELECT {', '.join(columns(Task, 't') + columns(Document, 'd') + columns(Project, 'p'))}, "
        f"EXISTS (SELECT 1 FROM {q(changes)} c WHERE c.task_id = t.id AND c.op_id = %s), {taken}, {there}{span} "
        f"FROM {q(task)} t JOIN {q(document)} d ON d.id = t.document_id JOIN {q(project)} p ON p.id = t.project_id"
        f"{joined} WHERE t.id = %s{lock}"
    )


def _whole(value) -> int:
    """An offset as the change's own checks will read it (a whole number, or digits); -1 matches no mark."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) < 10:
        value = int(value)
    return value if type(value) is int and 0 <= value < 2**31 else -1


def lock_for_change(pk: int, op_id: uuid.UUID | None, action: str, new_id: uuid.UUID | None,
                    at: tuple = (None, None)) -> Task:
    """Lock the task, with its document and project, and ask in the same query what every change needs
    to know: whether this op was applied already (.replayed), whether a new item's id is taken
    (.id_taken), and for a new span or event what is marked on exactly the characters `at` already
    (.marked_there: [(client id, label or event type id)]); for a change to a span, the span itself
    (.span_read: (its client id, the span with .has_arguments, or None)). Raises Task.DoesNotExist."""
    creates = action if action in CREATES and new_id else None
    reads_span = action in READS_SPAN and new_id is not None
    prep = AnnotationChange._meta.get_field("op_id").get_db_prep_value
    params = ([prep(op_id, connection)] + ([prep(new_id, connection), _whole(at[0]), _whole(at[1])] if creates else [])
              + ([prep(new_id, connection)] if reads_span else []) + [int(pk)])
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(connection.vendor, creates, reads_span), params)
        row = cursor.fetchone()
    if row is None:
        raise Task.DoesNotExist("No such task.")
    if reads_span:
        (span,) = instances(row[-len(Span._meta.concrete_fields) - 1 : -1], (Span, "s"))
        if span is not None:
            span.has_arguments = bool(row[-1])
        row = row[: -len(Span._meta.concrete_fields) - 1]
    task, document, project = instances(row, (Task, "t"), (Document, "d"), (Project, "p"))
    Task.document.field.set_cached_value(task, document)
    Task.project.field.set_cached_value(task, project)
    task.span_read = (new_id, span) if reads_span else None
    task.replayed, task.id_taken = bool(row[-3]), bool(row[-2])
    task.marked_there = [(str(uuid.UUID(ident)), int(ref)) for ident, ref in
                         (pair.rsplit(":", 1) for pair in row[-1].split(","))] if row[-1] else []
    return task


@functools.cache
def _span_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    return (f"SELECT {', '.join(columns(Span, 's'))}, EXISTS (SELECT 1 FROM {q(EventArgument._meta.db_table)} a "
            f"WHERE a.span_id = s.id) FROM {q(Span._meta.db_table)} s WHERE s.task_id = %s AND s.client_id = %s")


def span_with_arguments_flag(task: Task, client_id: uuid.UUID) -> Span | None:
    """The task's span with this client id, and whether it fills an event role (.has_arguments), in one
    fixed statement: the ORM's query with the EXISTS took 1.5 ms to compile on every deletion."""
    ident = Span._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(_span_sql(connection.vendor), [task.pk, ident])
        row = cursor.fetchone()
    if row is None:
        return None
    (span,) = instances(row, (Span, "s"))
    span.has_arguments = bool(row[-1])
    return span


def _folded_writes(task: Task, ops: list[dict]) -> tuple[str, list, str | None] | None:
    """The one op of an annotator's everyday save (a span added, or taken away) as data-modifying WITH
    clauses for the history's statement, with their parameters and the client id of the span taken away;
    None for anything else, which runs op by op (annotation_ops.run_op). Folded, the save makes one round
    trip where it made two or three, and builds no ORM insert (docs/benchmarks.md)."""
    if connection.vendor != "postgresql" or len(ops) != 1 or ops[0]["op"] not in ("add_span", "remove_span"):
        return None
    q = connection.ops.quote_name
    spans = q(Span._meta.db_table)
    data = ops[0]["data"]
    ident = Span._meta.get_field("client_id").get_db_prep_value(data["client_id"], connection)
    if ops[0]["op"] == "add_span":
        return (f"added AS (INSERT INTO {spans} (task_id, client_id, label_id, {q('start')}, {q('end')}, "
                f"created_at, origin) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id, client_id, label_id, "
                f"{q('start')}, {q('end')}), ",
                [task.pk, ident, data["label_id"], data["start"], data["end"], timezone.now(), data.get("origin", "")],
                None)
    which = "task_id = %s AND client_id = %s"  # the span and any event argument it fills, as span_remove
    return (f"gone_arguments AS (DELETE FROM {q(EventArgument._meta.db_table)} WHERE span_id IN "
            f"(SELECT id FROM {spans} WHERE {which})), gone AS (DELETE FROM {spans} WHERE {which}), ",
            [task.pk, ident, task.pk, ident], ident)


def change_write(task: Task, *, ops: list[dict], window: tuple[int, int] | None = None, **change) -> SetRows | None:
    """Run a change's ops and record it (record_change): on PostgreSQL a change of one span added or taken
    away is a single statement with the version's bump and the history entry (_folded_writes), which also
    reads back the spans and events over `window` as they are after it (annotation_rows(window=window,
    all_events=False)) for the page's answer. Those rows, or None where they were not read."""
    folded = _folded_writes(task, ops)
    if folded is None:
        for op in ops:
            run_op(task, op)
    return record_change(task, ops=ops, folded=folded, window=window, **change)


def record_change(task: Task, *, folded: tuple[str, list, str | None] | None = None,
                  window: tuple[int, int] | None = None, **change) -> SetRows | None:
    """Bump the task's version and append the history entry; one statement on PostgreSQL, where every
    save pays for each round trip (with the change's own writes in it when they were `folded`, and the
    rows over `window` read back with them)."""
    if connection.vendor != "postgresql":
        task.version += 1
        task.save(update_fields=["version"])
        AnnotationChange.objects.create(task=task, seq=task.version, **change)
        return None
    tasks, changes = Task._meta.db_table, AnnotationChange._meta.db_table
    writes, params, removed = folded or ("", [], None)
    logged = (f"WITH {writes}bumped AS (UPDATE {tasks} SET version = version + 1 WHERE id = %s RETURNING version), "
              f"logged AS (INSERT INTO {changes} (task_id, seq, op_id, by_id, at, kind, action, ops, ref_seq) "
              "SELECT %s, version, %s, %s, %s, %s, %s, %s, %s FROM bumped RETURNING seq) ")
    params = [*params, task.pk, task.pk, change["op_id"], change["by"].pk, timezone.now(), change["kind"],
              change["action"], Jsonb(change["ops"]), change["ref_seq"]]
    read_back = folded is not None and window is not None
    if read_back:
        # The statement sees the rows as they were before it: the span it adds is taken from its RETURNING,
        # the one it takes away is left out by its id.
        read_sql, read_params = rows_sql(task.pk, window=window, all_events=False, leaving_out=removed)
        added = ("UNION ALL SELECT 0, a.id, a.client_id::text, a.label_id, a.\"start\", a.\"end\" FROM added a "
                 if removed is None else "")
        sql = (f"{logged}SELECT -1, seq, NULL::text, NULL::bigint, NULL::integer, NULL::integer FROM logged "
               f"UNION ALL {read_sql} {added}")
        params += read_params
    else:
        sql = f"{logged}SELECT -1, seq FROM logged"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    task.version = next(row[1] for row in found if row[0] == -1)
    return set_rows([row for row in found if row[0] != -1]) if read_back else None
