"""Statistics for the query planner right after a bulk write. PostgreSQL plans from each table's statistics,
which ANALYZE gathers; a table filled by an import and never analysed looks empty to it, and a join over it
became a nested loop over 120,000 spans (the export's first byte after 9.5 s, #33). Autovacuum analyses a
minute later at best (and may be off): the job that wrote the rows analyses them, once they are committed."""

from django.db import connection, transaction

ANALYZE_AFTER_ROWS = 500  # fewer: the planner's defaults do as well, and ANALYZE would cost more than it saves


def tables_analyze(*models, written: int) -> None:
    """ANALYZE the tables of `models` once the current transaction commits (at once outside one), when a
    bulk write put at least ANALYZE_AFTER_ROWS rows in them. PostgreSQL only."""
    if written < ANALYZE_AFTER_ROWS or connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)

    def analyze():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")

    transaction.on_commit(analyze)
