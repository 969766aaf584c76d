"""What each document adds to its project's agreement report, kept so that the report is brought up to
date by recomputing only the documents whose submitted sets changed (annotate/quality/agreement/cache.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentAgreement(models.Model):
    project = models.ForeignKey(
        "annotate.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    document = models.ForeignKey(
        "corpus.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    # A hash of the submitted sets it was computed from (task, version, submission time, annotator).
    signature = models.CharField(max_length=40, verbose_name=_("signature"))
    # JSON as text, encoded and decoded by annotate.quality.agreement.cache (the help text keeps the module's
    # old name, which migration 0009 recorded): tens of thousands are written at once,
    # and the database adapter's JSON path cost more than computing them.
    tally = models.TextField(
        help_text=_("JSON, written and read by annotate.agreement.cache"), verbose_name=_("tally")
    )
    # Exact span F1 over every layer, the mean of the pairs: the curation queue shows the lowest first.
    score = models.FloatField(null=True, blank=True, verbose_name=_("score"))

    class Meta:
        verbose_name = _("document agreement")
        verbose_name_plural = _("document agreements")
        constraints = [
            models.UniqueConstraint(fields=["project", "document"], name="document_agreement_unique"),
        ]

    def __str__(self):
        return f"Agreement of document {self.document_id} in project {self.project_id}"


class ProjectAgreement(models.Model):
    """The sum of the project's DocumentAgreement tallies, kept up to date by adding a changed document's
    new tally and taking away its old one: a report after one more submission reads this row, the
    signatures and the changed documents, not every tally."""

    project = models.OneToOneField(
        "annotate.Project",
        on_delete=models.CASCADE,
        related_name="+",
        primary_key=True,
        verbose_name=_("project"),
    )
    tally = models.TextField(
        help_text=_("JSON, written and read by annotate.agreement.cache"), verbose_name=_("tally")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("project agreement")
        verbose_name_plural = _("project agreements")

    def __str__(self):
        return f"Agreement of project {self.project_id}"
