"""PostgreSQL storage for import speed: lz4 instead of pglz for article text (several times faster to
compress), and no compression attempt for the packed token arrays, which do not compress."""

from django.db import DatabaseError, migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE corpus_documenttokens ALTER COLUMN tokens SET STORAGE EXTERNAL, "
        "ALTER COLUMN sentences SET STORAGE EXTERNAL"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT lz4_probe")
        try:
            cursor.execute("ALTER TABLE corpus_document ALTER COLUMN text SET COMPRESSION lz4")
            cursor.execute("RELEASE SAVEPOINT lz4_probe")
        except DatabaseError:  # a server built without lz4 keeps pglz
            cursor.execute("ROLLBACK TO SAVEPOINT lz4_probe")


class Migration(migrations.Migration):
    dependencies = [("corpus", "0002_text_immutable_and_search")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
