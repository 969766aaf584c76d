"""The Models page's training part (issue #34): start a run, use or pin a version, retrain every N gold sets,
download a trained pipeline. Permission checks here; the work in annotate.training.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annotate.models import Project, TrainedModel
from annotate.permissions import project_for
from annotate.training.services import model_use, training_start


def download_response(project, version: str) -> FileResponse:
    trained = TrainedModel.objects.ready().filter(project=project).named(version).first()
    if trained is None or not trained.path or not default_storage.exists(trained.path):
        raise Http404(_("No finished model %(version)r in this project.") % {"version": version})
    return FileResponse(default_storage.open(trained.path, "rb"), as_attachment=True,
                        filename=f"{project.slug}-model-{trained.number}.tar.gz", content_type="application/gzip")


@login_required
def model_download(request, slug, version):
    project = project_for(request.user, slug, "curate")[0]
    return download_response(project, version)


@login_required
@require_POST
def model_train(request, slug):
    project = project_for(request.user, slug, "manage")[0]
    try:
        _trained, job = training_start(project=project, by=request.user, source=request.POST.get("source", "gold"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("annotate:models", slug=slug)
    return redirect(job)


@login_required
@require_POST
def model_use_view(request, slug):
    project = project_for(request.user, slug, "manage")[0]
    try:
        model_use(project=project, version=request.POST.get("version", ""), pinned=request.POST.get("pinned") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        said = _("Suggestions now come from %(model)s (pinned).") if project.model_pinned else \
            _("Suggestions now come from %(model)s.")
        messages.success(request, said % {"model": project.model_in_use or _("every model")})
    return redirect("annotate:models", slug=slug)


@login_required
@require_POST
def model_retrain_view(request, slug):
    """The project's training settings: retrain after every N accepted gold sets, and the annotators' queues
    ordered by the model's uncertainty (active learning)."""
    project = project_for(request.user, slug, "manage")[0]
    value = request.POST.get("retrain_every", "0").strip() or "0"
    if not value.isdigit() or int(value) > 100_000:
        messages.error(request, _("Retrain every: a whole number of gold sets from 0 (never) to 100,000."))
        return redirect("annotate:models", slug=slug)
    by_uncertainty = request.POST.get("queue_by_uncertainty") == "1"
    Project.objects.filter(pk=project.pk).update(retrain_every=int(value), queue_by_uncertainty=by_uncertainty)
    messages.success(request, (f"A run starts after every {value} newly accepted gold sets." if int(value)
                               else "Runs start only when asked.") + (
        " Queues show the documents the model is least sure of first." if by_uncertainty
        else " Queues keep the order of assignment."))
    return redirect("annotate:models", slug=slug)
