"""kill -9 in the middle of a 100,000-article import, with real processes on a database of the test's own:
nothing of the import is kept, the next worker marks the job failed, a new import then runs as usual, and
two workers side by side never run the same job twice."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("kill_scenario.py")


def _run(env, *args, timeout=300) -> str:
    result = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def _state(env, job_id, slug="wire") -> dict:
    return json.loads(_run(env, str(SCENARIO), "state", job_id, slug).splitlines()[-1])


def _worker(env, name: str, *more) -> subprocess.Popen:
    # A session of its own: kill -9 reaches the worker and the processes that prepare its articles.
    return subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--worker-id", name, "--interval", "0.2",
                             "--verbosity", "0", *more], env=env, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_worker_fails_the_job(own_database, tmp_path):
    env = own_database
    _run(env, "manage.py", "migrate", "--verbosity", "0")
    job_id = _run(env, str(SCENARIO), "submit", "100000", str(tmp_path)).splitlines()[-1]
    victim = _worker(env, "victim")
    postgres = env["DATABASE_URL"].startswith("postgres")
    deadline, running_since = time.monotonic() + 240, None
    while True:
        assert time.monotonic() < deadline, "the import never got going"
        assert victim.poll() is None, victim.stderr.read().decode()[-3000:]
        state = _state(env, job_id)
        if state["state"] == "running":
            running_since = running_since or time.monotonic()
            # PostgreSQL shows the progress as it goes; SQLite only between transactions (the import holds the
            # write lock), so there the kill comes a few seconds into the import.
            if (postgres and state["done"] >= 5000) or (not postgres and time.monotonic() - running_since > 4):
                break
        time.sleep(0.3)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    after_kill = _state(env, job_id)
    assert after_kill["state"] == "running" and after_kill["documents"] == 0  # all or nothing: nothing
    if postgres:
        assert 5000 <= after_kill["done"] < 100_000 and after_kill["total"] == 100_000

    time.sleep(2.5)  # JOBS_STALE_SECONDS=2: the victim's heartbeat is now older than that
    _run(env, "manage.py", "jobs_worker", "--batch", "--worker-id", "next", "--verbosity", "0")
    failed = _state(env, job_id)
    assert failed["state"] == "failed" and failed["task"] == "FAILED" and failed["documents"] == 0
    assert failed["error"].startswith("The worker running this job stopped before the end (it was killed or "
                                      "crashed)") and failed["attempts"] == 1

    # The database is as it was: an import after it runs to the end.
    again = _run(env, str(SCENARIO), "submit", "3000", str(tmp_path)).splitlines()[-1]
    _run(env, "manage.py", "jobs_worker", "--batch", "--worker-id", "next", "--verbosity", "0")
    assert _state(env, again) | {"error": ""} == {"state": "succeeded", "done": 3000, "total": 3000, "error": "",
                                                  "attempts": 1, "worker": "next", "task": "SUCCESSFUL",
                                                  "documents": 3000}


@pytest.mark.slow
def test_two_workers_side_by_side_run_each_job_once(own_database, tmp_path):
    env = own_database
    _run(env, "manage.py", "migrate", "--verbosity", "0")
    jobs = [_run(env, str(SCENARIO), "submit", "20", str(tmp_path), f"c{n}").splitlines()[-1] for n in range(12)]
    workers = [_worker(env, f"w{n}", "--batch") for n in (1, 2)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read().decode()[-3000:]
    states = [_state(env, job, f"c{n}") for n, job in enumerate(jobs)]
    assert all(s["state"] == "succeeded" and s["attempts"] == 1 and s["documents"] == 20 for s in states), states
    assert {s["worker"] for s in states} <= {"w1", "w2"}
