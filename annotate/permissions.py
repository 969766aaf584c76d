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


def can_create_projects(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("annotate.add_project"))
