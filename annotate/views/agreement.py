"""The agreement report of a project for its curators and managers: the page (tables, a heatmap and bars
drawn on the server) and the same figures as CSV. The API gives them as JSON (annotate/api/projects.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from annotate.permissions import project_for
from annotate.quality.agreement.against_gold import project_report
from annotate.quality.agreement.filters import ReportFilter, report_filter
from annotate.quality.agreement.present import LAYER_NAMES, bars_svg, csv_text, heatmap_svg


def _report(request, project):
    try:
        chosen = report_filter(project, request.GET)
    except ValidationError as error:
        return ReportFilter(), None, " ".join(error.messages)
    return chosen, project_report(project, **chosen.as_kwargs()), ""


@login_required
def agreement_page(request, slug):
    project, access = project_for(request.user, slug, "curate")
    chosen, data, problem = _report(request, project)
    layers = []
    if data:
        for layer, entry in data["layers"].items():
            layers.append({"key": layer, "name": LAYER_NAMES[layer], "entry": entry, "bars": bars_svg(data, layer),
                           "compared": any(per["pairs"] for per in entry["labels"].values())})
    return render(request, "annotate/agreement.html", {
        "project": project, "access": access, "data": data, "problem": problem, "chosen": chosen,
        "collections": project.collections.order_by("slug"), "layers": layers,
        "heatmap": heatmap_svg(data) if data else "", "params": request.GET,
    }, status=400 if problem else 200)


@login_required
def agreement_csv(request, slug):
    project, _access = project_for(request.user, slug, "curate")
    _chosen, data, problem = _report(request, project)
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(csv_text(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-agreement.csv"'
    return response
