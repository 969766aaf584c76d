"""The annotate app's part in background jobs: which jobs a manager sees (those of the projects they
manage), and this app's kinds of job: annotations.import (an annotation file), tasks.assign (an assignment
of more than ASSIGN_INLINE_MAX documents) and export.file (an export written to a file to download)."""

import contextlib
import datetime as dt
import tempfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annotate.interop.export import (
    ExportParameterError,
    export_counts,
    export_options,
    export_stream,
    get_writer,
)
from annotate.interop.importing.checks import annotation_import_check, format_options_check
from annotate.interop.importing.files import annotation_file_import
from annotate.models import Membership, Project, Role
from annotate.selection import DocumentFilter
from annotate.services import tasks_assign
from annotate.services.assignment import annotators_check
from corpus.text import grouped
from jobs.registry import JobError, job_kind, managed_projects_provider
from jobs.services import job_files, job_submit


@managed_projects_provider
def managed_projects(user):
    return Membership.objects.filter(user=user, role=Role.MANAGER).values("project_id")


def _project(job) -> Project:
    project = Project.objects.filter(pk=job.project_id).first()
    if project is None:
        raise JobError(_("The project was deleted before the job began."))
    return project


def _refused(error) -> JobError:
    return JobError(" ".join(error.messages) if isinstance(error, ValidationError) else str(error))


# --- annotations.import -------------------------------------------------------------------------------------

def annotations_import_enqueue(*, project, owner, upload, options: dict):
    """The queued import of one annotation file (`options`: annotation_file_import's keyword arguments
    other than the project, the file and who imports it; `annotator` as a username)."""
    label = _("Import annotations from %(file)s into %(project)s") % {"file": upload.name, "project": project.slug}
    return job_submit(kind="annotations.import", label=label, owner=owner, params=options, project_id=project.pk,
                      files=[upload])


def annotations_import_request(*, project, by, upload, options: dict):
    """The import of one annotation file asked for by `by` (the API, the import page): what can be refused at
    once is refused here (ValidationError for a bad request, PermissionDenied), not minutes later in the job,
    which asks the same checks again when it runs. `options` as the API takes them (format, annotator,
    as_predictions, collection, attach_collection, offsets and the rest). The queued job."""
    options = dict(options)
    fmt = options.pop("format", "jsonl")
    reader = format_options_check(fmt=fmt, offsets=options.get("offsets") or "",
                                  annotator_map=options.get("annotator_map"))
    annotation_import_check(project=project, by=by, annotator=options.get("annotator") or "",
                            as_predictions=options.get("as_predictions") or "",
                            collection=options.get("collection") or "",
                            attach_collection=options.get("attach_collection", False),
                            needs_annotator=options.get("annotator_map") is None and not (
                                reader.authored and not options.get("annotator")))
    options = {"fmt": fmt, "offsets": options.pop("offsets", "") or "", "annotator": options.pop("annotator", "") or "",
               "as_predictions": options.pop("as_predictions", "") or "",
               "collection": options.pop("collection", "") or "", **options}
    return annotations_import_enqueue(project=project, owner=by, upload=upload, options=options)


def annotation_report_dict(report) -> dict:
    return {"imported": report.imported, "skipped": report.skipped, "documents_created": report.documents_created,
            "labels_created": report.labels_created, "problems": report.problems, "notes": report.notes,
            "committed": report.committed}


@job_kind("annotations.import", result_template="annotate/_job_results.html#annotations", unit=gettext_noop("sets"))
def annotations_import_job(job, progress) -> dict:
    project, options = _project(job), dict(job.params)
    options.pop("files", None)
    annotator = options.pop("annotator", "")
    [(name, _size, opener)] = job_files(job)
    with opener() as stream:
        try:
            report = annotation_file_import(project=project, stream=stream, name=name, user=annotator, by=job.owner,
                                            progress=progress.advance, **options)
        except (ValidationError, PermissionDenied) as error:
            raise _refused(error) from None
    return annotation_report_dict(report)


# --- tasks.assign -------------------------------------------------------------------------------------------

def _selection_params(selection: DocumentFilter) -> dict:
    return {"collections": list(selection.collections), "language": selection.language, "search": selection.search,
            "date_from": selection.date_from.isoformat() if selection.date_from else None,
            "date_to": selection.date_to.isoformat() if selection.date_to else None}


