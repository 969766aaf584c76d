"""The worker: django-tasks-db's, which claims each queued task with SELECT ... FOR UPDATE SKIP LOCKED (no
two workers take the same one), plus a thread that says every JOBS_BEAT_SECONDS that this worker is alive
(/healthz/jobs) and fails the jobs whose own worker died (services.jobs_sweep).

A database outage does not end it: the worker waits with backoff (a log line per attempt), and once the
database answers again it fails, with a message, the jobs the outage cut short (services.jobs_cut_fail), then
takes jobs as before."""

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

from .services import jobs_cut_fail, jobs_sweep, worker_beat

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


def database_answers() -> bool:
    try:
        connections["default"].ensure_connection()
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        connections.close_all()
        return False


class JobWorker(Worker):
    backoff_first, backoff_most = 0.5, 10.0  # seconds between attempts to reach a database that is down

    def run(self) -> None:
        if not self.batch:  # a batch worker runs what is queued and exits: nothing to get ready for
            warm_up()
        look_around(self.worker_id)  # first of all, before taking a job
        lookout = Lookout(self.worker_id)
        lookout.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except CONNECTION_ERRORS as error:
                    self.running_task = False
                    if self.batch or not self.running:
                        raise
                    self.wait_for_database(error)
        finally:
            lookout.stop()

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


def worker_make(*, batch: bool = False, interval: float = 1.0, worker_id: str = "", max_tasks=None) -> JobWorker:
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
