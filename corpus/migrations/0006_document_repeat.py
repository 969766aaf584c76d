"""A document may be the n-th copy of a text in its collection (repeat n), for files that repeat a text on
purpose; the unique index is (collection, text, repeat). SQLite rebuilds the table to change it, which drops
its triggers: the text-immutability trigger of 0002 is created again (0005's rebuild had lost it too)."""

import importlib

from django.db import migrations, models

SQLITE_TRIGGER = importlib.import_module("corpus.migrations.0002_text_immutable_and_search").SQLITE_TRIGGER


def trigger_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS corpus_document_text_immutable")
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0005_import_duplicate_check_index")]

    operations = [
        migrations.RemoveConstraint(model_name="document", name="document_text_unique_in_collection"),
        migrations.AddField(
            model_name="document", name="repeat", field=models.PositiveIntegerField(db_default=0, default=0)
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("collection", "text_sha256", "repeat"), name="document_text_unique_in_collection"
            ),
        ),
        migrations.RunPython(trigger_again, migrations.RunPython.noop),
    ]
