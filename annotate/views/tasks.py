"""A task's page (the annotation tools arrive with [3/6]), its transitions, and the curator's task list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annotate.models import Task, TaskStatus
from annotate.permissions import project_for, task_for
from annotate.services import SubmitQuestion, task_reopen, task_skip, task_submit, task_unsubmit
from annotate.views.forms import ReopenForm, SkipForm
from config.paging import page_number

PAGE_SIZE = 50


@login_required
@require_POST
def task_submit_view(request, pk):
    """Submit, or (a likely slip: nothing marked, suggestions unsettled, required roles empty) back to the
    task page, which asks once; its "Submit anyway" posts confirm=1."""
    task, _access = task_for(request.user, pk, write=True)
    try:
        task_submit(task=task, by=request.user, confirm=request.POST.get("confirm") == "1")
    except SubmitQuestion:
        return redirect(f"{task.get_absolute_url()}?submit=ask")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(task)
    messages.success(request, _("Submitted. You can take it back from the task's page until a curator starts on it."))
    return redirect("annotate:next_any")


@login_required
@require_POST
def task_unsubmit_view(request, pk):
    task, _access = task_for(request.user, pk, write=True)
    try:
        task_unsubmit(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Taken back: the task is yours to change again."))
    return redirect(task)


@login_required
@require_POST
def task_skip_view(request, pk):
    task, _access = task_for(request.user, pk, write=True)
    form = SkipForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why you skip the task."))
        task_skip(task=task, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(task)
    messages.success(request, _("Skipped."))
    return redirect("annotate:next_any")


@login_required
@require_POST
def task_reopen_view(request, pk):
    task, access = task_for(request.user, pk)
    access.require("curate")
    form = ReopenForm(request.POST)
    try:
        task_reopen(task=task, by=request.user, comment=form.data.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Task %(task)s reopened for %(user)s.") % {"task": task.pk, "user": task.annotator})
    return redirect(
        request.POST.get("next") if request.POST.get("next", "").startswith("/annotate/") else task
    )


@login_required
def task_list(request, slug):
    """Curators and managers: the project's tasks, filtered by status and annotator, newest first. An
    annotator: their own tasks only, in the order they were assigned (another's are never listed)."""
    project, access = project_for(request.user, slug, "view")
    if not (access.can_curate or access.can_annotate):
        access.require("curate")
    status = request.GET.get("status", "")
    annotator = request.GET.get("annotator", "")[:150] if access.can_curate else ""
    try:
        page = page_number(request.GET.get("page"))
    except ValueError:
        page = 1
    tasks = Task.objects.filter(project=project).select_related("annotator", "document")
    tasks = tasks.only(
        "id",
        "status",
        "reopened_at",
        "review_comment",
        "assigned_at",
        "finished_at",
        "seconds_spent",
        "annotator__username",
        "document__title",
        "document__external_id",
    )
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    if not access.can_curate:
        tasks = tasks.filter(annotator=request.user)
    elif annotator:
        tasks = tasks.filter(annotator__username=annotator)
    if request.GET.get("flagged"):
        tasks = tasks.exclude(flag="")
    tasks = tasks.order_by("-id") if access.can_curate else tasks.order_by("assigned_at", "id")
    rows = list(tasks[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    return render(
        request,
        "annotate/task_list.html",
        {
            "project": project,
            "access": access,
            "tasks": rows[:PAGE_SIZE],
            "first_number": (page - 1) * PAGE_SIZE + 1,
            "has_next": len(rows) > PAGE_SIZE,
            "page": page,
            "status": status,
            "annotator": annotator,
            "statuses": TaskStatus.choices,
            "reopen_form": ReopenForm(),
        },
    )
