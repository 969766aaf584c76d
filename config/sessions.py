"""Django's database sessions, read together with their user in one fixed SQL statement.

* Building and compiling `Session.objects.get(...)` on every request cost more than the database's answer
  (0.9 ms against 0.2 ms here, bench/request_overhead.py), so the session is read with a statement written
  once per process.
* The session's row carries its user's id (config.models.Session; Django keeps it only inside the signed
  data), so the same statement reads the user's row too: one round trip where a request made two. The
  user is still Django's to accept: AuthenticationMiddleware below hands the row to the authentication
  backend (config/auth_backends.py) for this request only, and django.contrib.auth.get_user checks the
  backend, the session's hash of the password and is_active as it always does.
* The statement also reads the user's permissions (their own and their groups', named as Django names
  them), which the backend hands to Django's permission cache: `has_perm` asks nothing more of the
  database (two queries on every page that shows or hides something by permission, the top bar's
  "Corpus" among them).

Writes, expiry, key cycling and everything else are Django's. SESSION_ENGINE = "config.sessions"."""

import contextvars
import functools

from django.contrib import auth
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

# (user id, the user's row as config.auth_backends reads it, their permissions as permissions_sql reads them)
# while this request's user is being read.
PREFETCHED_USER: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("prefetched_user", default=None)


def user_columns(alias: str) -> str:
    """The user's columns as the statements select them (table alias u)."""
    quote = connections[alias].ops.quote_name
    return ", ".join(f"u.{quote(f.column)}" for f in get_user_model()._meta.concrete_fields)


@functools.cache
def permissions_sql(alias: str) -> str:
    """The permissions of user u as one value: Django's names for them ("app_label.codename", as
    ModelBackend.get_all_permissions gives them) separated by spaces, NULL for none; "NULL" for a user
    model without Django's groups and permissions, or a database without string_agg or group_concat."""
    connection = connections[alias]
    aggregate = {"postgresql": "string_agg({}, ' ')", "sqlite": "group_concat({}, ' ')"}.get(connection.vendor)
    users = get_user_model()._meta
    try:
        own, groups = users.get_field("user_permissions"), users.get_field("groups")
    except FieldDoesNotExist:
        return "NULL"
    if aggregate is None or own.related_model is not Permission:
        return "NULL"
    granted = Group._meta.get_field("permissions")
    quote = connection.ops.quote_name

    def table(field):
        return quote(field.remote_field.through._meta.db_table)

    name = f"ct.{quote('app_label')} || '.' || p.{quote('codename')}"
    return (
        f"(SELECT {aggregate.format(name)} FROM {quote(Permission._meta.db_table)} p "
        f"JOIN {quote(ContentType._meta.db_table)} ct ON ct.{quote('id')} = p.{quote('content_type_id')} "
        f"WHERE p.{quote('id')} IN ("
        f"SELECT up.{quote(own.m2m_reverse_name())} FROM {table(own)} up "
        f"WHERE up.{quote(own.m2m_column_name())} = u.{quote(users.pk.column)} "
        f"UNION SELECT gp.{quote(granted.m2m_reverse_name())} FROM {table(groups)} ug "
        f"JOIN {table(granted)} gp ON gp.{quote(granted.m2m_column_name())} = ug.{quote(groups.m2m_reverse_name())} "
        f"WHERE ug.{quote(groups.m2m_column_name())} = u.{quote(users.pk.column)}))"
    )


@functools.cache
def _select_sql(table: str, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    users = get_user_model()._meta
    return (f"SELECT s.session_data, s.user_id, {user_columns(alias)}, {permissions_sql(alias)} "
            f"FROM {quote(table)} s LEFT JOIN {quote(users.db_table)} u ON u.{quote(users.pk.column)} = s.user_id "
            "WHERE s.session_key = %s AND s.expire_date > %s")


def _user_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SessionStore(DatabaseSessionStore):
    prefetched_user: tuple | None = None  # (user id, row, permissions): the user of the session, read with it

    @classmethod
    def get_model_class(cls):
        from config.models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = _user_id(data.get(SESSION_KEY))
        return instance

    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        with connections[using].cursor() as cursor:
            cursor.execute(_select_sql(model._meta.db_table, using), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        # A session written before its row carried the user (or whose user is gone) has no row here: the
        # backend reads the user on its own, as before.
        self.prefetched_user = (row[1], row[2:-1], row[-1]) if row[1] is not None and row[2] is not None else None
        return model(session_key=self.session_key, session_data=row[0])


def _user(request):
    if not hasattr(request, "_cached_user"):
        token = PREFETCHED_USER.set(getattr(request.session, "prefetched_user", None))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            PREFETCHED_USER.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with the user read with the session (SessionStore) handed to the backend while
    django.contrib.auth.get_user reads this request's user, and at no other time."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))
