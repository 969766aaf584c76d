"""A release as the page and the API show it, and the lookups both use (a release by name, withdrawn ones
only when asked)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import reverse

from annotate.models import Release, ReleaseState

CARD_HEADER_END = "\n---\n"


def release_get(project, name: str, *, withdrawn: bool = True) -> Release:
    release = Release.objects.select_related("project", "created_by", "withdrawn_by").filter(
        project=project, name=name).first()
    if release is None or (release.withdrawn and not withdrawn):
        raise Http404(f"No release {name!r} in this project.")
    return release


def card_parts(release) -> tuple[str, str]:
    """The card's YAML header and its Markdown body (the page shows the one as code, renders the other)."""
    text = release.report.get("readme", "")
    if text.startswith("---\n") and CARD_HEADER_END in text[3:]:
        end = text.index(CARD_HEADER_END, 3) + len(CARD_HEADER_END)
        return text[:end], text[end:]
    return "", text


def release_dict(release, request=None) -> dict:
    slug = release.project.slug
    api = reverse("annotate-api:release", kwargs={"slug": slug, "name": release.name})
    absolute = request.build_absolute_uri if request is not None else (lambda url: url)
    ready = release.state == ReleaseState.READY
    return {
        "name": release.name, "notes": release.notes, "state": release.state, "error": release.error or None,
        "created_at": release.created_at.isoformat(), "created_by": release.created_by.get_username()
        if release.created_by else None,
        "finished_at": release.finished_at.isoformat() if release.finished_at else None,
        "withdrawn": release.withdrawn, "withdrawn_at": release.withdrawn_at.isoformat() if release.withdrawn_at
        else None, "withdrawn_reason": release.withdrawn_reason or None,
        "options": release.options, "schema_version": release.schema_version,
        "tokenizer_version": release.tokenizer_version, "counts": release.counts,
        "near_duplicates": release.report.get("near_duplicates"), "figures": release.report.get("figures"),
        "files": release.files, "sha256": release.sha256 or None, "bytes": release.bytes,
        "url": absolute(api),
        "card": absolute(api + "/card") if ready else None,
        "download": absolute(api + "/download") if ready else None,
        "job": absolute(reverse("jobs:job", args=[release.job_id])) if release.job_id else None,
    }


def download_response(release) -> FileResponse:
    if release.state != ReleaseState.READY or not release.path or not default_storage.exists(release.path):
        raise Http404(f"Release {release.name} has no files ({release.get_state_display().lower()}).")
    response = FileResponse(default_storage.open(release.path, "rb"), as_attachment=True,
                            filename=release.filename, content_type="application/zip")
    response["Content-Length"] = str(release.bytes)
    response["X-Checksum-Sha256"] = release.sha256
    return response
