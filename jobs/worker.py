"""The worker: django-tasks-db's, which claims each queued task with SELECT ... FOR UPDATE SKIP LOCKED (no
two workers take the same one), plus a thread that says every JOBS_BEAT_SECONDS that this worker is alive
(/healthz/jobs) and fails the jobs whose own worker died (services.jobs_sweep)."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

from .services import jobs_sweep, worker_beat

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


class JobWorker(Worker):
    def run(self) -> None:
        if not self.batch:  # a batch worker runs what is queued and exits: nothing to get ready for
            warm_up()
        look_around(self.worker_id)  # first of all, before taking a job
        lookout = Lookout(self.worker_id)
        lookout.start()
        try:
            super().run()
        finally:
            lookout.stop()


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
