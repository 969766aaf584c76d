"""gunicorn with config/gunicorn.py and GUNICORN_JOB_WORKERS=1, as real processes on a database of the test's
own: the job worker forked from the master runs an import (its article workers from the fork server), rests
once idle (the fork server stopped), is started again when killed, and leaves with gunicorn."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.jobs.test_serve import free_port

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "tests" / "faults" / "kill_scenario.py"


def _tree(root: int) -> dict[int, str]:
    """Every descendant of `root`: pid → its name (comm) and command line."""
    children: dict[int, list[int]] = {}
    names = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                names[int(entry.name)] = ((entry / "comm").read_text().strip() + " "
                                          + (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, frontier = {}, [root]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child in names:
                found[child] = names[child]
                frontier.append(child)
    return found


def _named(tree: dict[int, str], word: str) -> list[int]:
    return [pid for pid, name in tree.items() if word in name]


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds} s")


def _run(env, *args) -> str:
    result = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


@pytest.mark.slow
def test_the_job_worker_forked_from_gunicorn_runs_jobs_rests_comes_back_and_leaves_with_it(own_database, tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the process tree is read from /proc")
    env = {**own_database, "GUNICORN_JOB_WORKERS": "1", "JOBS_WORKER_REST_SECONDS": "2", "CORPUS_IMPORT_WORKERS": "2"}
    _run(env, "manage.py", "migrate", "--verbosity", "0")
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi",
                               "--workers", "2", "--bind", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                              start_new_session=True, stdout=log, stderr=log)
    try:
        def jobs_seen():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/jobs", timeout=2) as answer:
                    return json.loads(answer.read())
            except OSError:
                return None

        _wait(jobs_seen, 60, "gunicorn answers and a job worker says it is alive")
        tree = _tree(server.pid)
        (first,) = _named(tree, "jobs-worker")
        assert len(_named(tree, "jobs-supervisor")) == 1 and len(_named(tree, "jobs-worker")) == 1, tree
        # the two web workers beside them
        _wait(lambda: len(_named(_tree(server.pid), "gunicorn")) == 2 + 2, 30, "two web workers")

        # An import of 1,200 articles: more than a batch, so its articles are prepared by the fork server's workers.
        job_id = _run(env, str(SCENARIO), "submit", "1200", str(tmp_path)).splitlines()[-1]

        state = _wait(lambda: _finished(env, job_id, "wire"), 180, "the import ends")
        assert state["state"] == "succeeded" and state["documents"] == 1200, state

        # Idle for JOBS_WORKER_REST_SECONDS: the fork server (with its tokenizers and language model) is gone,
        # and the job worker has left for a fresh copy of the supervisor, which does not start it again.
        _wait(lambda: not _named(_tree(server.pid), "forkserver"), 30, "the fork server stops once idle")
        renewed = _wait(lambda: [p for p in _named(_tree(server.pid), "jobs-worker") if p != first], 30,
                        "a fresh job worker replaces the rested one")
        time.sleep(3)
        assert not _named(_tree(server.pid), "forkserver") and _named(_tree(server.pid), "jobs-worker") == renewed

        # It runs jobs as the first did (its article workers from a fork server started again).
        job_id = _run(env, str(SCENARIO), "submit", "1200", str(tmp_path), "again").splitlines()[-1]
        state = _wait(lambda: _finished(env, job_id, "again"), 180, "the second import ends")
        assert state["state"] == "succeeded" and state["documents"] == 1200, state

        # A job worker killed is replaced.
        (victim,) = _named(_tree(server.pid), "jobs-worker")
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: [p for p in _named(_tree(server.pid), "jobs-worker") if p != victim], 30,
              "the supervisor starts a new job worker")
        assert _wait(jobs_seen, 30, "gunicorn still answers")

        # gunicorn stops: so do the job workers and their supervisor.
        everyone = set(_tree(server.pid))
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        _wait(lambda: not any(Path(f"/proc/{pid}").exists() and "zombie" not in _status(pid) for pid in everyone),
              60, "every process of the tree leaves with gunicorn")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _finished(env, job_id: str, slug: str):
    state = json.loads(_run(env, str(SCENARIO), "state", job_id, slug).splitlines()[-1])
    return state if state["state"] in ("succeeded", "failed") else None


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"
