"""A project turns collections into work for a team; members hold roles in it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ANNOTATOR = "annotator", _("Annotator")
    CURATOR = "curator", _("Curator")
    MANAGER = "manager", _("Manager")


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        """The projects a user may open: all for superusers, else those they are a member of."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


LAYER_KEY = {"entity": "entities", "event": "events", "boilerplate": "boilerplate"}  # layer → schema key


class Project(models.Model):
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    guidelines = models.TextField(
        blank=True, help_text=_("Markdown; rendered sanitised."), verbose_name=_("guidelines")
    )
    collections = models.ManyToManyField(
        "corpus.Collection", related_name="projects", blank=True, verbose_name=_("collections")
    )
    overlap = models.PositiveSmallIntegerField(
        default=2, help_text=_("Annotators per document"), verbose_name=_("overlap")
    )
    curation_agreement = models.CharField(
        max_length=10,
        default="unanimous",
        choices=[
            ("unanimous", _("Unanimous: what every annotator marked")),
            ("majority", _("Majority: what more than half of the annotators marked")),
        ],
        help_text=_("What the curation page accepts in advance"),
        verbose_name=_("curation agreement"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    schema_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Bumped on every label change"),
        verbose_name=_("schema version"),
    )
    # Suggestions in the annotation page (annotate/suggestions), each switched by a manager.
    suggest_predictions = models.BooleanField(
        default=False,
        help_text=_("Show imported model predictions as suggestions (switched on by a predictions import)"),
        verbose_name=_("suggest predictions"),
    )
    suggest_gazetteer = models.BooleanField(
        default=False,
        help_text=_("Suggest strings already annotated in the project where they appear again"),
        verbose_name=_("suggest gazetteer"),
    )
    gazetteer_inside_words = models.BooleanField(
        default=False,
        help_text=_("Gazetteer: also at the start of a longer word (“Rusya” in “Rusyalı”)"),
        verbose_name=_("gazetteer inside words"),
    )
    suggest_repetition = models.BooleanField(
        default=False,
        help_text=_("Suggest boilerplate for lines that repeat, with the label they got before"),
        verbose_name=_("suggest repetition"),
    )
    # Models trained here (annotate/training): the version whose predictions are suggested ("" = every
    # model's), whether a newer run replaces it (pinned: no), and a retraining after every N new gold sets.
    model_in_use = models.CharField(
        max_length=160,
        blank=True,
        default="",
        help_text=_("MODEL:VERSION suggested; empty: every model's predictions"),
        verbose_name=_("model in use"),
    )
    model_pinned = models.BooleanField(
        default=False,
        help_text=_("Keep the model in use when a new run finishes"),
        verbose_name=_("model pinned"),
    )
    retrain_every = models.PositiveIntegerField(
        default=0,
        help_text=_("Train again after this many newly accepted gold sets (0: only when asked)"),
        verbose_name=_("retrain every"),
    )
    queue_by_uncertainty = models.BooleanField(
        default=False,
        help_text=_("Each annotator's queue: the documents the model in use is least sure of first"),
        verbose_name=_("queue by uncertainty"),
    )
    split_spec = models.CharField(
        max_length=200,
        default="train:0.8,dev:0.1,test:0.1",
        help_text=_(
            "Dataset releases: splits and shares; a document's split follows from its text hash (and its "
            "near-duplicates') and this, so it is the same in every release"
        ),
        verbose_name=_("split spec"),
    )
    # The schema's rules for marks (its "rules" key): {"multi_label": ["entities", ...], "entities_cross_lines":
    # bool}. By default one label per layer and characters, and an entity stays on one line.
    layer_rules = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The label schema's rules for marks"),
        verbose_name=_("layer rules"),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(overlap__gte=1), name="project_overlap_positive")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("annotate:project", kwargs={"slug": self.slug})

    def multi_label(self, layer: str) -> bool:
        """Several labels of `layer` (entity, event, boilerplate) may stand on the same characters."""
        return LAYER_KEY.get(layer, layer) in (self.layer_rules or {}).get("multi_label", [])

    @property
    def entities_cross_lines(self) -> bool:
        return bool((self.layer_rules or {}).get("entities_cross_lines"))


class Membership(models.Model):
    """One role of one user in one project; a user may hold several roles (a manager who also annotates)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(max_length=16, choices=Role.choices, verbose_name=_("role"))
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["project", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["user", "project"], name="membership_user_project")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.project}"
