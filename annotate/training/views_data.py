"""What the Models page and the API show of the training runs: one dict per run (the same for both)."""

from django.urls import reverse

from annotate.models import TrainedModel
from annotate.training.services import runs_settle


def run_dict(trained: TrainedModel, project) -> dict:
    total = (trained.scores or {}).get("total") or {}
    return {
        "model": trained.version, "number": trained.number, "state": trained.state,
        "in_use": project.model_in_use == trained.version, "pinned": project.model_pinned and
        project.model_in_use == trained.version,
        "job": str(trained.job_id) if trained.job_id else None,
        "job_page": reverse("jobs:job", args=[trained.job_id]) if trained.job_id else None,
        "started_at": trained.created_at.isoformat(), "finished_at": trained.finished_at.isoformat()
        if trained.finished_at else None, "by": trained.created_by.get_username() if trained.created_by else None,
        "settings": trained.settings, "counts": trained.counts, "curve": trained.curve,
        "test_f1": (total.get("exact") or {}).get("f1"), "scores": trained.scores,
        "download": reverse("annotate:model-download", args=[project.slug, trained.version])
        if trained.state == "ready" and trained.path else None,
    }


def runs(project) -> list[dict]:
    runs_settle(project)
    return [run_dict(t, project) for t in TrainedModel.objects.filter(project=project).select_related("created_by", "project")]
