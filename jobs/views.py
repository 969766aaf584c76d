"""The jobs pages: /jobs/ (yours and your projects', newest first) and /jobs/<id>/ (one job; its status part
is what the page polls through htmx until the job has finished, then it shows the result)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Job, JobState
from .registry import JobError, UnknownJobKind, kind_get
from .services import job_cancel

LIST_LIMIT = 100


def result_context(job: Job, request) -> dict:
    """What the page shows of the job's result: the kind's template part and what it needs."""
    try:
        kind = kind_get(job.kind)
    except UnknownJobKind:
        return {"result_template": None, "result": job.result or {}}
    context = {"result_template": kind.result_template, "result": job.result or {},
               "live_template": kind.live_template,
               "can_cancel": job.state == JobState.QUEUED or (job.state == JobState.RUNNING and kind.cancellable)}
    if kind.result_context is not None and (job.state == JobState.SUCCEEDED or
                                            (kind.live_template and job.state != JobState.QUEUED)):
        context.update(kind.result_context(job, request))
    return context


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("owner")[:LIST_LIMIT]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@login_required
def job_detail(request, pk):
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("owner"), pk=pk)
    context = {"job": job, **result_context(job, request)}
    template = "jobs/job.html#status" if request.htmx else "jobs/job.html"
    return render(request, template, context)


@login_required
@require_POST
def job_cancel_view(request, pk):
    """Ask the job to stop (its page's Cancel button); whoever may see the job may stop it."""
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    try:
        job_cancel(job=job, by=request.user)
    except JobError as error:
        messages.error(request, str(error))
    if request.htmx:
        return render(request, "jobs/job.html#status", {"job": job, **result_context(job, request)})
    return redirect(job)


@login_required
def job_file(request, pk):
    """The file a finished job wrote (an export), for whoever may see the job."""
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk, state=JobState.SUCCEEDED)
    return file_response(job)


def file_response(job: Job) -> FileResponse:
    path = (job.result or {}).get("file")
    if not path or not default_storage.exists(path):
        raise Http404(_("This job wrote no file, or its file was removed."))
    return FileResponse(default_storage.open(path, "rb"), as_attachment=True,
                        filename=job.result.get("filename") or path.rsplit("/", 1)[-1])
