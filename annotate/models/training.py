"""Models trained in the product (annotate/training, issue #34): one row per training run of a project, which
becomes the model version haber:<project>:<n> once it has finished, with its settings, data counts, the
learning curve of its epochs, and its scores on the test split."""

from django.conf import settings as django_settings
from django.db import models


class TrainingState(models.TextChoices):
    TRAINING = "training", "Training"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class TrainedModelQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(state=TrainingState.READY)

    def running(self):
        return self.filter(state=TrainingState.TRAINING)


class TrainedModel(models.Model):
    project = models.ForeignKey("annotate.Project", on_delete=models.CASCADE, related_name="trained_models")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=TrainingState.choices, default=TrainingState.TRAINING)
    job_id = models.UUIDField(null=True, blank=True)  # the training job (jobs knows no projects; no foreign key)
    settings = models.JSONField(default=dict, blank=True)  # epochs, patience, source, seed, sizes
    counts = models.JSONField(default=dict, blank=True)  # documents, sentences, words, spans per split
    curve = models.JSONField(default=list, blank=True)  # per epoch: loss, dev F1, seconds
    scores = models.JSONField(default=dict, blank=True)  # on the test split: total, per layer, per label
    path = models.CharField(max_length=300, blank=True, help_text="The spaCy pipeline's directory in storage")
    gold_at_start = models.PositiveIntegerField(default=0, help_text="Accepted gold sets when the run started")
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TrainedModelQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="trained_model_number_unique"),
            # at most one run per project at a time, whoever starts it and however
            models.UniqueConstraint(fields=["project"], condition=models.Q(state="training"),
                                    name="trained_model_one_run_per_project"),
        ]

    def __str__(self):
        return self.version

    @property
    def version(self) -> str:
        """The model's name as the Models page and the predictions' user have it (MODEL:VERSION)."""
        return f"haber:{self.project.slug}:{self.number}"


class DocumentUncertainty(models.Model):
    """How unsure the model in use was of a document (annotate/training/uncertainty.py): the queue of a project
    that orders by uncertainty shows the least confident first. One row per document and project, replaced by
    each model's predictions job."""

    project = models.ForeignKey("annotate.Project", on_delete=models.CASCADE, related_name="+", db_index=False)
    document = models.ForeignKey("corpus.Document", on_delete=models.CASCADE, related_name="+", db_index=False)
    model = models.CharField(max_length=160)
    score = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "document"], name="uncertainty_unique")]

    def __str__(self):
        return f"{self.document_id}: {self.score:.3f} ({self.model})"
