"""Dataset releases (annotate/releases, issue #31): a named, immutable cut of a project's gold, built by a
background job into a zip that never changes afterwards, with what it was made from (options, schema and
tokenizer versions, the guidelines' text), what it holds (counts, near-duplicate groups) and each file's
SHA-256. A release can be withdrawn (hidden from the list and the API's downloads by default, kept for the
record), never altered: once built, saving it again raises ReleaseImmutable."""

import re

from django.conf import settings as django_settings
from django.db import models

RELEASE_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}")
DEFAULT_SPLIT = "train:0.8,dev:0.1,test:0.1"
# What may change on a built release: its withdrawal, and nothing else.
WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawn_reason"})


class ReleaseImmutable(Exception):
    pass


class ReleaseState(models.TextChoices):
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReleaseQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(state=ReleaseState.READY)

    def listed(self):
        """What the list shows by default: every release not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Release(models.Model):
    project = models.ForeignKey("annotate.Project", on_delete=models.PROTECT, related_name="releases")
    name = models.CharField(max_length=40, help_text="Like 2026.12: letters, digits, dots, dashes, underscores")
    notes = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=ReleaseState.choices, default=ReleaseState.BUILDING)
    job_id = models.UUIDField(null=True, blank=True)
    options = models.JSONField(default=dict, blank=True)  # source, filters, split spec, threshold, licence
    schema_version = models.PositiveIntegerField(default=0)
    schema = models.JSONField(default=dict, blank=True)  # the label schema as it was (schema_dump)
    tokenizer_version = models.CharField(max_length=40, blank=True)
    guidelines = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True)  # per split: documents, tokens, spans per layer and label
    report = models.JSONField(default=dict, blank=True)  # near-duplicate groups, figures of the card
    files = models.JSONField(default=list, blank=True)  # [{name, bytes, sha256}] inside the zip
    path = models.CharField(max_length=300, blank=True, help_text="The zip in storage")
    sha256 = models.CharField(max_length=64, blank=True)
    bytes = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdrawn_reason = models.TextField(blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="release_name_unique")]

    def __str__(self):
        return f"{self.project.slug} {self.name}"

    def save(self, *args, **kwargs):
        """A built release is never altered: only its withdrawal may be saved (update_fields naming those)."""
        if self.pk is not None:
            stored = Release.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            fields = kwargs.get("update_fields")
            if stored == ReleaseState.READY and (fields is None or not set(fields) <= WITHDRAWAL_FIELDS):
                raise ReleaseImmutable(f"Release {self.name} is built: it can be withdrawn, never altered.")
        super().save(*args, **kwargs)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def filename(self) -> str:
        return f"{self.project.slug}-{self.name}.zip"
