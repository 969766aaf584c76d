"""The model evaluation page: every model version against gold (annotate/quality/evaluation.py), and the runs
trained here (annotate/training), for curators and managers; the same report as JSON at /api/v1/projects/<slug>/models."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from annotate.permissions import project_for
from annotate.quality.evaluation import KINDS, evaluation_report
from annotate.training.views_data import runs


def trend_svg(versions: list[dict]) -> str:
    """Exact and overlapping F1 per version, as two lines over the versions in order (server-side SVG)."""
    if len(versions) < 2:
        return ""
    width, height, left, top = 560, 180, 40, 10
    step = (width - left - 20) / (len(versions) - 1)

    def points(key):
        return " ".join(f"{left + i * step:.1f},{top + (1 - v[key]) * (height - 40):.1f}" for i, v in enumerate(versions))

    ticks = "".join(f'<text x="{left + i * step:.1f}" y="{height - 8}" text-anchor="middle">{escape(v["model"])}</text>'
                    for i, v in enumerate(versions))
    label = escape(_("F1 over model versions"))
    return mark_safe(
        f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - 30}" class="axis"/>'
        f'<text x="4" y="{top + 8}">1.0</text><text x="4" y="{height - 30}">0</text>'
        f'<polyline points="{points("exact_f1")}" class="exact" fill="none"/>'
        f'<polyline points="{points("overlapping_f1")}" class="overlap" fill="none" stroke-dasharray="4 3"/>'
        f"{ticks}</svg>")


@login_required
def model_evaluation(request, slug):
    project, access = project_for(request.user, slug, "curate")
    version = request.GET.get("model") or None
    project_runs = runs(project)
    try:
        data = evaluation_report(project, version=version)
    except LookupError as error:
        return render(request, "annotate/models.html", {"project": project, "access": access, "problem": str(error)},
                      status=404)
    return render(request, "annotate/models.html", {
        "project": project, "access": access, "data": data, "report": data["report"], "kinds": KINDS,
        "trend": trend_svg(data["versions"]), "runs": project_runs,
        "running": next((r for r in project_runs if r["state"] == "training"), None),
    })
