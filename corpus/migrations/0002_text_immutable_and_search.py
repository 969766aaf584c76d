"""Defence in depth for the text contract, and the full-text index.

* A trigger refuses any UPDATE that changes a document's text or its hash, whatever code path issues it.
* On PostgreSQL, a GIN index on the same tsvector expression that DocumentQuerySet.search() uses
  (Turkish configuration for Turkish documents, 'simple' for the rest).
"""

from django.db import migrations

# The expression as it was when this migration was written (migration 0004 replaced it by a column).
SEARCH_VECTOR_SQL = (
    "(CASE WHEN corpus_document.language = 'tr' "
    "THEN to_tsvector('turkish'::regconfig, corpus_document.title || ' ' || left(corpus_document.text, 500000)) "
    "ELSE to_tsvector('simple'::regconfig, corpus_document.title || ' ' || left(corpus_document.text, 500000)) END)"
)

PG_TRIGGER = """
CREATE OR REPLACE FUNCTION corpus_document_text_immutable() RETURNS trigger AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text OR NEW.text_sha256 IS DISTINCT FROM OLD.text_sha256 THEN
    RAISE EXCEPTION 'document text is immutable after import';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER corpus_document_text_immutable BEFORE UPDATE ON corpus_document
  FOR EACH ROW EXECUTE FUNCTION corpus_document_text_immutable();
"""
PG_TRIGGER_DROP = """
DROP TRIGGER IF EXISTS corpus_document_text_immutable ON corpus_document;
DROP FUNCTION IF EXISTS corpus_document_text_immutable();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER corpus_document_text_immutable BEFORE UPDATE OF text, text_sha256 ON corpus_document
WHEN NEW.text IS NOT OLD.text OR NEW.text_sha256 IS NOT OLD.text_sha256
BEGIN SELECT RAISE(ABORT, 'document text is immutable after import'); END;
"""
PG_SEARCH_INDEX = f"CREATE INDEX corpus_document_search ON corpus_document USING GIN ({SEARCH_VECTOR_SQL})"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TRIGGER)
        schema_editor.execute(PG_SEARCH_INDEX.replace("corpus_document.", ""))
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS corpus_document_search")
        schema_editor.execute(PG_TRIGGER_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS corpus_document_text_immutable")


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
