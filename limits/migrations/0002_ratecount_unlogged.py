"""The rate counts in an UNLOGGED table on PostgreSQL: a count is bumped by every throttled request (the
whole API), and a write to a logged table waits at its commit for the write-ahead log to reach the disk
(~0.3 ms of a 1.6 ms API request here, docs/benchmarks.md). An unlogged table writes no log, so that commit
waits for nothing. What it gives up is harmless for counts that live a minute or an hour: PostgreSQL empties
the table after a crash (every limit starts counting again) and standbys do not receive it (after a
failover the counts start again too). SQLite has no such thing and keeps its table as it is."""

from django.db import migrations


def _alter(persistence):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = apps.get_model("limits", "RateCount")._meta.db_table
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET {persistence}")
    return run


class Migration(migrations.Migration):

    dependencies = [("limits", "0001_initial")]

    operations = [migrations.RunPython(_alter("UNLOGGED"), _alter("LOGGED"), elidable=False)]
