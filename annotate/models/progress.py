"""Progress counters kept by the task services, so that the dashboard reads a few hundred rows, not millions.

ProgressCounter: tasks and seconds per (project, annotator, collection, status).
DurationBucket: how many submitted tasks took how long, per annotator, in BUCKET_SECONDS steps; the
median minutes per document come from it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BUCKET_SECONDS = 15
MAX_BUCKET = 4 * 3600 // BUCKET_SECONDS  # four hours and longer share the last bucket


class ProgressCounter(models.Model):
    project = models.ForeignKey(
        "annotate.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("annotator")
    )
    collection = models.ForeignKey(
        "corpus.Collection", on_delete=models.CASCADE, related_name="+", verbose_name=_("collection")
    )
    status = models.CharField(max_length=16, verbose_name=_("status"))
    count = models.IntegerField(default=0, verbose_name=_("count"))
    seconds = models.BigIntegerField(default=0, verbose_name=_("seconds"))

    class Meta:
        verbose_name = _("progress counter")
        verbose_name_plural = _("progress counters")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "annotator", "collection", "status"], name="progress_counter_key"
            )
        ]

    def __str__(self):
        return f"{self.project_id}/{self.annotator_id}/{self.collection_id}/{self.status}: {self.count}"


class DurationBucket(models.Model):
    project = models.ForeignKey(
        "annotate.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("annotator")
    )
    bucket = models.PositiveIntegerField(verbose_name=_("bucket"))
    count = models.IntegerField(default=0, verbose_name=_("count"))

    class Meta:
        verbose_name = _("duration bucket")
        verbose_name_plural = _("duration buckets")
        constraints = [
            models.UniqueConstraint(fields=["project", "annotator", "bucket"], name="duration_bucket_key")
        ]

    def __str__(self):
        return f"{self.project_id}/{self.annotator_id}: {self.bucket * BUCKET_SECONDS}s × {self.count}"
