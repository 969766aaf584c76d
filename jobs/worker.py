"""The worker: django-tasks-db's, which claims each queued task with SELECT ... FOR UPDATE SKIP LOCKED (no
two workers take the same one), plus a thread that says every JOBS_BEAT_SECONDS that this worker is alive
(/healthz/jobs) and fails the jobs whose own worker died (services.jobs_sweep).

A database outage does not end it: the worker waits with backoff (a log line per attempt), and once the
database answers again it fails, with a message, the jobs the outage cut short (services.jobs_cut_fail), then
takes jobs as before."""

import logging
import random
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .memory import memory_give_back
from .services import JOBS_CHANNEL, jobs_cut_fail, jobs_sweep, worker_beat

CONNECTION_ERRORS = (OperationalError, InterfaceError)

logger = logging.getLogger("jobs")


def look_around(worker_id: str) -> None:
    """Say this worker is alive, and fail the jobs whose worker died."""
    try:
        worker_beat(worker_id=worker_id)
        jobs_sweep(worker_id=worker_id)
    except DatabaseError as error:  # SQLite while a job writes; the next round tries again
        logger.debug("worker %s: beat not written: %s", worker_id, error)


class Lookout(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name="jobs-lookout", daemon=True)
        self.worker_id = worker_id
        self._stop_event = threading.Event()

    def run(self):
        try:
            while not self._stop_event.wait(settings.JOBS_BEAT_SECONDS):
                look_around(self.worker_id)
        finally:
            connections.close_all()

    def stop(self):
        self._stop_event.set()


def warm_up() -> None:
    """What settings.JOBS_WORKER_WARMUP names (dotted paths of functions), run as a long-running worker
    boots: work that its first job would otherwise wait for, such as starting the import workers' fork
    server (not for a --batch worker, which would spend the CPU on it while it runs its jobs)."""
    for path in settings.JOBS_WORKER_WARMUP:
        import_string(path)()


def rest() -> None:
    """What settings.JOBS_WORKER_REST names, run once a long-running worker has had no job for
    JOBS_WORKER_REST_SECONDS: the helpers its jobs started (the import workers' fork server) are stopped,
    and this process's freed memory is given back, so an idle worker holds only itself."""
    for path in settings.JOBS_WORKER_REST:
        import_string(path)()
    memory_give_back()


def database_answers() -> bool:
    try:
        connections["default"].ensure_connection()
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        connections.close_all()
        return False


class Listener:
    """An idle worker's wait on PostgreSQL: LISTEN on the jobs' channel, so that job_submit's NOTIFY wakes it
    at once; the wait ends after `timeout` anyway (the poll stays as the fallback). Elsewhere, a sleep."""

    def __init__(self):
        self.connection = None

    def wait(self, timeout: float) -> None:
        if connections["default"].vendor != "postgresql":
            time.sleep(timeout)
            return
        import psycopg

        try:
            if self.connection is None or self.connection.closed:
                params = connections["default"].get_connection_params()
                params.pop("cursor_factory", None)
                self.connection = psycopg.connect(**params, autocommit=True)
                self.connection.execute(f"LISTEN {JOBS_CHANNEL}")
            for _notice in self.connection.notifies(timeout=timeout, stop_after=1):
                pass
        except psycopg.Error:  # the database went away: the loop's own query will say so
            self.close()
            time.sleep(timeout)

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


