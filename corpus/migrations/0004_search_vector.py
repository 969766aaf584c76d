"""PostgreSQL: the full-text lexemes move from an index expression (to_tsvector in the database, at every
insert) to a column that the import's workers fill (corpus.search): Turkish capitals are folded the
Turkish way, and PostgreSQL no longer spends most of an import computing vectors. Documents already
imported get their vectors here, in batches. SQLite searches by substring and is left alone.
"""

from importlib import import_module

from django.db import migrations

previous = import_module("corpus.migrations.0002_text_immutable_and_search")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from corpus.services.search_index import search_vectors_backfill

    schema_editor.execute("ALTER TABLE corpus_document ADD COLUMN search_vector tsvector")
    search_vectors_backfill()
    schema_editor.execute(
        "CREATE INDEX corpus_document_search_vector ON corpus_document USING GIN (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS corpus_document_search")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS corpus_document_search_vector")
    schema_editor.execute("ALTER TABLE corpus_document DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(previous.PG_SEARCH_INDEX.replace("corpus_document.", ""))


class Migration(migrations.Migration):
    dependencies = [("corpus", "0003_storage_tuning")]
    operations = [migrations.RunPython(forwards, backwards)]
