"""python manage.py serve [ADDRPORT]: the development server and one job worker together, as `make run`
starts them. Ctrl+C reaches both (they share the terminal's process group): the server stops at once, the
worker when its job at hand is done (a second Ctrl+C stops that too, and the job is marked failed). If
either stops by itself, the other is stopped too."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development server and one background job worker; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *, addrport, **options):
        manage = [sys.executable, sys.argv[0]]
        worker = subprocess.Popen([*manage, "jobs_worker"])
        server = subprocess.Popen([*manage, "runserver", addrport])
        processes = [server, worker]
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass  # the children had the same Ctrl+C
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait()
                except KeyboardInterrupt:  # a second Ctrl+C: stop now
                    process.kill()
