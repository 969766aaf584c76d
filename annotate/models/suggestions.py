"""What the suggesters remember (annotate/suggestions): strings annotated in a project (the gazetteer),
lines marked as boilerplate (repetition), and the suggestions an annotator rejected, which do not come back."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GazetteerEntry(models.Model):
    """A string annotated in the project with a label: by a curator in a gold set (owner None) or by an
    annotator (owner). `key` is the string folded for matching (Turkish İ/ı, case, apostrophes, spaces)."""

    project = models.ForeignKey(
        "annotate.Project",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("project"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    key = models.CharField(max_length=200, verbose_name=_("key"))
    first = models.CharField(
        max_length=200,
        help_text=_("The key's first word: what a page looks it up by"),
        verbose_name=_("first"),
    )
    label = models.ForeignKey(
        "annotate.Label", on_delete=models.CASCADE, related_name="+", verbose_name=_("label")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        indexes = [models.Index(fields=["project", "first"], name="gazetteer_project_first")]
        constraints = [  # one row per string and label: the gold sets' (no owner), and each annotator's
            models.UniqueConstraint(
                fields=["project", "key", "label"],
                condition=models.Q(owner__isnull=True),
                name="gazetteer_gold_unique",
            ),
            models.UniqueConstraint(
                fields=["project", "owner", "key", "label"],
                condition=models.Q(owner__isnull=False),
                name="gazetteer_owner_unique",
            ),
        ]
        verbose_name = _("gazetteer entry")
        verbose_name_plural = _("gazetteer entries")

    def __str__(self):
        return f"{self.key} ({self.label_id})"


class RepeatedLine(models.Model):
    """A line of a collection's documents that was marked as boilerplate in the project (`line_hash`: of the
    line's folded text); the same line in another document of that collection is suggested with its label."""

    project = models.ForeignKey(
        "annotate.Project",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("project"),
    )
    collection_id = models.IntegerField(
        verbose_name=_("collection id")
    )  # a plain id: the line belongs to where the documents come from
    line_hash = models.CharField(max_length=32, verbose_name=_("line hash"))
    label = models.ForeignKey(
        "annotate.Label", on_delete=models.CASCADE, related_name="+", verbose_name=_("label")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("repeated line")
        verbose_name_plural = _("repeated lines")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "collection_id", "line_hash", "label"], name="repeated_line_unique"
            )
        ]  # also the page's lookup

    def __str__(self):
        return f"{self.line_hash} ({self.label_id})"


class SuggestionRejection(models.Model):
    """A suggestion the annotator of a task rejected: that label on those characters is not suggested again
    in the task, whoever suggests it."""

    task = models.ForeignKey(
        "annotate.Task", on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("task")
    )
    label = models.ForeignKey(
        "annotate.Label", on_delete=models.CASCADE, related_name="+", verbose_name=_("label")
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    origin = models.CharField(max_length=160, blank=True, default="", verbose_name=_("origin"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))

    class Meta:
        verbose_name = _("suggestion rejection")
        verbose_name_plural = _("suggestion rejections")
        constraints = [
            models.UniqueConstraint(fields=["task", "label", "start", "end"], name="rejection_unique")
        ]

    def __str__(self):
        return f"{self.task_id}: {self.label_id} [{self.start}, {self.end})"


class ProjectRejection(models.Model):
    """A label on a string that a curator took out of a gold set (deleted or relabelled): that label on that
    string (folded as the gazetteer folds it) is suggested nowhere in the project again, whoever suggests it.
    The suggesters' admin lists them; deleting one there (or undoing the curator's change) undoes it."""

    project = models.ForeignKey(
        "annotate.Project",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("project"),
    )
    label = models.ForeignKey(
        "annotate.Label", on_delete=models.CASCADE, related_name="+", verbose_name=_("label")
    )
    key = models.CharField(max_length=200, verbose_name=_("key"))
    text = models.CharField(
        max_length=200, blank=True, help_text=_("the string as the curator saw it"), verbose_name=_("text")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))

    class Meta:
        verbose_name = _("project rejection")
        verbose_name_plural = _("project rejections")
        constraints = [
            models.UniqueConstraint(fields=["project", "key", "label"], name="project_rejection_unique")
        ]

    def __str__(self):
        return f"{self.text or self.key} ({self.label_id})"
