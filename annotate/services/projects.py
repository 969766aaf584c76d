"""Projects and their members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from annotate.models import Membership, Project, Role
from annotate.permissions import collections_check
from annotate.services.schema import schema_load, schema_read


@transaction.atomic
def project_create(
    *,
    slug: str,
    name: str,
    description: str = "",
    guidelines: str = "",
    collections=(),
    overlap: int = 2,
    curation_agreement: str = "unanimous",
    schema: str | dict | None = None,
    created_by=None,
) -> Project:
    """Create a project, optionally with a schema (a built-in name, a file path, or a parsed document).
    The creator becomes its manager, and may attach only collections they may read."""
    if created_by is not None:
        collections_check(created_by, collections)
    if Project.objects.filter(slug=slug).exists():
        raise ValidationError(_("A project with the slug %(slug)r exists already.") % {"slug": slug})
    project = Project(
        slug=slug,
        name=name or slug,
        description=description,
        guidelines=guidelines,
        overlap=overlap,
        curation_agreement=curation_agreement,
        created_by=created_by,
    )
    project.full_clean()
    project.save()
    project.collections.set(collections)
    if schema is not None:
        schema_load(project=project, data=schema_read(schema) if isinstance(schema, str) else schema)
    if created_by is not None and not created_by.is_superuser:
        Membership.objects.create(project=project, user=created_by, role=Role.MANAGER)
    return project


@transaction.atomic
def project_update(*, project: Project, by=None, **fields) -> Project:
    """Change a project's settings; `by` (when a person does it) may attach only collections they may read."""
    collections = fields.pop("collections", None)
    if by is not None and collections is not None:
        attached = set(project.collections.values_list("pk", flat=True))
        collections_check(by, [c for c in collections if c.pk not in attached])
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if collections is not None:
        project.collections.set(collections)
    return project


@transaction.atomic
def membership_add(*, project: Project, user, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)r; choose one of %(roles)s.") % {
            "role": role, "roles": ", ".join(Role.values)})
    membership, _created = Membership.objects.get_or_create(project=project, user=user, role=role)
    return membership


@transaction.atomic
def membership_remove(*, project: Project, user, role: str) -> None:
    """Remove a role. An annotator who still has tasks keeps them (unassign them first, if that is the aim)."""
    Membership.objects.filter(project=project, user=user, role=role).delete()
