"""Writes of the training loop: training_start (a manager asks for a run: its row and its job), the runs'
ends (training_finish / training_abandon), model_use (pin a version or roll back to one) and
retrain_if_due (the automatic run after every N newly accepted gold sets)."""

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annotate.models import Project, Task, TaskStatus, TrainedModel, TrainingState
from annotate.services.gold import gold_accepted
from jobs.models import Job, JobState
from jobs.services import job_submit

from .data import SOURCES
from .run_settings import TrainSettings

SETTABLE = {"max_epochs": (1, 100), "patience": (1, 20), "max_seconds": (10, 6 * 3600), "batch_words": (1, 100_000),
            "seed": (0, 2**31 - 1)}
RUNNING = gettext_noop("A training run of this project is already under way (%(version)s); wait for it, or cancel "
                       "it on its job page.")


def train_settings(params: dict | None) -> TrainSettings:
    """The run's settings from a request's over settings.TRAINING_DEFAULTS (only the names in SETTABLE, each
    an integer in its range)."""
    settings = TrainSettings()
    for key, value in {**django_settings.TRAINING_DEFAULTS, **(params or {})}.items():
        if key not in SETTABLE:
            raise ValidationError(_("Unknown training setting %(key)r; the settings are: %(settings)s.") % {
                "key": key, "settings": ", ".join(SETTABLE)})
        low, high = SETTABLE[key]
        if type(value) is not int or not low <= value <= high:
            raise ValidationError(_("%(key)s must be a whole number from %(low)s to %(high)s, not %(value)r.") % {
                "key": key, "low": low, "high": high, "value": value})
        setattr(settings, key, value)
    return settings


def runs_settle(project) -> None:
    """Runs still marked as training whose job has ended without them (cancelled before it started, or its
    worker died and the sweep failed it) take the job's end, so that the project is not held by a ghost."""
    for trained in TrainedModel.objects.running().filter(project=project, job_id__isnull=False):
        state = Job.objects.filter(pk=trained.job_id).values_list("state", flat=True).first()
        if state in (JobState.CANCELLED, JobState.FAILED, None):
            training_abandon(trained=trained, state=TrainingState.CANCELLED if state == JobState.CANCELLED
                             else TrainingState.FAILED)


def accepted_gold(project) -> int:
    return Task.gold_sets.filter(project=project, status=TaskStatus.SUBMITTED).count()


@transaction.atomic
def training_start(*, project: Project, by, source: str = "gold", settings: dict | None = None):
    """A new run (haber:<project>:<n+1>) and its queued job; refused with ValidationError while another run of
    the project is under way, or when there is nothing to train on."""
    if source not in SOURCES:
        raise ValidationError(_("source must be one of: %(choices)s.") % {"choices": ", ".join(SOURCES)})
    chosen = train_settings(settings)
    Project.objects.select_for_update().filter(pk=project.pk).first()  # two requests at once: one waits here
    runs_settle(project)
    if running := TrainedModel.objects.running().filter(project=project).first():
        raise ValidationError(_(RUNNING) % {"version": running.version})
    gold = accepted_gold(project)
    if source == "gold" and gold == 0:
        raise ValidationError(_("This project has no accepted gold set yet: curate some documents first, or train "
                                "from submitted sets (source: submitted)."))
    number = (TrainedModel.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            trained = TrainedModel.objects.create(project=project, number=number, settings={
                **chosen.as_dict(), "source": source}, gold_at_start=gold, created_by=by)
    except IntegrityError:  # the constraint: one run per project at a time
        raise ValidationError(_(RUNNING) % {"version": _("another run")}) from None
    job = job_submit(kind="models.train", label=_("Train %(version)s") % {"version": trained.version}, owner=by,
                     params={"model": trained.pk}, project_id=project.pk)
    trained.job_id = job.pk
    trained.save(update_fields=["job_id"])
    return trained, job


def training_abandon(*, trained: TrainedModel, state: str) -> None:
    TrainedModel.objects.filter(pk=trained.pk, state=TrainingState.TRAINING).update(
        state=state, finished_at=timezone.now())


def predictions_enqueue(*, trained: TrainedModel, by):
    return job_submit(kind="models.predict", label=_("Suggest with %(version)s") % {"version": trained.version},
                      owner=by,
                      params={"model": trained.pk}, project_id=trained.project_id)


@transaction.atomic
def model_use(*, project: Project, version: str, pinned: bool) -> None:
    """Suggest `version`'s predictions (a ready run of the project, or "" for every model's) and say whether a
    newer run replaces it when it finishes (pinned: it does not). Rolling back is using an older version."""
    if version and not TrainedModel.objects.ready().filter(project=project).named(version).exists():
        raise ValidationError(_("No finished model %(version)r in this project.") % {"version": version})
    Project.objects.filter(pk=project.pk).update(model_in_use=version, model_pinned=bool(pinned and version),
                                                 suggest_predictions=True)
    project.refresh_from_db(fields=["model_in_use", "model_pinned", "suggest_predictions"])


def retrain_if_due(*, project: Project, by) -> bool:
    """After a gold set is accepted: start a run when the project retrains every N gold sets and N more were
    accepted since the last run began (none under way). True when one was started."""
    if not project.retrain_every:
        return False
    runs_settle(project)
    last = TrainedModel.objects.filter(project=project).order_by("-number").first()
    if last is not None and last.state == TrainingState.TRAINING:
        return False
    if accepted_gold(project) - (last.gold_at_start if last else 0) < project.retrain_every:
        return False
    source = last.settings.get("source", "gold") if last else "gold"
    try:
        training_start(project=project, by=by, source=source)
    except ValidationError:
        return False
    return True


@receiver(gold_accepted)
def _gold_accepted(sender, task, by, **kwargs):
    if task.project.retrain_every:
        retrain_if_due(project=task.project, by=by)
