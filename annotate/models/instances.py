"""Model instances read by fixed SQL statements, written once per process. On the paths every annotator
takes all day (a page, a save) compiling the same ORM query again cost more CPU than the database's
answer: the task with its project, document and people took 2.4 ms through the ORM, of which the
database's part was 0.3 ms. The instances are the ORM's own (`Model.from_db`), with its converters run.

    sql = f"SELECT {', '.join(columns(Task, 't') + columns(Project, 'p'))} FROM ... "
    task, project = instances(row, (Task, "t"), (Project, "p"))"""

import functools

from django.db import connection


def columns(model, alias: str) -> list[str]:
    """The model's columns as `alias."column"`, in the order `instance` reads them."""
    return [f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields]


@functools.cache
def _converters(model, alias: str) -> list[list]:
    """Per column, what the ORM would run on the value it reads (JSON, and on SQLite dates and UUIDs)."""
    return [
        connection.ops.get_db_converters(f.get_col(alias)) + f.get_db_converters(connection)
        for f in model._meta.concrete_fields
    ]


def instance(model, alias: str, values):
    """The instance the ORM would build from these column values (`columns`' order)."""
    converters = _converters(model, alias)
    fields = model._meta.concrete_fields
    converted = []
    for field, value, funcs in zip(fields, values, converters, strict=True):
        for func in funcs:
            value = func(value, field.get_col(alias), connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def instances(row, *parts: tuple) -> list:
    """One instance per (model, alias) from consecutive stretches of `row`; None for a model whose primary
    key is NULL there (a LEFT JOIN that found nothing)."""
    found, at = [], 0
    for model, alias in parts:
        width = len(model._meta.concrete_fields)
        values = row[at : at + width]
        pk_index = model._meta.concrete_fields.index(model._meta.pk)
        found.append(None if values[pk_index] is None else instance(model, alias, values))
        at += width
    return found
