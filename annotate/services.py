"""Writes for projects (the full set of services comes with issue [2/6])."""

from django.db import transaction

from .models import Project


@transaction.atomic
def project_ensure(
    *, slug: str, name: str, description: str = "", collections=(), overlap: int = 2
) -> Project:
    project, _ = Project.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description, "overlap": overlap}
    )
    project.collections.add(*collections)
    return project
