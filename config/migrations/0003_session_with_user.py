"""Sessions move to a table that carries each session's user id (config.models.Session). The sessions that
have not expired are copied over, without the user id: the backend reads their user on its own until the
session is next saved, so nobody is logged out by the upgrade."""

from django.db import migrations, models
from django.utils import timezone


def sessions_copy(apps, schema_editor):
    old, new = apps.get_model("sessions", "Session"), apps.get_model("site", "Session")
    alias = schema_editor.connection.alias
    live = old.objects.using(alias).filter(expire_date__gt=timezone.now()).order_by("pk")
    batch = []
    for session in live.iterator(chunk_size=2000):
        batch.append(new(session_key=session.session_key, session_data=session.session_data,
                         expire_date=session.expire_date))
        if len(batch) == 2000:
            new.objects.using(alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    new.objects.using(alias).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0002_verbose_names"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                ("session_key", models.CharField(max_length=40, primary_key=True, serialize=False,
                                                 verbose_name="session key")),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                ("user_id", models.BigIntegerField(blank=True, null=True, verbose_name="user id")),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "config_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(sessions_copy, migrations.RunPython.noop, elidable=True),
    ]
