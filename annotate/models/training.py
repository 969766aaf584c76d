"""Models trained in the product (annotate/training, issue #34): one row per training run of a project, which
becomes the model version haber:<project>:<n> once it has finished, with its settings, data counts, the
learning curve of its epochs, and its scores on the test split."""

import re

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A run's version: haber:<project slug>:<n> (the only three-part model names; annotate.interop's predictions
# import accepts one only for a run that exists).
VERSION_NAME = re.compile(r"haber:(?P<slug>[-a-zA-Z0-9_]{1,100}):(?P<number>[0-9]{1,9})")


class TrainingState(models.TextChoices):
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class TrainedModelQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(state=TrainingState.READY)

    def running(self):
        return self.filter(state=TrainingState.TRAINING)

    def named(self, version):
        """The run whose version is `version` (haber:<project>:<n>); none for any other string."""
        found = VERSION_NAME.fullmatch(version) if isinstance(version, str) else None
        if found is None:
            return self.none()
        return self.filter(project__slug=found["slug"], number=int(found["number"]))


class TrainedModel(models.Model):
    project = models.ForeignKey(
        "annotate.Project", on_delete=models.CASCADE, related_name="trained_models", verbose_name=_("project")
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    state = models.CharField(
        max_length=16, choices=TrainingState.choices, default=TrainingState.TRAINING, verbose_name=_("state")
    )
    job_id = models.UUIDField(
        null=True, blank=True, verbose_name=_("job id")
    )  # the training job (jobs knows no projects; no foreign key)
    settings = models.JSONField(
        default=dict, blank=True, verbose_name=_("settings")
    )  # epochs, patience, source, seed, sizes
    counts = models.JSONField(
        default=dict, blank=True, verbose_name=_("counts")
    )  # documents, sentences, words, spans per split
    curve = models.JSONField(
        default=list, blank=True, verbose_name=_("curve")
    )  # per epoch: loss, dev F1, seconds
    scores = models.JSONField(
        default=dict, blank=True, verbose_name=_("scores")
    )  # on the test split: total, per layer, per label
    path = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The spaCy pipeline's directory in storage"),
        verbose_name=_("path"),
    )
    gold_at_start = models.PositiveIntegerField(
        default=0, help_text=_("Accepted gold sets when the run started"), verbose_name=_("gold at start")
    )
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

    objects = TrainedModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("trained model")
        verbose_name_plural = _("trained models")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="trained_model_number_unique"),
            # at most one run per project at a time, whoever starts it and however
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(state="training"),
                name="trained_model_one_run_per_project",
            ),
        ]

    def __str__(self):
        return self.version

    @property
    def version(self) -> str:
        """The model's name as the Models page and the predictions' user have it (MODEL:VERSION)."""
        return f"haber:{self.project.slug}:{self.number}"


class DocumentUncertainty(models.Model):
    """How unsure a model was of a document (annotate/training/uncertainty.py): the queue of a project that
    orders by uncertainty shows the most uncertain first, by the model in use's figures (a rollback brings
    its own back). One row per project, document and model, written by the model's predictions job."""

    project = models.ForeignKey(
        "annotate.Project",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("project"),
    )
    document = models.ForeignKey(
        "corpus.Document",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("document"),
    )
    model = models.CharField(max_length=160, verbose_name=_("model"))
    score = models.FloatField(verbose_name=_("score"))

    class Meta:
        verbose_name = _("document uncertainty")
        verbose_name_plural = _("document uncertainties")
        constraints = [
            models.UniqueConstraint(fields=["project", "document", "model"], name="uncertainty_unique")
        ]

    def __str__(self):
        return f"{self.document_id}: {self.score:.3f} ({self.model})"
