"""python manage.py serve [ADDRPORT]: the development server and one job worker together, as `make run`
starts them. Ctrl+C or SIGTERM stops both: the server at once, the worker when its job at hand is done (a
second Ctrl+C or SIGTERM stops that too, and the job is marked failed). If either stops by itself, the
other is stopped too.

Each child runs in a process group of its own, which this command signals as a whole: runserver's
autoreloader serves from a child process of its own, and a signal to the command alone (a process manager's
SIGTERM, `kill`) must not leave that child serving the port."""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


class Command(BaseCommand):
    help = "Run the development server and one background job worker; Ctrl+C or SIGTERM stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *, addrport, **options):
        manage = [sys.executable, sys.argv[0]]
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _raise_stop)
        processes = []
        try:
            processes.append(subprocess.Popen([*manage, "jobs_worker"], start_new_session=True))
            processes.append(subprocess.Popen([*manage, "runserver", addrport], start_new_session=True))
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except Stop:
            pass
        finally:
            for process in processes:
                _signal_group(process, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait()
                except Stop:  # a second Ctrl+C or SIGTERM: stop now
                    for each in processes:
                        _signal_group(each, signal.SIGKILL)
                    process.wait()
                _signal_group(process, signal.SIGKILL)  # whatever of its group is left (the reloader's child)
