"""Django's ModelBackend, except that the user of a session is read with one fixed SQL statement: the ORM
query it replaces (`User.objects.get(pk=...)`, built and compiled on every request) cost 1.3 ms against
0.2 ms for the database's answer (bench/request_overhead.py). When the session's statement read the user's
row already (config/sessions.py), that row is used and nothing is asked, and the permissions read with it
fill Django's permission cache. Passwords, permission checks and is_active are Django's own."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from config.sessions import PREFETCHED_USER, permissions_sql, user_columns


@functools.cache
def _select(model, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return f"SELECT {user_columns(alias)} FROM {quote(model._meta.db_table)} u WHERE u.{quote(model._meta.pk.column)} = %s"


@functools.cache
def _converters(model, alias: str) -> list[tuple]:
    """Per column, the column and what the ORM runs on the value it reads (on SQLite: dates made aware)."""
    connection = connections[alias]
    return [(f.get_col("u"), connection.ops.get_db_converters(f.get_col("u")) + f.get_db_converters(connection))
            for f in model._meta.concrete_fields]


def user_from_row(model, alias: str, row):
    """The user the ORM would build from this row (config.sessions.user_columns' order)."""
    connection, values = connections[alias], []
    for (column, funcs), value in zip(_converters(model, alias), row, strict=True):
        for func in funcs:
            value = func(value, column, connection)
        values.append(value)
    return model.from_db(alias, [f.attname for f in model._meta.concrete_fields], values)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        using = router.db_for_read(model)
        prefetched = PREFETCHED_USER.get()
        permissions = None
        if prefetched is not None and prefetched[0] == pk:
            row, permissions = prefetched[1], prefetched[2]
        else:
            with connections[using].cursor() as cursor:
                cursor.execute(_select(model, using), [pk])
                row = cursor.fetchone()
        if row is None:
            return None
        user = user_from_row(model, using, row)
        if not self.user_can_authenticate(user):
            return None
        if prefetched is not None and prefetched[0] == pk and permissions_sql(using) != "NULL" \
                and not user.is_superuser:
            # Django's own cache of get_all_permissions (ModelBackend), filled from the session's statement
            # (a superuser's are every permission there is, which Django reads itself when asked).
            user._perm_cache = set(permissions.split(" ")) if permissions else set()
        return user
