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


def _left_behind(tmp_path) -> list[str]:
    """The processes still running with this test's VAR_DIR (serve's children inherit its environment)."""
    marker = f"VAR_DIR={tmp_path}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(f"{entry.name} " + (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200])
            except OSError:
                pass
    return found


def _port_answers(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ctrl_c", "sigterm"])
def test_serve_runs_the_server_and_a_worker_and_ctrl_c_or_sigterm_stops_both(tmp_path, how):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path),
           "SECRET_KEY": "s" * 50, "JOBS_BEAT_SECONDS": "0.5"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True,
                   timeout=300)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")  # a file, not a pipe: a child left behind would hold a pipe open
    serve = subprocess.Popen([sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                             start_new_session=True, stdout=subprocess.DEVNULL, stderr=log)
    try:
        health, deadline = None, time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/jobs", timeout=2) as answer:
                    health = json.loads(answer.read())
                    break
            except urllib.error.HTTPError as refused:  # 503 until the worker has said it is alive
                health = json.loads(refused.read())
            except OSError:
                pass
            time.sleep(0.3)
        assert health == {"status": "ok", "database": "ok", "worker": "ok"}, health
        if how == "ctrl_c":
            os.killpg(os.getpgid(serve.pid), signal.SIGINT)  # what Ctrl+C in the terminal does
        else:
            serve.send_signal(signal.SIGTERM)  # what a process manager does: to serve alone
        assert serve.wait(timeout=30) == 0, (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
        deadline = time.monotonic() + 15
        while _left_behind(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _left_behind(tmp_path) == [], f"processes of `serve` outlived {how}"
        assert not _port_answers(port), f"something still serves the port after {how}"
    finally:
        if serve.poll() is None:
            os.killpg(os.getpgid(serve.pid), signal.SIGKILL)
        for line in _left_behind(tmp_path):  # never leave a server behind, even when the test failed
            os.kill(int(line.split(" ", 1)[0]), signal.SIGKILL)


def _worker_pids(tmp_path) -> list[int]:
    return [int(line.split(" ", 1)[0]) for line in _left_behind(tmp_path) if "jobs_worker" in line]


@pytest.mark.slow
def test_serve_starts_a_child_again_when_it_dies_and_keeps_the_other(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path),
           "SECRET_KEY": "s" * 50, "JOBS_BEAT_SECONDS": "0.5"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True,
                   timeout=300)
    port = free_port()
    log_path = tmp_path / "serve.log"
    serve = subprocess.Popen([sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                             start_new_session=True, stdout=subprocess.DEVNULL, stderr=log_path.open("wb"))
    try:
        deadline = time.monotonic() + 60
        while not (_worker_pids(tmp_path) and _port_answers(port)) and time.monotonic() < deadline:
            time.sleep(0.3)
        (first,) = _worker_pids(tmp_path)
        os.kill(first, signal.SIGKILL)  # the worker dies: not a stop asked for
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and [p for p in _worker_pids(tmp_path) if p != first] == []:
            time.sleep(0.3)
        assert [p for p in _worker_pids(tmp_path) if p != first], log_path.read_text(errors="replace")[-2000:]
        assert serve.poll() is None and _port_answers(port)  # the web server never stopped
        assert "serve: the job worker stopped (exit code -9)" in log_path.read_text(errors="replace")
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0
    finally:
        if serve.poll() is None:
            os.killpg(os.getpgid(serve.pid), signal.SIGKILL)
        for line in _left_behind(tmp_path):
            os.kill(int(line.split(" ", 1)[0]), signal.SIGKILL)
