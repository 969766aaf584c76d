"""Dataset releases (annotate/releases, issue #31): a named, immutable cut of a project's gold, built by a
background job into a zip that never changes afterwards, with what it was made from (options, schema and
tokenizer versions, the guidelines' text), what it holds (counts, near-duplicate groups) and each file's
SHA-256. A release can be withdrawn (hidden from the list and the API's downloads by default, kept for the
record), never altered: once built, saving it again raises ReleaseImmutable."""

import re

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _

RELEASE_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}")
DEFAULT_SPLIT = "train:0.8,dev:0.1,test:0.1"
# What may change on a built release: its withdrawal, and nothing else.
WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawn_reason"})


class ReleaseImmutable(Exception):
    pass


class ReleaseState(models.TextChoices):
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReleaseQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(state=ReleaseState.READY)

    def listed(self):
        """What the list shows by default: every release not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Release(models.Model):
    project = models.ForeignKey(
        "annotate.Project", on_delete=models.PROTECT, related_name="releases", verbose_name=_("project")
    )
    name = models.CharField(
        max_length=40,
        help_text=_("Like 2026.12: letters, digits, dots, dashes, underscores"),
        verbose_name=_("name"),
    )
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    state = models.CharField(
        max_length=16, choices=ReleaseState.choices, default=ReleaseState.BUILDING, verbose_name=_("state")
    )
    job_id = models.UUIDField(null=True, blank=True, verbose_name=_("job id"))
    options = models.JSONField(
        default=dict, blank=True, verbose_name=_("options")
    )  # source, filters, split spec, threshold, licence
    schema_version = models.PositiveIntegerField(default=0, verbose_name=_("schema version"))
    schema = models.JSONField(
        default=dict, blank=True, verbose_name=_("schema")
    )  # the label schema as it was (schema_dump)
    tokenizer_version = models.CharField(max_length=40, blank=True, verbose_name=_("tokenizer version"))
    guidelines = models.TextField(blank=True, verbose_name=_("guidelines"))
    counts = models.JSONField(
        default=dict, blank=True, verbose_name=_("counts")
    )  # per split: documents, tokens, spans per layer and label
    report = models.JSONField(
        default=dict, blank=True, verbose_name=_("report")
    )  # near-duplicate groups, figures of the card
    files = models.JSONField(
        default=list, blank=True, verbose_name=_("files")
    )  # [{name, bytes, sha256}] inside the zip
    path = models.CharField(
        max_length=300, blank=True, help_text=_("The zip in storage"), verbose_name=_("path")
    )
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("sha256"))
    bytes = models.BigIntegerField(default=0, verbose_name=_("bytes"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    withdrawn_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_reason = models.TextField(blank=True, verbose_name=_("withdrawn reason"))

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
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
