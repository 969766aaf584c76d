"""An idle long-running process holds only itself: the job worker gives back what a job left as soon as it
ends, and once it has had no job for JOBS_WORKER_REST_SECONDS it stops the helpers its jobs started (the
import's fork server, tested in tests/corpus/test_pipeline.py); a gunicorn worker gives memory back once its
requests have stopped for a moment."""

import threading
import time

import pytest

from jobs import memory
from jobs import worker as worker_module
from jobs.models import Job
from jobs.services import job_submit
from tests.factories import make_user
from tests.jobs.test_jobs import kinds  # noqa: F401 -- the test's own job kinds

RESTS: list[float] = []
WORKERS: list = []


def record_rest():
    """Named in JOBS_WORKER_REST by the tests: notes the time and ends the worker's loop."""
    RESTS.append(time.monotonic())
    WORKERS[-1].running = False


@pytest.fixture
def resting(settings, monkeypatch):
    RESTS.clear()
    WORKERS.clear()
    settings.JOBS_WORKER_REST = ["tests.jobs.test_rest.record_rest"]
    settings.JOBS_WORKER_REST_SECONDS = 0.4
    given = []
    monkeypatch.setattr(worker_module, "memory_give_back", lambda: given.append(time.monotonic()))
    return given


def _worker():
    worker = worker_module.worker_make(interval=0.05)
    worker.startup_delay = False
    WORKERS.append(worker)
    return worker


def test_after_a_job_the_worker_gives_memory_back_then_rests_once_when_idle(transactional_db, kinds, resting):  # noqa: F811
    job = job_submit(kind="test.count", label="Count", owner=make_user("ayse"), params={"n": 3})
    worker = _worker()
    threading.Timer(10, lambda: setattr(worker, "running", False)).start()  # a bound, should rest not come
    began = time.monotonic()
    worker.run_loop()
    job.refresh_from_db()
    assert job.state == "succeeded"
    assert len(RESTS) == 1, "the worker rested once"
    after_job, at_rest = resting  # memory given back when the job ended, and again at rest
    assert began <= after_job < RESTS[0] - 0.35 and at_rest >= RESTS[0]
    assert Job.objects.count() == 1


def test_a_worker_with_nothing_to_stop_does_not_rest(transactional_db, resting):
    worker = _worker()  # no job has run and nothing was warmed up
    threading.Timer(1.0, lambda: setattr(worker, "running", False)).start()
    worker.run_loop()
    assert RESTS == [] and resting == []


def test_a_warmed_up_worker_rests_even_if_no_job_comes(transactional_db, resting, monkeypatch):
    monkeypatch.setattr(worker_module, "warm_up", lambda: None)
    monkeypatch.setattr(worker_module, "look_around", lambda worker_id: None)
    worker = _worker()
    threading.Timer(10, lambda: setattr(worker, "running", False)).start()
    began = time.monotonic()
    worker.run()
    assert len(RESTS) == 1 and RESTS[0] - began >= 0.4


def test_the_idle_trimmer_gives_memory_back_once_requests_stop(monkeypatch):
    given = []
    monkeypatch.setattr(memory, "memory_give_back", lambda: given.append(time.monotonic()))
    trimmer = memory.IdleTrimmer(quiet=0.3)
    trimmer.start()
    began = time.monotonic()
    for _ in range(5):  # requests 0.1 s apart: never quiet for 0.3 s
        trimmer.busy()
        time.sleep(0.1)
    assert given == []
    time.sleep(0.6)
    assert len(given) == 1 and given[0] - began >= 0.5 + 0.3 - 0.1
    time.sleep(0.5)
    assert len(given) == 1, "nothing more until another request"


def test_memory_give_back_runs_here():
    memory.memory_give_back()  # glibc's malloc_trim where there is one; gc alone elsewhere
    assert memory._libc is None or memory._libc.malloc_trim(0) in (0, 1)
