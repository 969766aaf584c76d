"""The two statements around every change to an annotation set: the task locked (with what the change needs
to know), and the version bumped with the history entry appended."""

import functools
import uuid

from django.db import connection
from django.utils import timezone
from psycopg.types.json import Jsonb

from annotate.models import AnnotationChange, Event, Project, Span, Task
from corpus.models import Document

CREATES = {"span.create": Span, "event.create": Event}


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _columns(model, alias: str) -> list[str]:
    return [f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields]


@functools.cache
def _converters(model, alias: str) -> list[list]:
    """Per column, what the ORM would run on the value it reads (JSON, and on SQLite dates and UUIDs)."""
    return [
        connection.ops.get_db_converters(f.get_col(alias)) + f.get_db_converters(connection)
        for f in model._meta.concrete_fields
    ]


def _instance(model, alias: str, values):
    converters = _converters(model, alias)
    fields = model._meta.concrete_fields
    converted = []
    for field, value, funcs in zip(fields, values, converters, strict=True):
        for func in funcs:
            value = func(value, field.get_col(alias), connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


@functools.cache
def _lock_sql(vendor: str, creates: str | None) -> str:
    """The lock statement, written once per process: compiling the same query through the ORM on every
    save cost more than any other step of it (about 3 ms of CPU on this machine kind)."""
    q = connection.ops.quote_name
    task, document, project = Task._meta.db_table, Document._meta.db_table, Project._meta.db_table
    changes = AnnotationChange._meta.db_table
    taken = "FALSE"
    if creates:
        taken = f"EXISTS (SELECT 1 FROM {q(CREATES[creates]._meta.db_table)} n WHERE n.task_id = t.id AND n.client_id = %s)"
    lock = ""
    if connection.features.has_select_for_update:
        lock = " " + connection.ops.for_update_sql(of=("t",))
    return (
        f"SELECT {', '.join(_columns(Task, 't') + _columns(Document, 'd') + _columns(Project, 'p'))}, "
        f"EXISTS (SELECT 1 FROM {q(changes)} c WHERE c.task_id = t.id AND c.op_id = %s), {taken} "
        f"FROM {q(task)} t JOIN {q(document)} d ON d.id = t.document_id JOIN {q(project)} p ON p.id = t.project_id "
        f"WHERE t.id = %s{lock}"
    )


def lock_for_change(pk: int, op_id: uuid.UUID | None, action: str, new_id: uuid.UUID | None) -> Task:
    """Lock the task, with its document and project, and ask in the same query what every change needs
    to know: whether this op was applied already (.replayed), and whether a new item's id is taken
    (.id_taken). Raises Task.DoesNotExist."""
    creates = action if action in CREATES and new_id else None
    prep = AnnotationChange._meta.get_field("op_id").get_db_prep_value
    params = [prep(op_id, connection)] + ([prep(new_id, connection)] if creates else []) + [int(pk)]
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(connection.vendor, creates), params)
        row = cursor.fetchone()
    if row is None:
        raise Task.DoesNotExist("No such task.")
    widths = [len(m._meta.concrete_fields) for m in (Task, Document, Project)]
    task = _instance(Task, "t", row[: widths[0]])
    document = _instance(Document, "d", row[widths[0] : widths[0] + widths[1]])
    project = _instance(Project, "p", row[widths[0] + widths[1] : sum(widths)])
    Task.document.field.set_cached_value(task, document)
    Task.project.field.set_cached_value(task, project)
    task.replayed, task.id_taken = bool(row[-2]), bool(row[-1])
    return task


def record_change(task: Task, **change) -> None:
    """Bump the task's version and append the history entry; one statement on PostgreSQL, where every
    save pays for each round trip."""
    if connection.vendor != "postgresql":
        task.version += 1
        task.save(update_fields=["version"])
        AnnotationChange.objects.create(task=task, seq=task.version, **change)
        return
    tasks, changes = Task._meta.db_table, AnnotationChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH bumped AS (UPDATE {tasks} SET version = version + 1 WHERE id = %s RETURNING version) "
            f"INSERT INTO {changes} (task_id, seq, op_id, by_id, at, kind, action, ops, ref_seq) "
            "SELECT %s, version, %s, %s, %s, %s, %s, %s, %s FROM bumped RETURNING seq",
            [task.pk, task.pk, change["op_id"], change["by"].pk, timezone.now(), change["kind"],
             change["action"], Jsonb(change["ops"]), change["ref_seq"]],
        )
        task.version = cursor.fetchone()[0]
