"""python manage.py serve [ADDRPORT]: the development server and one job worker together, as `make run`
starts them. Ctrl+C or SIGTERM stops both: the server at once, the worker when its job at hand is done (a
second Ctrl+C or SIGTERM stops that too, and the job is marked failed). If either stops by itself (a crash,
a kill, an error at start), it is started again after a pause that doubles up to a minute (back to a second
once it has run for a minute), with a line in the log; the other keeps running.

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
        commands = {"job worker": [*manage, "jobs_worker"], "web server": [*manage, "runserver", addrport]}
        running, started, pause, again_at = {}, {}, dict.fromkeys(commands, 1.0), {}

        def start(name):
            running[name] = subprocess.Popen(commands[name], start_new_session=True)
            started[name] = time.monotonic()

        try:
            for name in commands:
                start(name)
            while True:
                time.sleep(0.5)
                now = time.monotonic()
                for name, process in list(running.items()):
                    code = process.poll()
                    if code is None or name in again_at:
                        continue
                    _signal_group(process, signal.SIGKILL)  # what is left of its group (the reloader's child)
                    lasted = now - started[name]
                    if lasted >= 60:
                        pause[name] = 1.0
                    again_at[name] = now + pause[name]
                    self.stderr.write(f"serve: the {name} stopped (exit code {code}) after {lasted:.0f} s; "
                                      f"starting it again in {pause[name]:.0f} s")
                    pause[name] = min(pause[name] * 2, 60.0)
                for name, when in list(again_at.items()):
                    if now >= when:
                        del again_at[name]
                        start(name)
        except Stop:
            pass
        finally:
            processes = list(running.values())
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
