"""Many rows into one table without building a model instance for each: COPY on PostgreSQL, executemany
elsewhere. For imports that write tens of thousands of spans, where Django's bulk_create spends most of
its time preparing objects. The caller gives database values (ids, not instances) and names every column
that has no database default."""

from django.db import connection


def rows_insert(model, columns: list[str], rows) -> None:
    """Insert `rows` (tuples in the order of `columns`, which are field names) into the model's table."""
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:  # values as the backend stores them (SQLite keeps a UUID as hex text, a datetime as text)
            prep = [model._meta.get_field(c).get_db_prep_save for c in columns]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                               [tuple(f(v, connection) for f, v in zip(prep, row, strict=True)) for row in rows])


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
            # psycopg adapts plain Python values itself (ids, text, datetimes, UUIDs); JSON goes through its field.
            json_fields = {f.name for f in fields if f.get_internal_type() == "JSONField"}

            def value(f, row):
                v = row.get(f.name, defaults[f.name])
                return f.get_db_prep_save(v, connection) if f.name in json_fields else v

            with cursor.cursor.copy(f"COPY {table} ({pk}, {names}) FROM STDIN") as copy:
                for pk_value, row in zip(ids, values, strict=True):
                    copy.write_row([pk_value, *(value(f, row) for f in fields)])
            return ids
        for first in range(0, len(values), chunk):
            part = values[first:first + chunk]
            params = [f.get_db_prep_save(row.get(f.name, defaults[f.name]), connection)
                      for row in part for f in fields]
            marks = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(part))
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {marks} RETURNING {pk}", params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids
