"""Cutting, building and withdrawing releases (issue #31). A release is cut by a manager (release_cut: the
row and its build job in one transaction), built once by the job (release_build), and afterwards only ever
withdrawn (release_withdraw); the project's split spec is set with project_split_set."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotate.interop.export import export_options
from annotate.interop.options import ExportParameterError, parse_split
from annotate.models import Project, Release, ReleaseState
from annotate.models.releases import RELEASE_NAME
from annotate.services.schema import schema_dump
from corpus.tokens import TOKENIZER_VERSION
from jobs.models import Job, JobState
from jobs.services import job_submit

SOURCES = ("gold", "majority")
FILTERS = ("collection", "language", "published_from", "published_to", "labels")
LICENSE_MAX = 100


def _checked_split(spec: str) -> str:
    try:
        parse_split(spec)
    except ExportParameterError as error:
        raise ValidationError(_("Split: %(error)s.") % {"error": error}) from None
    return spec.replace(" ", "")


@transaction.atomic
def project_split_set(*, project: Project, spec: str) -> None:
    """The project's split spec (train:0.8,dev:0.1,test:0.1). Changing it moves documents between splits in
    the next release: the diff shows which."""
    project.split_spec = _checked_split(spec)
    Project.objects.filter(pk=project.pk).update(split_spec=project.split_spec)


def release_options(*, project: Project, source: str, filters: dict, threshold: float, license: str) -> dict:
    """The options a release is cut with, each checked: ValidationError naming what is wrong."""
    if source not in SOURCES:
        raise ValidationError(_("Source %(value)r is not one of: %(choices)s.") % {
            "value": source, "choices": ", ".join(SOURCES)})
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise ValidationError(_("Unknown filter %(names)s: the filters are %(filters)s.") % {
            "names": ", ".join(unknown), "filters": ", ".join(FILTERS)})
    filters = {key: str(value).strip() for key, value in filters.items() if value not in (None, "")}
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise ValidationError(_("The near-duplicate threshold is a number between 0.5 and 1.")) from None
    if not 0.5 <= threshold <= 1.0:
        raise ValidationError(_("The near-duplicate threshold is a Jaccard similarity between 0.5 and 1."))
    if len(license) > LICENSE_MAX:
        raise ValidationError(_("The licence is a short identifier like cc-by-4.0 (at most %(limit)s characters).")
                              % {"limit": LICENSE_MAX})
    options = {"source": source, "filters": filters, "split": project.split_spec, "near_duplicate_threshold":
               threshold, "license": license.strip()}
    try:  # the export's own checks: collections of the project, dates, labels
        export_options(project=project, params={"format": "jsonl", "source": source, "split": options["split"],
                                                **filters})
    except ExportParameterError as error:
        raise ValidationError(str(error)) from None
    return options


@transaction.atomic
def release_cut(*, project: Project, by, name: str, notes: str = "", source: str = "gold", filters=None,
                threshold: float = 0.8, license: str = "") -> tuple[Release, object]:
    """A new release, and the job that builds it. Refused (ValidationError) when the name is malformed or
    taken (also by a withdrawn release: names are never reused), or an option is wrong."""
    name = (name or "").strip()
    if not RELEASE_NAME.fullmatch(name):
        raise ValidationError(_("A release's name is 1 to 40 letters, digits, dots, dashes or underscores, "
                                "starting with a letter or digit, like 2026.12."))
    if Release.objects.filter(project=project, name=name).exists():
        raise ValidationError(_("Release %(name)s already exists in this project (also when withdrawn): names are "
                                "never reused, so that a name always means the same files. Choose another.")
                              % {"name": name})
    options = release_options(project=project, source=source, filters=dict(filters or {}), threshold=threshold,
                              license=license or "")
    try:
        with transaction.atomic():
            release = Release.objects.create(
                project=project, name=name, notes=notes.strip(), options=options, created_by=by,
                schema_version=project.schema_version, schema=schema_dump(project),
                tokenizer_version=TOKENIZER_VERSION, guidelines=project.guidelines)
    except IntegrityError:  # the same name cut at the same moment
        raise ValidationError(_("Release %(name)s already exists in this project.") % {"name": name}) from None
    job = job_submit(kind="releases.build", label=_("Build release %(project)s %(name)s") % {
        "project": project.slug, "name": name}, owner=by,
                     params={"release": release.pk}, project_id=project.pk)
    Release.objects.filter(pk=release.pk).update(job_id=job.pk)
    release.job_id = job.pk
    return release, job


def release_finish(*, release: Release, **built) -> None:
    """The built release's figures and files, saved once (the row becomes immutable)."""
    for key, value in built.items():
        setattr(release, key, value)
    release.state, release.finished_at = ReleaseState.READY, timezone.now()
    release.save()


def releases_settle(project) -> None:
    """Releases still marked as building whose job ended without them (cancelled before it started, or its
    worker died and the sweep failed it) are marked failed with the job's end, so none shows building for ever."""
    building = list(Release.objects.filter(project=project, state=ReleaseState.BUILDING, job_id__isnull=False)
                    .values_list("pk", "job_id"))
    if not building:
        return
    ended = dict(Job.objects.filter(pk__in=[job for _pk, job in building],
                                    state__in=[JobState.CANCELLED, JobState.FAILED]).values_list("pk", "state"))
    gone = {job for _pk, job in building} - set(Job.objects.filter(pk__in=[job for _pk, job in building])
                                                  .values_list("pk", flat=True))
    for pk, job in building:
        if job in ended or job in gone:
            reason = ("Its job was cancelled before the build ended." if ended.get(job) == JobState.CANCELLED
                      else "Its job failed or was deleted before the build ended.")
            Release.objects.filter(pk=pk, state=ReleaseState.BUILDING).update(state=ReleaseState.FAILED, error=reason)


def release_fail(*, release: Release, error: str) -> None:
    Release.objects.filter(pk=release.pk, state=ReleaseState.BUILDING).update(state=ReleaseState.FAILED,
                                                                              error=error[:2000])


@transaction.atomic
def release_withdraw(*, release: Release, by, reason: str = "", undo: bool = False) -> None:
    """Hide a release from the list and from downloads by default; its files and record stay. `undo` lists it
    again (a withdrawal by mistake)."""
    if release.state != ReleaseState.READY:
        raise ValidationError(_("Only a built release can be withdrawn; a failed one is not offered anyway."))
    release.withdrawn_at = None if undo else timezone.now()
    release.withdrawn_by = None if undo else by
    release.withdrawn_reason = "" if undo else reason.strip()[:2000]
    release.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
