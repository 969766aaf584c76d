"""python manage.py create_project SLUG --name NAME [--schema news-diplomacy|FILE] [--collections a,b] [--overlap 2]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotate.services import SchemaError, project_create
from corpus.models import Collection


def collections_by_slug(spec: str) -> list[Collection]:
    slugs = [s.strip() for s in (spec or "").split(",") if s.strip()]
    found = {c.slug: c for c in Collection.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise CommandError(f"No collection {', '.join(missing)} (see /corpus/ or import_articles --create).")
    return [found[s] for s in slugs]


class Command(BaseCommand):
    help = "Create a project, optionally with a label schema and collections."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--description", default="")
        parser.add_argument("--schema", help="news-diplomacy (built in) or a JSON file")
        parser.add_argument("--collections", default="", help="comma-separated collection slugs")
        parser.add_argument("--overlap", type=int, default=2, help="annotators per document (default 2)")

    def handle(self, *args, **opts):
        if opts["overlap"] < 1:
            raise CommandError("--overlap must be at least 1.")
        try:
            project = project_create(
                slug=opts["slug"],
                name=opts["name"],
                description=opts["description"],
                collections=collections_by_slug(opts["collections"]),
                overlap=opts["overlap"],
                schema=opts["schema"],
            )
        except SchemaError as error:
            raise CommandError("\n".join(["The schema was not loaded:", *error.problems])) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        labels = project.labels.count()
        self.stdout.write(self.style.SUCCESS(f"Project {project.slug} created with {labels} labels."))
