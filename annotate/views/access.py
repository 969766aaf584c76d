"""The one place views turn a slug or a task id into an object and check the user's role for it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from annotate.models import Project, Task
from annotate.permissions import ProjectAccess, project_access


def project_for(request, slug: str, capability: str) -> tuple[Project, ProjectAccess]:
    """The project and the user's access, or 404 / 403. Views are wrapped in login_required first."""
    project = get_object_or_404(Project, slug=slug)
    access = project_access(request.user, project)
    access.require(capability)
    return project, access


def task_denied(user, task: Task, *, write: bool) -> Exception | None:
    """The one rule for a task's URLs, pages and APIs alike: its annotator may read and change it; the
    project's curators and managers may read it, and are told (403) that only the annotator changes it;
    for anyone else the task does not exist (404), so that no answer reveals which task ids exist.
    A gold set is the curators' to read and change, and does not exist for anyone else."""
    if task.is_gold:
        return None if project_access(user, task.project).can_curate else Http404("No such task.")
    if task.annotator_id == user.pk:
        return None
    if not project_access(user, task.project).can_curate:
        return Http404("No such task.")
    return PermissionDenied("Only the task's annotator can change it.") if write else None


def task_for(request, pk: int, *, write: bool = False) -> tuple[Task, ProjectAccess]:
    """A task and the user's access to it, or 404 / 403 by task_denied's rule."""
    task = get_object_or_404(Task.objects.select_related("project", "document", "annotator", "reopened_by"), pk=pk)
    if error := task_denied(request.user, task, write=write):
        raise error
    # The annotator's own task needs no role query (the page counts its queries).
    own = task.annotator_id == request.user.pk
    access = ProjectAccess(frozenset({"annotator"})) if own else project_access(request.user, task.project)
    return task, access
