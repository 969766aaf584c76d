"""Imports as background jobs: the page and the API hand the uploaded files to a worker (documents.import)
and answer at once with the job; the worker runs documents_import, the same function as the command."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from jobs.registry import JobError, job_kind
from jobs.services import job_files, job_submit

from .formats.sources import InputFile, read_articles
from .models import Collection
from .services import collection_create, documents_import

KIND = "documents.import"


def documents_import_enqueue(*, owner, files, collection: Collection | None = None, new_collection: str = "",
                             fmt: str, language: str | None, encoding: str | None, skip_invalid: bool):
    """The queued import job of `files` into `collection`, or into a new collection `new_collection`, which
    the job creates (and does not keep if nothing was imported)."""
    slug = collection.slug if collection is not None else new_collection
    count = len(files)
    label = ngettext("Import %(count)s file into %(slug)s", "Import %(count)s files into %(slug)s", count) % {
        "count": count, "slug": slug}
    params = {"collection": slug, "create": collection is None, "format": fmt, "language": language,
              "encoding": encoding, "skip_invalid": skip_invalid}
    return job_submit(kind=KIND, label=label, owner=owner, params=params, files=files)


def _new_collection_fields(job, request) -> dict:
    """When the job made a new collection and its status is shown on the import page, the page's list of
    collections gains it, chosen, without a reload (htmx swaps these fields out of band, by their ids)."""
    from .forms import ImportForm

    result = job.result or {}
    came_from = request.headers.get("HX-Current-URL", "")
    if not (request.htmx and result.get("created") and reverse("corpus:import") in came_from):
        return {}
    fresh = ImportForm(initial={"collection": result["collection_id"]})
    for name in ("collection", "new_collection"):
        fresh.fields[name].widget.attrs["hx-swap-oob"] = "true"
    return {"fresh": fresh}


@job_kind(KIND, result_template="corpus/import.html#report", unit=gettext_noop("articles"), result_context=_new_collection_fields)
def documents_import_job(job, progress) -> dict:
    params = job.params
    inputs = [InputFile(name=name, size=size, opener=opener) for name, size, opener in job_files(job)]
    # A first reading only counts the articles (no tokens, no language), so that the page can say
    # "1,500 of 20,000" rather than only "1,500".
    progress.set_total(sum(1 for _ in read_articles(inputs, fmt=params["format"], encoding=params["encoding"],
                                                    max_file_bytes=settings.CORPUS_MAX_FILE_BYTES)))
    with transaction.atomic():
        collection = Collection.objects.filter(slug=params["collection"]).first()
        created = collection is None
        if created and not params["create"]:
            raise JobError(_("The collection %(slug)s was deleted before the import began.") % {
                "slug": params["collection"]})
        if created:
            collection = collection_create(slug=params["collection"])
        report = documents_import(
            collection=collection, inputs=inputs, fmt=params["format"], language=params["language"],
            encoding=params["encoding"], skip_invalid=params["skip_invalid"],
            workers=settings.CORPUS_IMPORT_WORKERS, progress=progress.advance,
            max_file_bytes=settings.CORPUS_MAX_FILE_BYTES,
        )
        if created and not report.committed:
            transaction.set_rollback(True)  # a new collection with nothing in it is not kept either
    return {**report.as_dict(), "summary": report.summary(), "collection": collection.slug,
            "collection_name": collection.name, "created": created and report.committed,
            "collection_id": collection.pk if report.committed else None,
            "collection_url": reverse("corpus:collection", args=[collection.slug]) if report.committed else ""}
