"""python manage.py load_schema PROJECT FILE — replace a project's schema (FILE may be news-diplomacy)."""

from django.core.management.base import BaseCommand, CommandError

from annotate.models import Project
from annotate.services import SchemaError, schema_load, schema_read


class Command(BaseCommand):
    help = "Load a label schema (JSON) into a project. Labels in use are retired, never deleted."

    def add_arguments(self, parser):
        parser.add_argument("project")
        parser.add_argument("file", help="a JSON file, or the name of a built-in schema (news-diplomacy)")

    def handle(self, *args, **opts):
        project = Project.objects.filter(slug=opts["project"]).first()
        if project is None:
            raise CommandError(f"No project {opts['project']!r}.")
        try:
            changes = schema_load(project=project, data=schema_read(opts["file"]))
        except SchemaError as error:
            raise CommandError("\n".join(["The schema was not loaded:", *error.problems])) from None
        self.stdout.write(self.style.SUCCESS(changes.summary()))
