"""SQLite has no Turkish case folding: LIKE folds ASCII only, so "istanbul" never met "İSTANBUL". Each SQLite
connection gets `haber_fold(text)`, the full-text search's own folding (corpus.search.search_fold), so that
the substring search there meets the same capitals as PostgreSQL's full-text search."""

from django.db.backends.signals import connection_created


def _fold(text):
    from .search import search_fold

    return None if text is None else search_fold(text)


def register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("haber_fold", 1, _fold, deterministic=True)


def connect() -> None:
    connection_created.connect(register, dispatch_uid="corpus.sqlite_functions")
