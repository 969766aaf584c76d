"""A task: one document for one annotator in one project, and the trail of its transitions."""

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from annotate.models.training import DocumentUncertainty

MODEL_PREFIX = "model:"  # the users that stand for a model's predictions (model:NAME:VERSION)


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    SKIPPED = "skipped", _("Skipped")


OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class TaskKind(models.TextChoices):
    ANNOTATION = "annotation", _("Annotation")
    # A document's gold set: the curator's result, edited with the same ops, history and undo as an
    # annotator's set. In progress while curated, submitted when the curator accepts it as gold.
    GOLD = "gold", _("Gold")


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def by_people(self):
        """Without the sets of models (users model:NAME:VERSION, whose predictions are suggestions): they are
        nobody's work to curate, to agree with or to count in an assignment's overlap."""
        users = self.model._meta.get_field("annotator").related_model
        return self.exclude(annotator__in=users.objects.filter(username__startswith=MODEL_PREFIX))

    def queue_for(self, user, project=None):
        """Open tasks of a user, oldest assignment first (backed by the partial index task_queue)."""
        tasks = self.open().filter(annotator=user)
        if project is not None:
            tasks = tasks.filter(project=project)
            if project.queue_by_uncertainty:  # active learning: the model's least confident documents first
                score = DocumentUncertainty.objects.filter(project=project, document_id=OuterRef("document_id"))
                # the model in use's figures; with every model's suggestions, the newest figures
                score = score.filter(model=project.model_in_use) if project.model_in_use else score.order_by("-id")
                return tasks.annotate(uncertainty=Subquery(score.values("score")[:1])).order_by(
                    F("uncertainty").desc(nulls_last=True), "assigned_at", "id")
        return tasks.order_by("assigned_at", "id")

    def next_for(self, user, project=None):
        """The task "Start" / "Continue" opens: a task sent back by a curator (the earliest sent back),
        else the oldest assigned and not yet submitted or skipped. Two short queries rather than one sort
        of the whole queue, so that the partial index keeps serving the usual case."""
        queue = self.queue_for(user, project)
        reopened = queue.filter(reopened_at__isnull=False).order_by("reopened_at", "id").first()
        return reopened or queue.first()

    def ready_documents(self, project):
        """The project's documents ready for curation: no task of theirs is open and one at least was
        submitted (every annotator assigned has submitted or skipped). Rows of document_id. The queue lists
        them all, with their gold set's state; ready_counts counts only those still to curate."""
        return (self.filter(project=project).by_people().values("document_id")
                .annotate(open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
                          submitted=Count("id", filter=Q(status=TaskStatus.SUBMITTED)))
                .filter(open=0, submitted__gte=1))

    def ready_counts(self, project_ids) -> dict[int, int]:
        """How many documents are ready for curation in each of these projects and not yet accepted as gold
        (what is left to do): one query."""
        ids = list(project_ids)
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        table = connection.ops.quote_name(self.model._meta.db_table)
        users = connection.ops.quote_name(self.model._meta.get_field("annotator").related_model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT project_id, COUNT(*) FROM (SELECT project_id, document_id FROM {table} "
                f"WHERE project_id IN ({marks}) AND kind = 'annotation' AND annotator_id NOT IN "
                f"(SELECT id FROM {users} WHERE username LIKE %s) GROUP BY project_id, document_id "
                "HAVING SUM(CASE WHEN status IN (%s, %s) THEN 1 ELSE 0 END) = 0 "
                "AND SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) > 0) ready "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} g WHERE g.project_id = ready.project_id "
                "AND g.document_id = ready.document_id AND g.kind = 'gold' AND g.status = %s) GROUP BY project_id",
                [*ids, f"{MODEL_PREFIX}%", *OPEN_STATUSES, TaskStatus.SUBMITTED, TaskStatus.SUBMITTED])
            return dict(cursor.fetchall())

    def sent_back_to(self, user):
        """The user's open tasks a curator sent back, earliest first, with what the home page shows."""
        return (self.open().filter(annotator=user, reopened_at__isnull=False)
                .select_related("project", "document", "reopened_by").order_by("reopened_at", "id"))

    def position_of(self, task) -> tuple[int, int]:
        """(i, n): the task is the i-th of the n annotation tasks (gold sets not counted) its annotator has
        in its project, in the order they were assigned. One fixed statement (the annotation page's: compiling
        it through the ORM cost three times the database's answer), over the task_position index."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        at = connection.ops.adapt_datetimefield_value(task.assigned_at)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN assigned_at < %s OR (assigned_at = %s AND id < %s) "
                f"THEN 1 ELSE 0 END), 0) FROM {table} "
                "WHERE project_id = %s AND annotator_id = %s AND kind = %s",
                [at, at, task.pk, task.project_id, task.annotator_id, TaskKind.ANNOTATION.value])
            n, before = cursor.fetchone()
        return before + 1, n


class AnnotationTaskManager(models.Manager.from_queryset(TaskQuerySet)):
    """Task.objects: annotators' tasks only. A gold set is a task too (its spans, events and history are
    the same rows), but nothing that counts, lists, assigns or scores annotators' work may see it: it is
    reached through Task.gold_sets (or Task.all_kinds) on purpose only."""

    def get_queryset(self):
        return super().get_queryset().filter(kind=TaskKind.ANNOTATION)


class GoldSetManager(models.Manager.from_queryset(TaskQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=TaskKind.GOLD)


class Task(models.Model):
    project = models.ForeignKey(
        "annotate.Project", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("project")
    )
    document = models.ForeignKey(
        "corpus.Document", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("document")
    )
    # The document's collection, copied so that progress per collection needs no join over a million rows.
    collection = models.ForeignKey(
        "corpus.Collection", on_delete=models.PROTECT, related_name="+", verbose_name=_("collection")
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("annotator")
    )
    status = models.CharField(
        max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED, verbose_name=_("status")
    )
    assigned_at = models.DateTimeField(verbose_name=_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    opened_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Start of the current sitting"), verbose_name=_("opened at")
    )
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    skip_reason = models.CharField(max_length=500, blank=True, verbose_name=_("skip reason"))
    seconds_spent = models.PositiveIntegerField(default=0, verbose_name=_("seconds spent"))
    version = models.PositiveIntegerField(
        default=0, help_text=_("Bumped by every annotation change"), verbose_name=_("version")
    )
    flag = models.CharField(
        max_length=20,
        blank=True,
        choices=[("", "—"), ("bad_document", _("Bad document")), ("unsure", _("Unsure"))],
        verbose_name=_("flag"),
    )
    comment = models.TextField(
        blank=True, help_text=_("The annotator's note to the curator"), verbose_name=_("comment")
    )
    # Set when a curator sends the task back, cleared when the annotator submits or skips it again: the
    # task page shows the curator's comment and the home page lists the task first (the history keeps it).
    reopened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reopened at"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    review_comment = models.TextField(
        blank=True,
        help_text=_("The curator's comment when sending the task back"),
        verbose_name=_("review comment"),
    )
    # For a gold set, `annotator` is the curator who last worked on it (each change names its own author).
    kind = models.CharField(
        max_length=10, choices=TaskKind.choices, default=TaskKind.ANNOTATION, verbose_name=_("kind")
    )

    objects = AnnotationTaskManager()  # annotators' tasks only: gold sets are left out (see the manager)
    gold_sets = GoldSetManager()
    all_kinds = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "document", "annotator"],
                name="task_one_per_annotator_and_document",
                condition=models.Q(kind="annotation"),
            ),
            models.UniqueConstraint(
                fields=["project", "document"], name="gold_one_per_document", condition=models.Q(kind="gold")
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
            # "Task i of n" (TaskQuerySet.position_of) counts an annotator's tasks from this index alone.
            models.Index(
                fields=["annotator", "project", "assigned_at", "id"],
                condition=models.Q(kind="annotation"),
                name="task_position",
            ),
        ]

    def __str__(self):
        return f"Task {self.pk}: document {self.document_id} for {self.annotator_id}"

    def get_absolute_url(self):
        # A task read with .only() through Task.objects (lists of tasks) is an annotator's: no extra query.
        if "kind" not in self.get_deferred_fields() and self.kind == TaskKind.GOLD:
            return reverse(
                "annotate:curate", kwargs={"slug": self.project.slug, "document": self.document_id}
            )
        return reverse("annotate:task", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_gold(self) -> bool:
        return self.kind == TaskKind.GOLD


class TaskTransition(models.Model):
    """Who moved a task from which status to which, when, and why. Append-only."""

    # No index of its own: the (task, …) indexes below start with it and serve every lookup by task.
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="transitions", db_index=False, verbose_name=_("task")
    )
    from_status = models.CharField(
        max_length=16, choices=TaskStatus.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=16, choices=TaskStatus.choices, verbose_name=_("to status"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(verbose_name=_("at"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    class Meta:
        verbose_name = _("task transition")
        verbose_name_plural = _("task transitions")
        ordering = ["task", "at", "id"]
        indexes = [models.Index(fields=["task", "at"], name="transition_task_at")]

    def __str__(self):
        return f"{self.task_id}: {self.from_status or '∅'} → {self.to_status}"
