"""python manage.py assign --project P --collection C --annotators a,b,c [--overlap 2]"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotate.models import Project
from annotate.selection import DocumentFilter
from annotate.services import annotators_resolve, tasks_assign


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2025-09-02.") from None


class Command(BaseCommand):
    help = "Assign documents so that each gets exactly OVERLAP distinct annotators, loads balanced; re-runs add only what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument(
            "--collection", default="", help="comma-separated slugs (default: all of the project's)"
        )
        parser.add_argument("--annotators", required=True, help="comma-separated usernames")
        parser.add_argument("--overlap", type=int, help="annotators per document (default: the project's)")
        parser.add_argument("--language", default="")
        parser.add_argument("--date-from", type=_date)
        parser.add_argument("--date-to", type=_date)
        parser.add_argument("--search", default="")

    def handle(self, *args, **opts):
        project = Project.objects.filter(slug=opts["project"]).first()
        if project is None:
            raise CommandError(f"No project {opts['project']!r}.")
        selection = DocumentFilter(
            collections=[s.strip() for s in opts["collection"].split(",") if s.strip()],
            language=opts["language"],
            date_from=opts["date_from"],
            date_to=opts["date_to"],
            search=opts["search"],
        )
        try:
            annotators = annotators_resolve(project, opts["annotators"].split(","))
            report = tasks_assign(
                project=project, annotators=annotators, selection=selection, overlap=opts["overlap"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for name, count in sorted(report.per_annotator.items()):
            self.stdout.write(f"  {name}: +{count}")
