"""What an annotator marks in a task: spans (entities and boilerplate), events with a trigger and arguments.

Offsets are code points, end-exclusive, into the document's stored text. Labels and roles are PROTECTed:
a schema change can retire them but never orphan an annotation. The annotation page ([3/6]) writes these."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Span(models.Model):
    # No index of its own: the (task, …) indexes below start with it and serve every lookup by task.
    task = models.ForeignKey(
        "annotate.Task",
        on_delete=models.CASCADE,
        related_name="spans",
        db_index=False,
        verbose_name=_("task"),
    )
    # The id the page generated: a retried request finds the span instead of making a second one.
    client_id = models.UUIDField(default=uuid.uuid4, verbose_name=_("client id"))
    label = models.ForeignKey(
        "annotate.Label", on_delete=models.PROTECT, related_name="spans", verbose_name=_("label")
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # Where an accepted suggestion came from ("model:ner:3", "gazetteer", "repetition"); "" for the annotator's own.
    origin = models.CharField(max_length=160, blank=True, default="", db_default="", verbose_name=_("origin"))

    class Meta:
        verbose_name = _("span")
        verbose_name_plural = _("spans")
        ordering = ["task", "start", "-end", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="span_not_empty"),
            models.UniqueConstraint(fields=["task", "client_id"], name="span_client_unique"),
        ]
        indexes = [
            models.Index(fields=["task", "start"], name="span_task_start"),
            # Accepted suggestions, few among many: the dashboard's counts read only these.
            models.Index(fields=["task"], condition=~models.Q(origin=""), name="span_suggested"),
        ]

    def __str__(self):
        return f"{self.label_id} [{self.start}, {self.end})"


class Event(models.Model):
    # No index of its own: the (task, …) indexes below start with it and serve every lookup by task.
    task = models.ForeignKey(
        "annotate.Task",
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
        verbose_name=_("task"),
    )
    client_id = models.UUIDField(default=uuid.uuid4, verbose_name=_("client id"))
    event_type = models.ForeignKey(
        "annotate.Label", on_delete=models.PROTECT, related_name="events", verbose_name=_("event type")
    )
    start = models.PositiveIntegerField(help_text=_("Trigger start"), verbose_name=_("start"))
    end = models.PositiveIntegerField(help_text=_("Trigger end"), verbose_name=_("end"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    origin = models.CharField(
        max_length=160, blank=True, default="", db_default="", verbose_name=_("origin")
    )  # as Span.origin

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["task", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="event_trigger_not_empty"
            ),
            models.UniqueConstraint(fields=["task", "client_id"], name="event_client_unique"),
        ]
        indexes = [
            models.Index(fields=["task", "start"], name="event_task_start"),
            models.Index(fields=["task"], condition=~models.Q(origin=""), name="event_suggested"),
        ]

    def __str__(self):
        return f"{self.event_type_id} [{self.start}, {self.end})"


class EventArgument(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="arguments", verbose_name=_("event")
    )
    role = models.ForeignKey(
        "annotate.EventRole", on_delete=models.PROTECT, related_name="arguments", verbose_name=_("role")
    )
    span = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="arguments", verbose_name=_("span"))

    class Meta:
        verbose_name = _("event argument")
        verbose_name_plural = _("event arguments")
        constraints = [
            models.UniqueConstraint(fields=["event", "role", "span"], name="argument_unique"),
        ]

    def __str__(self):
        return f"{self.event_id}.{self.role_id} = {self.span_id}"


class AnnotationChange(models.Model):
    """The append-only history of a task's annotation set: who changed what, when.

    `ops` are the primitive changes applied (each with the data needed to invert it), so that undo and redo
    replay them backwards or forwards; an undo or redo is itself a new entry that names the one it reverts."""

    # No index of its own: the (task, …) indexes below start with it and serve every lookup by task.
    task = models.ForeignKey(
        "annotate.Task",
        on_delete=models.CASCADE,
        related_name="changes",
        db_index=False,
        verbose_name=_("task"),
    )
    seq = models.PositiveIntegerField(
        help_text=_("The task's version after this change"), verbose_name=_("seq")
    )
    op_id = models.UUIDField(
        help_text=_("Generated by the page; a retried request is recognised by it"), verbose_name=_("op id")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))
    kind = models.CharField(max_length=8, default="do", verbose_name=_("kind"))  # do, undo, redo
    action = models.CharField(max_length=40, verbose_name=_("action"))
    ops = models.JSONField(default=list, verbose_name=_("ops"))
    ref_seq = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("For undo/redo: the change reverted"), verbose_name=_("ref seq")
    )

    class Meta:
        verbose_name = _("annotation change")
        verbose_name_plural = _("annotation changes")
        ordering = ["task", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["task", "seq"], name="change_seq_unique"),
            models.UniqueConstraint(fields=["task", "op_id"], name="change_op_unique"),
        ]

    def __str__(self):
        return f"{self.task_id}#{self.seq} {self.kind} {self.action}"
