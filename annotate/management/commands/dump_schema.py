"""python manage.py dump_schema PROJECT [-o FILE] — the schema as JSON, which load_schema reads back."""

import json

from django.core.management.base import BaseCommand, CommandError

from annotate.models import Project
from annotate.services import schema_dump


class Command(BaseCommand):
    help = "Write a project's label schema as JSON."

    def add_arguments(self, parser):
        parser.add_argument("project")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **opts):
        project = Project.objects.filter(slug=opts["project"]).first()
        if project is None:
            raise CommandError(f"No project {opts['project']!r}.")
        text = json.dumps(schema_dump(project), ensure_ascii=False, indent=2) + "\n"
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
