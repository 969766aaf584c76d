"""Progress counters kept by the task services, so that the dashboard reads a few hundred rows, not millions.

ProgressCounter: tasks and seconds per (project, annotator, collection, status).
DurationBucket: how many submitted tasks took how long, per annotator, in BUCKET_SECONDS steps; the
median minutes per document come from it."""

from django.conf import settings
from django.db import models

BUCKET_SECONDS = 15
MAX_BUCKET = 4 * 3600 // BUCKET_SECONDS  # four hours and longer share the last bucket


class ProgressCounter(models.Model):
    project = models.ForeignKey("annotate.Project", on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    collection = models.ForeignKey("corpus.Collection", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16)
    count = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "annotator", "collection", "status"], name="progress_counter_key"
            )
        ]

    def __str__(self):
        return f"{self.project_id}/{self.annotator_id}/{self.collection_id}/{self.status}: {self.count}"


class DurationBucket(models.Model):
    project = models.ForeignKey("annotate.Project", on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bucket = models.PositiveIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "annotator", "bucket"], name="duration_bucket_key")
        ]

    def __str__(self):
        return f"{self.project_id}/{self.annotator_id}: {self.bucket * BUCKET_SECONDS}s × {self.count}"
