"""Keep the progress counters in step with the tasks, in the same transaction as the change.

Upserts with ON CONFLICT … DO UPDATE (PostgreSQL and SQLite share the syntax): one statement per batch of
changes, and concurrent writers add to the counters instead of overwriting each other."""

from collections import Counter

from django.db import connection

from annotate.models import DurationBucket, ProgressCounter
from annotate.models.progress import BUCKET_SECONDS, MAX_BUCKET

ROWS_PER_STATEMENT = 500


def counters_add(project_id: int, deltas: Counter, seconds: Counter | None = None) -> None:
    """deltas: (annotator_id, collection_id, status) → change in count; seconds: the same keys → seconds."""
    seconds = seconds or Counter()
    keys = [k for k in deltas.keys() | seconds.keys() if deltas.get(k) or seconds.get(k)]
    table = ProgressCounter._meta.db_table
    for i in range(0, len(keys), ROWS_PER_STATEMENT):
        chunk = keys[i : i + ROWS_PER_STATEMENT]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
        params = []
        for annotator_id, collection_id, status in chunk:
            key = (annotator_id, collection_id, status)
            params += [
                project_id,
                annotator_id,
                collection_id,
                status,
                deltas.get(key, 0),
                seconds.get(key, 0),
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (project_id, annotator_id, collection_id, status, count, seconds) "
                f"VALUES {values} ON CONFLICT (project_id, annotator_id, collection_id, status) DO UPDATE "
                f"SET count = {table}.count + excluded.count, seconds = {table}.seconds + excluded.seconds",
                params,
            )


def bucket_of(seconds: int) -> int:
    return min(seconds // BUCKET_SECONDS, MAX_BUCKET)


def duration_add(project_id: int, annotator_id: int, seconds: int, change: int) -> None:
    table = DurationBucket._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (project_id, annotator_id, bucket, count) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (project_id, annotator_id, bucket) DO UPDATE SET count = {table}.count + excluded.count",
            [project_id, annotator_id, bucket_of(seconds), change],
        )


def task_moved(task, old_status: str, old_seconds: int) -> None:
    """Move one task from (old status, old seconds) to its current status and seconds in the counters."""
    deltas, seconds = Counter(), Counter()
    old = (task.annotator_id, task.collection_id, old_status)
    new = (task.annotator_id, task.collection_id, task.status)
    deltas[old] -= 1
    deltas[new] += 1
    seconds[old] -= old_seconds
    seconds[new] += task.seconds_spent
    counters_add(task.project_id, deltas, seconds)
    if old_status == "submitted":
        duration_add(task.project_id, task.annotator_id, old_seconds, -1)
    if task.status == "submitted":
        duration_add(task.project_id, task.annotator_id, task.seconds_spent, +1)
