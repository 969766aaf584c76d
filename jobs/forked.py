"""Job workers forked from a process that has already loaded the application, instead of started on their own:
gunicorn's master with --preload (config/gunicorn.py, GUNICORN_JOB_WORKERS=N). A job worker started with
`manage.py jobs_worker` loads Django, every app and their libraries again (~75 MiB of its own); forked, it
shares those pages with the web workers and holds only what its jobs write (bench/peer.py's idle memory).

The master forks one supervisor; the supervisor forks the N job workers and starts a new one when one dies (a
second later). A job worker that has rested (JOBS_WORKER_REST_SECONDS without a job) leaves, and a fresh copy
of the supervisor's pages takes its place at once, without warming up: whatever its jobs left in memory goes
with it. SIGTERM, SIGINT or SIGQUIT to the supervisor reach the job workers, which finish the job at
hand, as `jobs_worker`'s do; the supervisor leaves once they have. If the master dies, the kernel sends the
supervisor SIGTERM (Linux's parent-death signal), and the supervisor's death does the same to its workers."""

import contextlib
import ctypes
import logging
import os
import signal
import time

from django.db import connections
from django.utils.crypto import get_random_string

from .worker import worker_make

logger = logging.getLogger("jobs")

RESTART_DELAY = 1.0  # seconds before a dead job worker is replaced (a crash at start does not spin)
_SIGNALS = [s for s in ("SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGTTIN", "SIGTTOU", "SIGUSR1", "SIGUSR2",
                        "SIGWINCH", "SIGCHLD") if hasattr(signal, s)]
_inherited = []  # the parent's database connections: kept (unused) so that nothing closes them from here


def job_workers_fork(count: int, *, close_fds=()) -> int:
    """Fork the supervisor of `count` job workers; its pid (in the caller). `close_fds`: descriptors the
    child must not hold (the master's listening sockets)."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _after_fork(close_fds)
        _supervise(count)
    except BaseException:  # the child never returns into the parent's code
        logger.exception("job workers' supervisor failed")
        code = 1
    finally:
        os._exit(code)


def _after_fork(close_fds=()) -> None:
    """A forked child's start: the parent's signal handlers and sockets are not its own; neither are the
    parent's database connections (closing them would end the parent's session too)."""
    for name in _SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    for fd in close_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _inherited.append(connection.connection)
            connection.connection = None
    _die_with_parent(b"jobs-supervisor")


def _die_with_parent(name: bytes) -> None:
    """Linux: SIGTERM when the parent dies, and a name of its own in ps and top (the command line stays
    gunicorn's)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        libc.prctl(15, ctypes.c_char_p(name[:15]))  # PR_SET_NAME
    except (OSError, AttributeError):  # not Linux: the parent's exit leaves this one running
        pass


def _supervise(count: int) -> None:
    stopping = []
    for name in ("SIGTERM", "SIGINT", "SIGQUIT"):
        signal.signal(getattr(signal, name), lambda signum, frame: stopping.append(signum))
    children: dict[int, float] = {}
    due, warm = 0.0, count
    logger.info("job workers' supervisor %s: keeping %d job worker(s)", os.getpid(), count)
    while not stopping:
        if len(children) < count and time.monotonic() >= due:
            children[_job_worker_fork(warm=warm > 0)] = time.monotonic()
            warm -= 1
            continue
        time.sleep(0.2)
        for pid in list(children):
            ended, status = os.waitpid(pid, os.WNOHANG)
            if not ended:
                continue
            del children[pid]
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:  # rested: a fresh one now
                logger.info("job worker %s rested and left; a fresh one takes its place", pid)
            else:
                logger.warning("job worker %s ended (%s); another starts in %.0f s", pid, _how(status),
                               RESTART_DELAY)
                due = time.monotonic() + RESTART_DELAY
                warm = max(warm, 1)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return signal.Signals(os.WTERMSIG(status)).name
    return f"exit {os.waitstatus_to_exitcode(status)}"


def _job_worker_fork(*, warm: bool) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _die_with_parent(b"jobs-worker")
        for name in _SIGNALS:
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        worker = worker_make(worker_id=f"worker-{get_random_string(12)}")
        worker.warm, worker.leave_when_rested = warm, True
        worker.configure_signals()
        worker.run()
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    except BaseException:
        logger.exception("job worker %s failed", os.getpid())
        code = 1
    finally:
        connections.close_all()
        os._exit(code)
