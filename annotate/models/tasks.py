"""A task: one document for one annotator in one project, and the trail of its transitions."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"


OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def queue_for(self, user, project=None):
        """Open tasks of a user, oldest assignment first (backed by the partial index task_queue)."""
        tasks = self.open().filter(annotator=user)
        if project is not None:
            tasks = tasks.filter(project=project)
        return tasks.order_by("assigned_at", "id")

    def next_for(self, user, project=None):
        """The task "Start" / "Continue" opens: the oldest assigned and not yet submitted or skipped."""
        return self.queue_for(user, project).first()


class Task(models.Model):
    project = models.ForeignKey("annotate.Project", on_delete=models.CASCADE, related_name="tasks")
    document = models.ForeignKey("corpus.Document", on_delete=models.PROTECT, related_name="tasks")
    # The document's collection, copied so that progress per collection needs no join over a million rows.
    collection = models.ForeignKey("corpus.Collection", on_delete=models.PROTECT, related_name="+")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True, help_text="Start of the current sitting")
    finished_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=500, blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0, help_text="Bumped by every annotation change")
    flag = models.CharField(max_length=20, blank=True, choices=[("", "—"), ("bad_document", "Bad document"), ("unsure", "Unsure")])
    comment = models.TextField(blank=True, help_text="The annotator's note to the curator")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "document", "annotator"], name="task_one_per_annotator_and_document"
            ),
        ]
        indexes = [
            models.Index(
                fields=["annotator", "project", "assigned_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="task_queue",
            ),
            models.Index(
                fields=["annotator", "project", "status", "finished_at"], name="task_annotator_status"
            ),
        ]

    def __str__(self):
        return f"Task {self.pk}: document {self.document_id} for {self.annotator_id}"

    def get_absolute_url(self):
        return reverse("annotate:task", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TaskTransition(models.Model):
    """Who moved a task from which status to which, when, and why. Append-only."""

    # No index of its own: the (task, …) indexes below start with it and serve every lookup by task.
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions", db_index=False)
    from_status = models.CharField(max_length=16, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=TaskStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["task", "at", "id"]
        indexes = [models.Index(fields=["task", "at"], name="transition_task_at")]

    def __str__(self):
        return f"{self.task_id}: {self.from_status or '∅'} → {self.to_status}"
