"""Background jobs: what a person started, who started it, how far it is, and what came of it.

A Job row is ours; the queue underneath is Django's Tasks framework with django-tasks-db (one DBTaskResult
per job, `task_id`). The job row carries what the queue does not: the owner and project (who may see it),
progress (done / total, written by the running worker every JOBS_HEARTBEAT_SECONDS), the result (an import
report) and a message when it failed. A job whose heartbeat stops (its worker was killed) is marked failed
by the next worker that looks (services.jobs_sweep)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs `user` may see: their own, those of the projects they manage (the annotate app says which:
        registry.managed_project_ids; this app knows no projects), and every job for a superuser."""
        from .registry import managed_project_ids

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        visible = models.Q(owner=user)
        for ids in managed_project_ids(user):
            visible |= models.Q(project_id__in=ids)
        return self.filter(visible)

    def cancellable_by(self, user):
        """The jobs `user` may cancel: their own, and those of the projects they manage (as visible_to)."""
        return self.visible_to(user).filter(state__in=[JobState.QUEUED, JobState.RUNNING])

    def unfinished(self):
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])

    def stale(self, *, seconds: float, now=None):
        """Running jobs whose worker has not written a heartbeat for `seconds`: the worker is gone."""
        cutoff = (now or timezone.now()) - timedelta(seconds=seconds)
        return self.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id"))
    kind = models.CharField(max_length=64, verbose_name=_("kind"))
    label = models.CharField(
        max_length=300, help_text=_("What the job does, as a person reads it"), verbose_name=_("label")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    # The project the job works on, if any (its managers see the job). No foreign key: jobs knows no projects.
    project_id = models.BigIntegerField(null=True, blank=True, db_index=True, verbose_name=_("project id"))
    params = models.JSONField(default=dict, blank=True, verbose_name=_("params"))
    state = models.CharField(
        max_length=16, choices=JobState.choices, default=JobState.QUEUED, verbose_name=_("state")
    )
    done = models.BigIntegerField(default=0, verbose_name=_("done"))
    total = models.BigIntegerField(null=True, blank=True, verbose_name=_("total"))
    unit = models.CharField(max_length=32, default="items", verbose_name=_("unit"))
    language = models.CharField(
        max_length=8,
        blank=True,
        default="",
        help_text=_("The language of the person who started it: its messages are in it"),
        verbose_name=_("language"),
    )
    result = models.JSONField(null=True, blank=True, verbose_name=_("result"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    task_id = models.CharField(
        max_length=64, blank=True, help_text=_("The django.tasks result id"), verbose_name=_("task id")
    )
    worker_id = models.CharField(max_length=64, blank=True, verbose_name=_("worker id"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    # Somebody asked for the running job to stop: the heartbeat reads it, and a kind that can stop part-way
    # (registry.JobKind.cancellable) ends at its next step, as "cancelled", with nothing half-written.
    cancel_requested = models.BooleanField(
        default=False, db_default=False, verbose_name=_("cancel requested")
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("heartbeat at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="jobs_state_heartbeat")]

    def __str__(self):
        return f"{self.label} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("jobs:job", args=[self.pk])

    @property
    def unit_display(self) -> str:
        """What the job counts, in the reader's language (each kind names its unit with gettext_noop)."""
        return gettext(self.unit)

    @property
    def finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class WorkerBeat(models.Model):
    """A worker process that has looked for work: when it last did (/healthz/jobs wants one within a minute)."""

    worker_id = models.CharField(max_length=64, primary_key=True, verbose_name=_("worker id"))
    host = models.CharField(max_length=200, blank=True, verbose_name=_("host"))
    pid = models.IntegerField(default=0, verbose_name=_("pid"))
    seen_at = models.DateTimeField(db_index=True, verbose_name=_("seen at"))

    class Meta:
        verbose_name = _("worker beat")
        verbose_name_plural = _("worker beats")

    def __str__(self):
        return f"{self.worker_id} on {self.host} (pid {self.pid})"
