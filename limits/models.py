"""Rate limits counted in the database, so that every process and machine keeps one count (three gunicorn
workers make the same limit as one): a row per key and time window, bumped by one atomic upsert."""

from django.db import models


class RateCount(models.Model):
    name = models.CharField(max_length=200, primary_key=True, help_text="scope:client:window number")
    count = models.PositiveIntegerField(default=0)
    window_ends = models.FloatField(help_text="Seconds since the epoch when this window ends", db_index=True)

    class Meta:
        verbose_name = "rate count"

    def __str__(self):
        return f"{self.name}: {self.count}"
