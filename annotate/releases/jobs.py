"""releases.build: a cut release → its zip in storage, built once (bundle.py), then the row is final.
Cancellable between documents; a failed or cancelled build leaves no file and a release marked failed
(whose name stays taken)."""

import json

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annotate.models import Release, ReleaseState
from corpus.models import Document
from jobs.registry import JobCancelled, JobError, job_kind

from .bundle import (
    bundle_save,
    counts_of,
    near_duplicates,
    ranges_runner,
    records_write,
    release_json,
    work_folder,
    zip_write,
)
from .card import card_figures, card_text
from .services import release_fail, release_finish


def _release(job) -> Release:
    release = Release.objects.select_related("project", "created_by").filter(pk=job.params.get("release")).first()
    if release is None or release.state != ReleaseState.BUILDING:
        raise JobError(_("The release this job was for was deleted, or is already built."))
    return release


def release_context(job, request) -> dict:
    return {"release": Release.objects.select_related("project").filter(pk=job.params.get("release")).first()}


@job_kind("releases.build", result_template="annotate/_release_job.html#result", unit=gettext_noop("documents (two passes)"),
          cancellable=True, result_context=release_context)
def release_build_job(job, progress) -> dict:
    release = _release(job)
    try:
        return release_build(release, progress)
    except JobCancelled:
        release_fail(release=release, error="Cancelled while it was being built.")
        raise
    except JobError as error:
        release_fail(release=release, error=str(error))
        raise
    except BaseException as error:
        release_fail(release=release, error=_("The build failed: %(error)s") % {"error": error})
        raise


def release_build(release: Release, progress) -> dict:
    project = release.project
    total = Document.objects.filter(collection__in=project.collections.all()).count()
    progress.set_total(total * 2)  # the near-duplicate pass over every document, then the records

    def step(count: int = 1) -> None:
        progress.advance(count)
        if progress.cancelled:
            raise JobCancelled()

    with work_folder() as folder, ranges_runner(project) as (run, bounds, snapshot):
        threshold = release.options.get("near_duplicate_threshold", 0.8)
        groups = near_duplicates(project, threshold, run, bounds, snapshot, step)
        groups_report = groups.report()
        split_counts, members = records_write(project, release.options, groups, run, bounds, snapshot, folder, step)
        counts = counts_of(split_counts)
        if not counts["documents"]:
            raise JobError(_("No document has a set to release with these options (gold: accepted gold sets only). "
                             "Curate some documents, or choose majority."))
        figures = card_figures(project)
        languages = sorted({code for f in counts["splits"].values() for code in f["languages"] if code != "und"})
        readme = card_text(release, counts, groups_report, figures, languages)
        texts = {"README.md": readme.encode(), "release.json": release_json(release, counts, groups_report),
                 "schema.json": json.dumps(release.schema, ensure_ascii=False, indent=2).encode(),
                 "guidelines.md": release.guidelines.encode()}
        when = release.created_at.utctimetuple()[:6]
        out, entries = zip_write(release.filename.removesuffix(".zip"), members, texts, when)
    path = f"releases/{project.slug}/{release.filename}"
    try:
        with out:
            stored, sha256, size = bundle_save(path, out)
    except OSError as error:
        if default_storage.exists(path):
            default_storage.delete(path)
        raise JobError(_("The release could not be written to storage (%(error)s); nothing was kept.") % {
            "error": error}) from None
    release_finish(release=release, counts=counts, files=entries, path=stored, sha256=sha256, bytes=size,
                   report={"near_duplicates": groups_report, "figures": figures, "readme": readme})
    return {"release": release.name, "documents": counts["documents"], "sha256": sha256, "bytes": size,
            "summary": f"Release {release.name}: {counts['documents']:,} documents in "
                       f"{', '.join(f'{n} {f['documents']:,}' for n, f in counts['splits'].items())}; "
                       f"{groups_report['groups']:,} near-duplicate groups."}
