"""The Releases pages (issue #31): the list with the cut form and the diff form, one release (its card,
files and near-duplicate groups), the download, the withdrawal, and the diff between two releases.
Managers cut and withdraw; curators and managers read. The work is in annotate.releases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annotate.models import Release, ReleaseState
from annotate.permissions import project_for
from annotate.releases.diff import release_diff
from annotate.releases.services import (
    FILTERS,
    project_split_set,
    release_cut,
    release_withdraw,
    releases_settle,
)
from annotate.releases.views_data import card_parts, download_response, release_get
from annotate.views.markdown import render_markdown
from corpus.models import Document


def suggested_name(project) -> str:
    base = f"{timezone.now():%Y.%m}"
    taken = set(Release.objects.filter(project=project, name__startswith=base).values_list("name", flat=True))
    if base not in taken:
        return base
    return next(f"{base}.{n}" for n in range(2, len(taken) + 3) if f"{base}.{n}" not in taken)


@login_required
def releases_page(request, slug):
    project, access = project_for(request.user, slug, "curate")
    if request.method == "POST":
        project, access = project_for(request.user, slug, "manage")
        return _cut(request, project)
    releases_settle(project)
    show_withdrawn = request.GET.get("withdrawn") == "1"
    releases = list(Release.objects.filter(project=project).select_related("created_by", "project"))
    listed = [r for r in releases if show_withdrawn or not r.withdrawn]
    ready = [r for r in releases if r.state == ReleaseState.READY]
    return render(request, "annotate/releases.html", {
        "project": project, "access": access, "releases": listed, "ready": ready,
        "withdrawn_count": sum(r.withdrawn for r in releases), "show_withdrawn": show_withdrawn,
        "suggested": suggested_name(project), "collections": project.collections.all(),
        "form": request.session.pop("release_form", {}),
    })


def _cut(request, project):
    form = {key: request.POST.get(key, "") for key in ("name", "notes", "source", "license", "threshold", "split",
                                                         *FILTERS)}
    try:
        if form["split"].strip() and form["split"].replace(" ", "") != project.split_spec:
            project_split_set(project=project, spec=form["split"])
        _release, job = release_cut(project=project, by=request.user, name=form["name"], notes=form["notes"],
                                    source=form["source"] or "gold", filters={k: form[k] for k in FILTERS},
                                    threshold=form["threshold"] or 0.8, license=form["license"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        request.session["release_form"] = form  # the page shows the form as it was sent
        return redirect("annotate:releases", slug=project.slug)
    messages.success(request, _("Release %(name)s is being built; this page shows its progress.") % {
        "name": form["name"].strip()})
    return redirect(job)


@login_required
def release_page(request, slug, name):
    project, access = project_for(request.user, slug, "curate")
    releases_settle(project)
    release = release_get(project, name)
    header, body = card_parts(release)
    # inside this page the card's title is the page's own, and its sections sit under "Data card"
    body = "\n".join("#" + line if line.startswith("##") else line for line in body.splitlines()
                     if not line.startswith("# "))
    examples = (release.report.get("near_duplicates") or {}).get("examples", [])
    ids = {pk for example in examples for pk in example["documents"]}
    titles = dict(Document.objects.filter(pk__in=ids).values_list("pk", "title"))
    groups = [{**example, "titles": [(pk, titles.get(pk) or f"document {pk}") for pk in example["documents"]]}
              for example in examples]
    return render(request, "annotate/release.html", {
        "project": project, "access": access, "release": release, "card_header": header,
        "card_body": render_markdown(body), "groups": groups,
    })


@login_required
def release_download(request, slug, name):
    project = project_for(request.user, slug, "curate")[0]
    return download_response(release_get(project, name))


@login_required
@require_POST
def release_withdraw_view(request, slug, name):
    project = project_for(request.user, slug, "manage")[0]
    release = release_get(project, name)
    undo = request.POST.get("undo") == "1"
    try:
        release_withdraw(release=release, by=request.user, reason=request.POST.get("reason", ""), undo=undo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        said = _("Release %(name)s is listed again.") if undo else \
            _("Release %(name)s was withdrawn: it is hidden from the list, and kept.")
        messages.success(request, said % {"name": name})
    return redirect("annotate:release", slug=slug, name=name)


@login_required
def release_diff_page(request, slug):
    """?from=<a>&to=<b>; htmx swaps in the result part only."""
    project, access = project_for(request.user, slug, "curate")
    ready = list(Release.objects.ready().filter(project=project))
    names = [r.name for r in ready]
    chosen = {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}
    diff, problem = None, None
    if chosen["from"] and chosen["to"]:
        by_name = {r.name: r for r in ready}
        missing = [n for n in chosen.values() if n not in by_name]
        if missing:
            problem = _("No built release %(name)r in this project.") % {"name": missing[0]}
        else:
            diff = release_diff(by_name[chosen["from"]], by_name[chosen["to"]])
    template = "annotate/release_diff.html#diff" if request.htmx else "annotate/release_diff.html"
    return render(request, template, {"project": project, "access": access, "names": names, "chosen": chosen,
                                      "diff": diff, "problem": problem})
