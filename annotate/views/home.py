"""The annotator's home: my projects, my queues, Start / Continue, my finished tasks; `n` opens the next task."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from annotate.models import Membership, ProgressCounter, Project, Task, TaskStatus
from annotate.permissions import can_create_projects, project_for
from corpus.permissions import can_browse, can_import

RECENT = 20


@login_required
def home(request):
    user = request.user
    queue = Task.objects.queue_for(user).filter(project=OuterRef("pk"))
    projects = list(
        Project.objects.for_user(user)
        .annotate(
            next_task=Subquery(queue.values("pk")[:1]), next_status=Subquery(queue.values("status")[:1])
        )
        .order_by("name")
    )
    roles: dict[int, set[str]] = {}
    for project_id, role in Membership.objects.filter(user=user).values_list("project_id", "role"):
        roles.setdefault(project_id, set()).add(role)
    counts: dict[int, dict[str, int]] = {}
    for project_id, status, count in ProgressCounter.objects.filter(annotator=user).values_list(
        "project_id", "status", "count"
    ):
        per = counts.setdefault(project_id, dict.fromkeys(TaskStatus.values, 0))
        per[status] += count
    for project in projects:
        project.my_roles = sorted(roles.get(project.pk, set()))
        per = counts.get(project.pk, dict.fromkeys(TaskStatus.values, 0))
        project.queue = per[TaskStatus.ASSIGNED] + per[TaskStatus.IN_PROGRESS]
        project.submitted = per[TaskStatus.SUBMITTED]
        project.skipped = per[TaskStatus.SKIPPED]
        project.can_curate = user.is_superuser or bool(roles.get(project.pk, set()) & {"curator", "manager"})
    ready = Task.objects.ready_counts(p.pk for p in projects if p.can_curate)
    for project in projects:
        project.ready = ready.get(project.pk, 0)
    finished = (
        Task.objects.filter(annotator=user, status__in=[TaskStatus.SUBMITTED, TaskStatus.SKIPPED])
        .select_related("project", "document")
        .only(
            "id",
            "status",
            "finished_at",
            "project__name",
            "project__slug",
            "document__title",
            "document__external_id",
        )
        .order_by("-finished_at", "-id")[:RECENT]
    )
    return render(
        request,
        "home.html",
        {
            "sent_back": Task.objects.sent_back_to(user)[:RECENT],
            "projects": projects,
            "has_queue": any(p.next_task for p in projects),
            "finished": finished,
            "can_browse": can_browse(user),
            "can_import": can_import(user),
            "can_create": can_create_projects(user),
        },
    )


@login_required
def next_task(request, slug=None):
    """Redirect to the next task (in one project, or the oldest across all), or home when the queue is empty."""
    project = None
    if slug is not None:
        project, _access = project_for(request.user, slug, "annotate")
    task = Task.objects.next_for(request.user, project)
    if task is None:
        messages.info(request, _("Your queue is empty: there is no task left to start."))
        return redirect("home")
    return redirect(task)
