"""Who may do what in a project: every permission decision of the annotate app is made here. Pages, the
API and the services call these; templates only show what the view decided.

A project or task the user has no part in does not exist for them (Http404, the same answer as for a slug or
id that exists nowhere, so that no answer tells which exist); a member who may read but not do this gets
PermissionDenied (403) with the reason.

Roles are additive: a manager may curate, a curator may read every annotation of the project, and only
members with the annotator role receive tasks. Superusers may do everything."""

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils.translation import gettext as _

from annotate.models import Membership, Project, Role, Task, TaskKind
from annotate.models.instances import columns, instances
from corpus.models import Collection, Document
from corpus.permissions import can_browse


@dataclass(frozen=True)
class ProjectAccess:
    roles: frozenset[str]
    superuser: bool = False

    @property
    def can_view(self) -> bool:
        return self.superuser or bool(self.roles)

    @property
    def can_annotate(self) -> bool:
        return Role.ANNOTATOR in self.roles

    @property
    def can_curate(self) -> bool:
        return self.superuser or bool(self.roles & {Role.CURATOR, Role.MANAGER})

    @property
    def can_manage(self) -> bool:
        return self.superuser or Role.MANAGER in self.roles

    def require(self, capability: str) -> None:
        if not getattr(self, f"can_{capability}"):
            raise PermissionDenied(_("You need the %(capability)s permission in this project.") % {
                "capability": capability})


NO_ACCESS = ProjectAccess(frozenset())


def project_access(user, project) -> ProjectAccess:
    """One query: the user's roles in the project."""
    if not user.is_authenticated:
        return NO_ACCESS
    roles = frozenset(Membership.objects.filter(project=project, user=user).values_list("role", flat=True))
    return ProjectAccess(roles, superuser=user.is_superuser)


def collections_readable(user):
    """The one rule for collections in projects: the collections a user may attach to a project, assign
    from or export. Every collection for those who may browse the corpus (superusers, staff, the
    `corpus.view_document` permission); for anyone else only the collections of projects they manage or
    curate, which someone who could read them attached."""
    if not user.is_authenticated:
        return Collection.objects.none()
    if user.is_superuser or can_browse(user):
        return Collection.objects.all()
    return Collection.objects.filter(
        projects__memberships__user=user, projects__memberships__role__in=(Role.MANAGER, Role.CURATOR)
    ).distinct()


def collections_check(user, collections) -> None:
    """PermissionDenied naming every collection (objects or slugs) the user may not read."""
    slugs = {getattr(c, "slug", c) for c in collections}
    if not slugs:
        return
    readable = set(collections_readable(user).filter(slug__in=slugs).values_list("slug", flat=True))
    if refused := sorted(slugs - readable):
        raise PermissionDenied(_("You may not read the collection(s) %(slugs)s, so you may not use them here.") % {
            "slugs": ", ".join(refused)})


def can_create_projects(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("annotate.add_project"))


def project_for(user, slug: str, capability: str) -> tuple[Project, ProjectAccess]:
    """The project and the user's access to it, for pages and the API alike: Http404 when the user has no
    role in it (or it does not exist), PermissionDenied when they may not do `capability` (view, annotate,
    curate, manage) there."""
    project = Project.objects.filter(slug=slug).first()
    access = project_access(user, project) if project is not None else NO_ACCESS
    if not access.can_view:
        raise Http404(_("No such project."))
    access.require(capability)
    return project, access


def task_denied(user, task: Task, *, write: bool) -> Exception | None:
    """The one rule for a task, pages, APIs and the change service alike: its annotator may read and change
    it; the project's curators and managers may read it, and are told (403) that only the annotator changes
    it; for anyone else the task does not exist (404). A gold set is the curators' to read and change, and
    does not exist for anyone else."""
    if task.is_gold:
        return None if project_access(user, task.project).can_curate else Http404(_("No such task."))
    if task.annotator_id == user.pk:
        return None
    if not project_access(user, task.project).can_curate:
        return Http404(_("No such task."))
    return PermissionDenied(_("Only the task's annotator can change it.")) if write else None


def _task_parts() -> tuple:
    """(model, alias) of what task_for reads, in the statement's order."""
    user = get_user_model()
    return (Task, "t"), (Project, "p"), (Document, "d"), (user, "a"), (user, "r")


@functools.cache
def _task_sql(vendor: str) -> str:
    """Task.objects.select_related("project", "document", "annotator", "reopened_by").filter(pk=…), as one
    statement written once per process (annotate.models.instances: the ORM took 2.4 ms to the database's 0.3)."""
    q = connection.ops.quote_name
    users = q(get_user_model()._meta.db_table)
    return (
        f"SELECT {', '.join(c for model, alias in _task_parts() for c in columns(model, alias))} "
        f"FROM {q(Task._meta.db_table)} t JOIN {q(Project._meta.db_table)} p ON p.id = t.project_id "
        f"JOIN {q(Document._meta.db_table)} d ON d.id = t.document_id "
        f"JOIN {users} a ON a.id = t.annotator_id LEFT JOIN {users} r ON r.id = t.reopened_by_id "
        "WHERE t.id = %s AND t.kind = %s"
    )


def _task_with_relations(pk) -> Task | None:
    """An annotator's task (not a gold set) with its project, document, annotator and reopener, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not -(2**63) <= pk < 2**63:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_task_sql(connection.vendor), [pk, TaskKind.ANNOTATION.value])
        row = cursor.fetchone()
    if row is None:
        return None
    task, *related = instances(row, *_task_parts())
    for name, value in zip(("project", "document", "annotator", "reopened_by"), related, strict=True):
        Task._meta.get_field(name).set_cached_value(task, value)
    return task


def task_for(user, pk: int, *, write: bool = False) -> tuple[Task, ProjectAccess]:
    """An annotator's task (a gold set has the curation pages) and the user's access to it, or Http404 /
    PermissionDenied by task_denied's rule."""
    task = _task_with_relations(pk)
    if task is None:
        raise Http404(_("No such task."))
    if error := task_denied(user, task, write=write):
        raise error
    # The annotator's own task needs no role query (the page counts its queries).
    own = task.annotator_id == user.pk
    access = ProjectAccess(frozenset({Role.ANNOTATOR})) if own else project_access(user, task.project)
    return task, access
