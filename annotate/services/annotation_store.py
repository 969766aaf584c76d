"""The two statements around every change to an annotation set: the task locked (with what the change needs
to know), and the version bumped with the history entry appended."""

import uuid

from django.db import connection
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from annotate.models import AnnotationChange, Event, Span, Task

CREATES = {"span.create": Span, "event.create": Event}


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def lock_for_change(pk: int, op_id: uuid.UUID | None, action: str, new_id: uuid.UUID | None) -> Task:
    """Lock the task, with its document and project, and ask in the same query what every change needs
    to know: whether this op was applied already, and whether a new item's id is taken."""
    model = CREATES.get(action)
    checks = {
        "replayed": Exists(AnnotationChange.objects.filter(task=OuterRef("pk"), op_id=op_id))
        if op_id
        else Value(False),
        "id_taken": Exists(model.objects.filter(task=OuterRef("pk"), client_id=new_id))
        if model and new_id
        else Value(False),
    }
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("document", "project")
        .annotate(**checks)
        .get(pk=pk)
    )



def record_change(task: Task, **change) -> None:
    """Bump the task's version and append the history entry; one statement on PostgreSQL, where every
    save pays for each round trip."""
    if connection.vendor != "postgresql":
        task.version += 1
        task.save(update_fields=["version"])
        AnnotationChange.objects.create(task=task, seq=task.version, **change)
        return
    from psycopg.types.json import Jsonb

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