class JobWorker(Worker):
    backoff_first, backoff_most = 0.5, 10.0  # seconds between attempts to reach a database that is down
    listener: Listener | None = None
    rested = True  # nothing to stop until a job has run
    last_job_ended = 0.0
    warm = True  # a long-running worker warms up as it boots (False: one that replaces a rested worker)
    leave_when_rested = False  # a forked worker (jobs/forked.py) leaves once rested, for a fresh copy

    def run_loop(self) -> None:
        """django-tasks-db's Worker.run, but for the wait of an idle worker: on PostgreSQL a NOTIFY from
        job_submit ends it, so that a queued job starts at once rather than at the next look."""
        self.listener = self.listener or Listener()
        if self.startup_delay and self.interval:
            time.sleep(random.random())
        while self.running:
            close_old_connections()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name,
                                                        queue_name__in=self.queue_names)
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    retrieved = True
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as error:
                    retrieved = False
                    if not is_locked_database_exception(error):
                        raise
                    task_result = None
            if task_result is not None:
                self.run_task(task_result)
                memory_give_back()
                self.rested, self.last_job_ended = self.batch, time.monotonic()
            if self.batch and retrieved and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                idle = time.monotonic() - self.last_job_ended
                if not self.rested and idle >= settings.JOBS_WORKER_REST_SECONDS:
                    rest()
                    self.rested = True
                    logger.info("worker %s: idle for %.0f s, helpers stopped", self.worker_id, idle)
                    if self.leave_when_rested:
                        return
                wait = self.interval if self.rested else min(self.interval, settings.JOBS_WORKER_REST_SECONDS - idle)
                self.listener.wait(max(wait, 0.01))

    def run(self) -> None:
        if not self.batch and self.warm:  # a batch worker runs what is queued and exits: nothing to get ready for
            warm_up()
            self.rested, self.last_job_ended = False, time.monotonic()  # what warmed up rests if no job comes
        look_around(self.worker_id)  # first of all, before taking a job
        lookout = Lookout(self.worker_id)
        lookout.start()
        try:
            while True:
                try:
                    self.run_loop()
                    return
                except CONNECTION_ERRORS as error:
                    self.running_task = False
                    if self.batch or not self.running:
                        raise
                    self.wait_for_database(error)
        finally:
            lookout.stop()
            if self.listener is not None:
                self.listener.close()

    def wait_for_database(self, error) -> None:
        """The database went away (an outage, a restart, a failover): try again with backoff until it
        answers, then fail what the outage cut short and go back to work."""
        started, delay, attempt = time.monotonic(), self.backoff_first, 0
        logger.warning("worker %s: the database cannot be reached (%s); trying again",
                       self.worker_id, str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
        connections.close_all()
        while self.running:
            time.sleep(delay)
            attempt += 1
            if database_answers():
                break
            logger.warning("worker %s: database still unreachable (attempt %d, %.0f s so far; next in %.1f s)",
                           self.worker_id, attempt, time.monotonic() - started, min(delay * 2, self.backoff_most))
            delay = min(delay * 2, self.backoff_most)
        else:
            return
        cut = jobs_cut_fail(worker_id=self.worker_id)
        logger.warning("worker %s: the database answers again after %.1f s; %d job%s cut short marked failed",
                       self.worker_id, time.monotonic() - started, cut, "" if cut == 1 else "s")


def default_interval() -> float:
    """Seconds between an idle worker's looks at the queue: on PostgreSQL a NOTIFY wakes it anyway, so a
    second; on SQLite, which has no such thing, a tenth (a queued job starts within 200 ms)."""
    return 1.0 if connections["default"].vendor == "postgresql" else 0.1


def worker_make(*, batch: bool = False, interval: float | None = None, worker_id: str = "",
                max_tasks=None) -> JobWorker:
    interval = default_interval() if interval is None else interval
    return JobWorker(
        queue_names=["default"], interval=interval, batch=batch, backend_name="default", startup_delay=not batch,
        max_tasks=max_tasks, worker_id=worker_id or get_random_string(32), excluded_queue_names=[],
    )


def run_pending() -> int:
    """Run every queued job now, in this process, then return how many ran (tests). The worker's own loop
    closes "old" database connections between jobs, as a long-running process must; here the connection
    (and a test's transaction on it) stays."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = worker_make(batch=True, interval=0)
    look_around(worker.worker_id)
    ran = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            task_result = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name).get_locked()
            if task_result is None:
                return ran
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
