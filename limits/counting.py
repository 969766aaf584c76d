"""Counting requests per key in fixed windows, in one statement each: INSERT … ON CONFLICT DO UPDATE …
RETURNING (PostgreSQL, and SQLite since 3.35), so concurrent requests never lose a count. Old windows are
deleted now and then by the requests themselves."""

import random
import time

from django.db import connection

from limits.models import RateCount

TABLE = RateCount._meta.db_table
PRUNE_ONE_IN = 200


def _window(period: float, now: float) -> tuple[int, float]:
    number = int(now // period)
    return number, (number + 1) * period


def rate_hit(key: str, period: float) -> tuple[int, float]:
    """Count one more for `key` in the current window of `period` seconds: (the count now, seconds until the
    window ends)."""
    now = time.time()
    number, ends = _window(period, now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (name, count, window_ends) VALUES (%s, 1, %s) "
            f"ON CONFLICT (name) DO UPDATE SET count = {TABLE}.count + 1 RETURNING count",
            [f"{key}:{number}"[:200], ends])
        (count,) = cursor.fetchone()
        if random.randrange(PRUNE_ONE_IN) == 0:
            cursor.execute(f"DELETE FROM {TABLE} WHERE window_ends < %s", [now - period])
    return count, ends - now


def rate_count(key: str, period: float) -> tuple[int, float]:
    """How many were counted for `key` in the current window, without counting: (count, seconds left)."""
    now = time.time()
    number, ends = _window(period, now)
    row = RateCount.objects.filter(name=f"{key}:{number}"[:200]).values_list("count", flat=True).first()
    return row or 0, ends - now
