"""Who may do what in a project. Views call these; templates only show what the view decided.

Roles are additive: a manager may curate, a curator may read every annotation of the project, and only
members with the annotator role receive tasks. Superusers may do everything."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from .models import Membership, Role


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
            raise PermissionDenied(f"You need the {capability} permission in this project.")


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
    from corpus.models import Collection
    from corpus.permissions import can_browse

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
        raise PermissionDenied(f"You may not read the collection(s) {', '.join(refused)}, so you may not use them here.")


def can_create_projects(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("annotate.add_project"))
