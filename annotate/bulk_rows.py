"""Many rows into one table without building a model instance for each: COPY on PostgreSQL, executemany
elsewhere. For imports that write tens of thousands of spans, where Django's bulk_create spends most of
its time preparing objects. The caller gives database values (ids, not instances) and names every column
that has no database default. A COPY's errors come back as Django's (IntegrityError), not psycopg's."""

from contextlib import contextmanager

from django.db import connection
from psycopg import errors, generators, pq
from psycopg.copy import LibpqWriter


def _quoted(model, columns: list[str]) -> tuple[str, str]:
    """The model's table and the columns of these fields, quoted for SQL."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(model._meta.get_field(c).column) for c in columns)


def rows_insert(model, columns: list[str], rows) -> None:
    """Insert `rows` (tuples in the order of `columns`, which are field names) into the model's table."""
    rows = list(rows)
    if not rows:
        return
    table, names = _quoted(model, columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:  # values as the backend stores them (SQLite keeps a UUID as hex text, a datetime as text)
            prep = [model._meta.get_field(c).get_db_prep_save for c in columns]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                               [tuple(f(v, connection) for f, v in zip(prep, row, strict=True)) for row in rows])


def rows_copy_text(model, columns: list[str], text: str, meanwhile=None) -> None:
    """PostgreSQL only: COPY `text`, lines of tab-separated values in COPY's text format that the caller
    has formatted (numbers and plain strings need no escaping), into the model's table. A per-row
    write_row costs more than the database's own work on tens of thousands of short rows.

    `meanwhile()` runs once the rows and the end of the data are sent, while the database still stores
    them and runs the statement's checks (foreign keys checked per statement: foreign_keys_per_statement),
    so that the two processes work at once. It must not use the connection."""
    table, names = _quoted(model, columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        writer = _ThenWriter(cursor.cursor, meanwhile) if meanwhile is not None else None
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN", writer=writer) as copy:
            copy.write(text)


class _ThenWriter(LibpqWriter):
    """psycopg's COPY writer, but between sending the end of the data and reading the database's answer
    it runs `meanwhile` (psycopg's own finish does both in one wait)."""

    def __init__(self, cursor, meanwhile):
        super().__init__(cursor)
        self.meanwhile = meanwhile

    def finish(self, exc: BaseException | None = None) -> None:
        if exc is not None:  # psycopg cancels the COPY with the error's message
            super().finish(exc)
            return
        pgconn = self._pgconn
        while pgconn.put_copy_end(None) == 0:  # 0: libpq's output buffer is full; send it first
            self.connection.wait(generators.send(pgconn))
        self.connection.wait(generators.send(pgconn))
        try:
            self.meanwhile()
        finally:  # the answer is read even when meanwhile fails, or the connection would be left mid-COPY
            results = self.connection.wait(generators.fetch_many(pgconn))
        for result in results:
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise errors.error_from_result(result, encoding=self.connection.info.encoding)
        self.cursor._results = results


@contextmanager
def foreign_keys_per_statement(model):
    """PostgreSQL: the model's foreign keys (Django makes them DEFERRABLE INITIALLY DEFERRED, checked at
    commit) checked at the end of each statement inside the block, then deferred again. With
    rows_copy_text's `meanwhile`, a COPY's checks run while the caller prepares its next rows instead of
    all at once at commit. A rolled-back savepoint restores the setting by itself. Elsewhere, nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
                       "AND condeferrable ORDER BY conname", [model._meta.db_table])
        names = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
        if not names:
            yield
            return
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        yield
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


def rows_insert_returning(model, values: list[dict], chunk: int = 500) -> list[int]:
    """Insert one row per dict (field name -> value; the field's default for the others) and return their
    ids in order, without Django's per-object query compilation: on PostgreSQL ids drawn from the table's
    sequence and one COPY; elsewhere multi-row INSERT … RETURNING (SQLite 3.35+)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.name: f.get_default() for f in fields}
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    pk = connection.ops.quote_name(model._meta.pk.column)
    if not values:
        return []
    ids = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # ids from the table's sequence, then one COPY with them
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, model._meta.pk.column, len(values)])
            ids = [row[0] for row in cursor.fetchall()]
            # psycopg adapts plain Python values itself (ids, text, datetimes, UUIDs); JSON goes through its
            # field. A row starts as the fields' defaults (prepared once) and takes the values it names.
            def prep(f, v):
                return f.get_db_prep_save(v, connection) if f.get_internal_type() == "JSONField" else v

            template = [None, *(prep(f, defaults[f.name]) for f in fields)]
            named = {name for row in values for name in row}
            given = [(i, f.name, f.get_internal_type() == "JSONField" and f) for i, f in enumerate(fields, 1)
                     if f.name in named]
            with cursor.cursor.copy(f"COPY {table} ({pk}, {names}) FROM STDIN") as copy:
                for pk_value, row in zip(ids, values, strict=True):
                    line = template.copy()
                    line[0] = pk_value
                    for i, name, json_field in given:
                        if name in row:
                            line[i] = json_field.get_db_prep_save(row[name], connection) if json_field else row[name]
                    copy.write_row(line)
            return ids
        for first in range(0, len(values), chunk):
            part = values[first:first + chunk]
            params = [f.get_db_prep_save(row.get(f.name, defaults[f.name]), connection)
                      for row in part for f in fields]
            marks = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(part))
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {marks} RETURNING {pk}", params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids
