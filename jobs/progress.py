"""Progress of a running job, written to its row by a heartbeat thread with its own database connection.

The job's work usually runs in one transaction (all or nothing), so progress written on the same
connection would stay invisible until the end and be rolled back with it. The thread writes `done`,
`total` and `heartbeat_at` every JOBS_HEARTBEAT_SECONDS; other workers take a job whose heartbeat stopped
for JOBS_STALE_SECONDS for a dead one. On SQLite the write waits while the job holds the write lock, so
progress there moves between transactions only (one worker is the embedded default)."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger("jobs")


class Progress:
    """What a job's function reports: advance(n) items done, set_total(n) when it knows how many."""

    def __init__(self, write=None):
        self.done = 0
        self.total: int | None = None
        self._lock = threading.Lock()
        self._write = write  # (done, total): writes them at once, on the job's own connection
        self.cancelled = False  # set by the heartbeat when somebody asked the job to stop (Job.cancel_requested)

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self.done += count

    def set_total(self, total: int | None) -> None:
        """The total, written at once: a job counts before its transaction begins, so the page can say
        "of 20,000" from the start even where the heartbeat cannot write during the transaction (SQLite)."""
        with self._lock:
            self.total = total
        if self._write is not None:
            self._write(self.done, total)

    def snapshot(self) -> tuple[int, int | None]:
        with self._lock:
            return self.done, self.total


class Heartbeat(threading.Thread):
    def __init__(self, job_id, worker_id: str, progress: Progress):
        super().__init__(name=f"job-heartbeat-{job_id}", daemon=True)
        self.job_id, self.worker_id, self.progress = job_id, worker_id, progress
        self._stop_event = threading.Event()

    def run(self):
        from .models import Job, JobState

        try:
            while not self._stop_event.wait(settings.JOBS_HEARTBEAT_SECONDS):
                done, total = self.progress.snapshot()
                try:
                    Job.objects.filter(pk=self.job_id, state=JobState.RUNNING, worker_id=self.worker_id).update(
                        done=done, total=total, heartbeat_at=timezone.now()
                    )
                    if Job.objects.filter(pk=self.job_id, cancel_requested=True).exists():
                        self.progress.cancelled = True
                except DatabaseError as error:  # SQLite while the job writes; the next beat tries again
                    logger.debug("job %s: heartbeat not written: %s", self.job_id, error)
        finally:
            connections.close_all()

    def stop(self):
        self._stop_event.set()
        self.join(timeout=10)
