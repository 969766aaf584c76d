"""`make run` is one command: `manage.py serve` starts the web server and a job worker, the server answers
with a worker seen, and one Ctrl+C stops them all."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_serve_runs_the_server_and_a_worker_and_ctrl_c_stops_both(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path),
           "SECRET_KEY": "s" * 50, "JOBS_BEAT_SECONDS": "0.5"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True,
                   timeout=300)
    port = free_port()
    serve = subprocess.Popen([sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                             start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        health, deadline = None, time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    health = json.loads(answer.read())
                    break
            except urllib.error.HTTPError as refused:  # 503 until the worker has said it is alive
                health = json.loads(refused.read())
            except OSError:
                pass
            time.sleep(0.3)
        assert health == {"status": "ok", "database": "ok", "migrations": "ok", "worker": "ok"}, health
        group = os.getpgid(serve.pid)
        os.killpg(group, signal.SIGINT)  # what Ctrl+C in the terminal does
        assert serve.wait(timeout=30) == 0, serve.stderr.read().decode()[-2000:]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break  # no process of the group is left
            time.sleep(0.3)
        else:
            pytest.fail("a process of `serve` outlived Ctrl+C")
    finally:
        if serve.poll() is None:
            os.killpg(os.getpgid(serve.pid), signal.SIGKILL)
