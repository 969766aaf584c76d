"""The full-text search vectors PostgreSQL keeps in corpus_document.search_vector (migration 0004).

The import's COPY writes them with the documents (computed in its workers); the other ways documents
are created (CoNLL files) and the migration that added the column write them here. corpus.search computes
them, the same way for every path.
"""

from collections.abc import Iterable

from django.db import connection

from corpus.search import search_vector

SQL_WRITE = (
    "UPDATE corpus_document AS d SET search_vector = v.vector::tsvector "
    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, vector) WHERE d.id = v.id"
)


def has_search_vector() -> bool:
    """Whether the database keeps search vectors: PostgreSQL does; SQLite searches by substring."""
    return connection.vendor == "postgresql"


def search_vectors_write(*, documents: Iterable[tuple[int, str, str, str]]) -> int:
    """Compute and store the search vectors of these (id, title, text, language) rows; returns how many
    were written."""
    documents = list(documents)
    if not has_search_vector() or not documents:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            SQL_WRITE,
            [
                [pk for pk, _title, _text, _language in documents],
                [search_vector(text, language, title=title) for _pk, title, text, language in documents],
            ],
        )
    return len(documents)


def search_vectors_backfill(*, batch_size: int = 500) -> int:
    """Write the vectors of every document that has none (documents imported before the column existed)."""
    if not has_search_vector():
        return 0
    written, last = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, title, text, language FROM corpus_document "
                "WHERE search_vector IS NULL AND id > %s ORDER BY id LIMIT %s",
                [last, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return written
        written += search_vectors_write(documents=rows)  # one UPDATE statement
        last = rows[-1][0]
