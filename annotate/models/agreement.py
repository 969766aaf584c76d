"""What each document adds to its project's agreement report, kept so that the report is brought up to
date by recomputing only the documents whose submitted sets changed (annotate/quality/agreement/cache.py)."""

from django.db import models


class DocumentAgreement(models.Model):
    project = models.ForeignKey("annotate.Project", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey("corpus.Document", on_delete=models.CASCADE, related_name="+")
    # A hash of the submitted sets it was computed from (task, version, submission time, annotator).
    signature = models.CharField(max_length=40)
    # JSON as text, encoded and decoded by annotate.quality.agreement.cache (the help text keeps the module's
    # old name, which migration 0009 recorded): tens of thousands are written at once,
    # and the database adapter's JSON path cost more than computing them.
    tally = models.TextField(help_text="JSON, written and read by annotate.agreement.cache")
    # Exact span F1 over every layer, the mean of the pairs: the curation queue shows the lowest first.
    score = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "document"], name="document_agreement_unique"),
        ]

    def __str__(self):
        return f"Agreement of document {self.document_id} in project {self.project_id}"


class ProjectAgreement(models.Model):
    """The sum of the project's DocumentAgreement tallies, kept up to date by adding a changed document's
    new tally and taking away its old one: a report after one more submission reads this row, the
    signatures and the changed documents, not every tally."""

    project = models.OneToOneField("annotate.Project", on_delete=models.CASCADE, related_name="+", primary_key=True)
    tally = models.TextField(help_text="JSON, written and read by annotate.agreement.cache")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Agreement of project {self.project_id}"
