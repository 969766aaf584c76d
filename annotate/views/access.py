"""The one place views turn a slug or a task id into an object and check the user's role for it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from annotate.models import Project, Task
from annotate.permissions import ProjectAccess, project_access


def project_for(request, slug: str, capability: str) -> tuple[Project, ProjectAccess]:
    """The project and the user's access, or 404 / 403. Views are wrapped in login_required first."""
    project = get_object_or_404(Project, slug=slug)
    access = project_access(request.user, project)
    access.require(capability)
    return project, access


def task_for(request, pk: int, *, write: bool = False) -> tuple[Task, ProjectAccess]:
    """A task its annotator may open; curators and managers of its project may read it (not write)."""
    task = get_object_or_404(Task.objects.select_related("project", "document", "annotator"), pk=pk)
    own = task.annotator_id == request.user.pk
    if write and not own:
        raise PermissionDenied("Only the task's annotator can change it.")
    # The annotator's own task needs no role query (the page counts its queries).
    access = ProjectAccess(frozenset({"annotator"})) if own else project_access(request.user, task.project)
    if not own and not access.can_curate:
        raise PermissionDenied("This task belongs to another annotator.")
    return task, access
