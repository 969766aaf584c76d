"""python manage.py jobs_worker: run background jobs until stopped (Ctrl+C or SIGTERM finish the job at
hand first; a second Ctrl+C stops it, and the job is marked failed). Start as many as there are cores to
spare, on any machine that reaches the database and the shared MEDIA_ROOT."""

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from jobs.worker import worker_make


class Command(BaseCommand):
    help = "Run background jobs (imports, large assignments, exports to file) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit")
        parser.add_argument("--interval", type=float, default=None,
                            help="Seconds between looks at an empty queue (default: 1 on PostgreSQL, where a "
                                 "queued job wakes the worker anyway; 0.1 on SQLite)")
        parser.add_argument("--worker-id", default="", help="A name unique among the workers (default: random)")

    def handle(self, *, batch, interval, worker_id, verbosity, **options):
        worker = worker_make(batch=batch, interval=None if interval is None else max(0.0, interval),
                             worker_id=worker_id[:64] or f"worker-{get_random_string(12)}")
        if verbosity:
            self.stderr.write(f"Worker {worker.worker_id} is waiting for jobs (Ctrl+C to stop).")
        worker.configure_signals()
        worker.run()
