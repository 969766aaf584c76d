"""python manage.py jobs_prune [--days 30]: forget finished jobs older than that, with the files they wrote
(exports) and their rows in the queue. Run it from cron; nothing else deletes them."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Delete finished jobs older than --days (30), with their files and queue rows."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *, days, verbosity, **options):
        removed = jobs_prune(before=timezone.now() - timedelta(days=max(0, days)))
        if verbosity:
            self.stdout.write(f"Removed {removed} finished job{'' if removed == 1 else 's'} older than {days} days.")
