"""PostgreSQL stopped and started under a job worker and a web server, real processes all (#29, item 1 and 2):
the worker outlives an outage while idle and one in the middle of an import, fails the import it was running
with a message (nothing of it kept), then runs new jobs without a hand; the web server answers 503 with
Retry-After while the database is away and serves again once it is back."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.jobs.test_serve import free_port

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("kill_scenario.py")

pytestmark = pytest.mark.slow


def _env(cluster, tmp_path):
    return {**os.environ, "DATABASE_URL": cluster.url, "VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 50,
            "LOG_LEVEL": "WARNING", "JOBS_HEARTBEAT_SECONDS": "0.3", "JOBS_BEAT_SECONDS": "0.5",
            "JOBS_STALE_SECONDS": "30"}


def _run(env, *args, timeout=300) -> str:
    result = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def _state(env, job_id, slug) -> dict:
    return json.loads(_run(env, str(SCENARIO), "state", job_id, slug).splitlines()[-1])


def _wait(env, job_id, slug, until, timeout=240) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = _state(env, job_id, slug)
        if until(state):
            return state
        assert time.monotonic() < deadline, state
        time.sleep(0.5)


def test_the_worker_outlives_outages_idle_and_mid_import_and_runs_new_jobs_after(cluster, tmp_path):
    env = _env(cluster, tmp_path)
    _run(env, "manage.py", "migrate", "--verbosity", "0")
    log = tmp_path / "worker.log"
    worker = subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--worker-id", "w1", "--interval", "0.2"],
                              env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=log.open("wb"))
    try:
        time.sleep(2)
        # An outage while the worker waits for work.
        cluster.stop()
        time.sleep(4)
        assert worker.poll() is None, log.read_text()[-3000:]
        cluster.start()
        job = _run(env, str(SCENARIO), "submit", "300", str(tmp_path), "before").splitlines()[-1]
        state = _wait(env, job, "before", lambda s: s["state"] in ("succeeded", "failed"))
        assert (state["state"], state["documents"]) == ("succeeded", 300), state

        # An outage in the middle of an import: the import is failed with a message and leaves nothing.
        job = _run(env, str(SCENARIO), "submit", "60000", str(tmp_path), "cut").splitlines()[-1]
        _wait(env, job, "cut", lambda s: s["state"] == "running" and s["done"] >= 2000)
        cluster.stop()
        time.sleep(3)
        assert worker.poll() is None, log.read_text()[-3000:]
        cluster.start()
        state = _wait(env, job, "cut", lambda s: s["state"] != "running", timeout=60)
        assert state["state"] == "failed" and state["task"] == "FAILED", state
        assert "database could not be reached while this job ran" in state["error"], state
        assert state["documents"] == 0  # rolled back: no half import

        # And then it works as before, without a restart by hand.
        job = _run(env, str(SCENARIO), "submit", "200", str(tmp_path), "after").splitlines()[-1]
        state = _wait(env, job, "after", lambda s: s["state"] in ("succeeded", "failed"))
        assert (state["state"], state["documents"]) == ("succeeded", 200), state
        assert worker.poll() is None
        text = log.read_text()
        assert "the database cannot be reached" in text and "the database answers again" in text, text[-3000:]
    finally:
        worker.kill()
        worker.wait(timeout=30)


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read().decode()


def test_the_web_server_answers_503_while_the_database_is_away(cluster, tmp_path):
    env = _env(cluster, tmp_path)
    _run(env, "manage.py", "migrate", "--verbosity", "0")
    port = free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=(tmp_path / "web.log").open("wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()[-2000:]
            time.sleep(0.3)
        token = {"Authorization": "Token " + "a" * 40}
        assert _get(base + "/api/v1/projects/", **token)[0] == 401  # a wrong token, with the database up
        cluster.stop()
        # (A page that needs nothing from the database, such as the login form, is still served.)
        for path, headers in (("/api/v1/projects/", token), ("/", {"Cookie": "sessionid=" + "s" * 32}),
                              ("/healthz", {})):
            status, answer_headers, body = _get(base + path, **headers)
            assert status == 503 and answer_headers.get("Retry-After") == "5", (path, status, body[:300])
        cluster.start()
        assert _get(base + "/api/v1/projects/", **token)[0] == 401  # back without a restart
    finally:
        server.kill()
        server.wait(timeout=30)
