"""What an annotator marks in a task: spans (entities and boilerplate), events with a trigger and arguments.

Offsets are code points, end-exclusive, into the document's stored text. Labels and roles are PROTECTed:
a schema change can retire them but never orphan an annotation. The annotation page ([3/6]) writes these."""

from django.db import models


class Span(models.Model):
    task = models.ForeignKey("annotate.Task", on_delete=models.CASCADE, related_name="spans")
    label = models.ForeignKey("annotate.Label", on_delete=models.PROTECT, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "start", "-end", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="span_not_empty")
        ]
        indexes = [models.Index(fields=["task", "start"], name="span_task_start")]

    def __str__(self):
        return f"{self.label_id} [{self.start}, {self.end})"


class Event(models.Model):
    task = models.ForeignKey("annotate.Task", on_delete=models.CASCADE, related_name="events")
    event_type = models.ForeignKey("annotate.Label", on_delete=models.PROTECT, related_name="events")
    start = models.PositiveIntegerField(help_text="Trigger start")
    end = models.PositiveIntegerField(help_text="Trigger end")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="event_trigger_not_empty"
            )
        ]
        indexes = [models.Index(fields=["task", "start"], name="event_task_start")]

    def __str__(self):
        return f"{self.event_type_id} [{self.start}, {self.end})"


class EventArgument(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="arguments")
    role = models.ForeignKey("annotate.EventRole", on_delete=models.PROTECT, related_name="arguments")
    span = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="arguments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "role", "span"], name="argument_unique"),
        ]

    def __str__(self):
        return f"{self.event_id}.{self.role_id} = {self.span_id}"