def _selection(params: dict) -> DocumentFilter:
    return DocumentFilter(collections=params["collections"], language=params["language"], search=params["search"],
                          date_from=dt.date.fromisoformat(params["date_from"]) if params["date_from"] else None,
                          date_to=dt.date.fromisoformat(params["date_to"]) if params["date_to"] else None)


def tasks_assign_enqueue_if_large(*, project, owner, annotators: list, selection: DocumentFilter, overlap):
    """The one rule for every way to assign (the page, the API, the admin): a selection of more than
    ASSIGN_INLINE_MAX documents is assigned by a background job, which this returns (the annotators checked
    first, so that a bad one is refused at once); None for a smaller one, which the caller runs itself."""
    selected = selection.documents(project, owner).count()
    if selected <= settings.ASSIGN_INLINE_MAX:
        return None
    annotators_check(project, annotators)
    label = _("Assign %(count)s documents of %(project)s (%(selection)s)") % {
        "count": grouped(selected), "project": project.slug, "selection": selection.describe()}
    params = {"annotators": [u.pk for u in annotators], "overlap": overlap, **_selection_params(selection)}
    return job_submit(kind="tasks.assign", label=label, owner=owner, params=params, project_id=project.pk)


def assign_report_dict(report, selection: DocumentFilter) -> dict:
    return {"documents": report.documents, "created": report.created, "already_complete": report.already_complete,
            "short": report.short, "per_annotator": dict(report.per_annotator),
            "summary": report.summary(), "selection": selection.describe()}


@job_kind("tasks.assign", result_template="annotate/_job_results.html#assignment", unit=gettext_noop("documents"))
def tasks_assign_job(job, progress) -> dict:
    project, params = _project(job), job.params
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=params["annotators"])}
    if len(users) != len(params["annotators"]):
        raise JobError(_("An annotator's account was deleted before the assignment began."))
    selection = _selection(params)
    try:
        progress.set_total(selection.documents(project, job.owner).count())
        report = tasks_assign(project=project, annotators=[users[pk] for pk in params["annotators"]],
                              selection=selection, overlap=params["overlap"], by=job.owner,
                              progress=progress.advance)
    except (ValidationError, PermissionDenied) as error:
        raise _refused(error) from None
    return assign_report_dict(report, selection)


# --- export.file --------------------------------------------------------------------------------------------

def export_file_enqueue(*, project, owner, params: dict, options):
    label = _("Export %(project)s as %(format)s (%(source)s)") % {
        "project": project.slug, "format": options.format, "source": options.source}
    return job_submit(kind="export.file", label=label, owner=owner, params=params, project_id=project.pk)


def _partial_delete(folder: str) -> None:
    """Whatever a failed write left in `folder` of the storage."""
    try:
        _dirs, names = default_storage.listdir(folder)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(folder + name)


@job_kind("export.file", result_template="annotate/_job_results.html#export", unit=gettext_noop("records"))
def export_file_job(job, progress) -> dict:
    """The export written to a file in storage (exports/<job>/), which the job's page and the API offer
    for download to whoever may see the job."""
    project = _project(job)
    try:
        options = export_options(project=project, params=job.params, user=job.owner)
    except ExportParameterError as error:
        raise JobError(str(error)) from None
    progress.set_total(export_counts(project=project, options=options)["records"])
    writer = get_writer(options.format, options)
    report = writer.report
    filename = f"{project.slug}-{options.format}.{writer.extension}"
    try:
        with tempfile.TemporaryFile() as out:
            encode = (lambda piece: piece) if writer.binary else (lambda piece: piece.encode())
            for piece in export_stream(project=project, writer=writer, progress=progress.advance):
                out.write(encode(piece))
            size = out.tell()
            out.seek(0)
            path = default_storage.save(f"exports/{job.pk}/{filename}", File(out, name=filename))
    except OSError as error:  # a full disk, most often: no part of a file is ever offered
        _partial_delete(f"exports/{job.pk}/")
        raise JobError(_("The export file could not be written (%(error)s); nothing was kept. Free some space on "
                         "the server, then start the export again.") % {"error": error.strerror or error}) from None
    summary = report.summary()
    return {"file": path, "filename": filename, "size": size, **summary,
            "summary": f"{summary['records']:,} records, {summary['documents']:,} documents, "
                       f"{summary['entities']:,} entities; {summary['misaligned']:,} spans expanded or dropped "
                       "by token alignment."}
