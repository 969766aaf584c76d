"""Django's database sessions, read with one fixed SQL statement instead of an ORM query built and compiled
on every request: building and compiling `Session.objects.get(...)` cost more than the database's answer
(0.9 ms against 0.2 ms here, bench/request_overhead.py). Writes, expiry and everything else are Django's;
SESSION_ENGINE = "config.sessions"."""

import functools

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


@functools.cache
def _select_sql(table: str, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return f"SELECT session_data FROM {quote(table)} WHERE session_key = %s AND expire_date > %s"


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        with connections[using].cursor() as cursor:
            cursor.execute(_select_sql(model._meta.db_table, using), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
