"""What the through-HTTP benches share (bench/peer.py, bench/training.py): the peer workload written to a
temporary folder, a PostgreSQL database made for the run and dropped after it, gunicorn (3 workers,
--preload) and one job worker serving it, an annotator's browser session, and single span saves through the
annotation page's own endpoint."""

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, django_setup, free_port

MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
PASSWORD = "bench-peer-pw"


def workload(n: int, prefix: str) -> tuple[Path, Path]:
    """(the run's folder, the doccano file of n articles that make_corpus.py writes there)."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--n", str(n), "--seed", "42", "--out", str(work)],
                   check=True, capture_output=True)
    return work, work / f"corpus_{n}.jsonl"


@contextlib.contextmanager
def fresh_database(name: str, work: Path, *, keep: bool = False, **environment):
    """A database `name` on DATABASE_URL's server, migrated, with os.environ pointing at it (and at `work`
    for files) and Django set up; dropped afterwards (unless `keep`), with `work`. Yields the environment."""
    import psycopg

    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")), "LOG_LEVEL": "ERROR",
           "VAR_DIR": str(work), "API_THROTTLE_USER": "1000000/minute", **environment}
    os.environ.update(env)
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        django_setup()
        yield env
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)
        if keep:
            print(f"kept: {env['DATABASE_URL']}", file=sys.stderr)
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers at {url}")


@contextlib.contextmanager
def served(env: dict, *, preload: bool = True, forked_jobs: bool = False):
    """gunicorn (3 workers) and one job worker on the database of `env`: yields (base URL, [gunicorn, worker])
    once the server answers; both stopped afterwards. forked_jobs: the job worker forked from gunicorn's
    master (config/gunicorn.py, GUNICORN_JOB_WORKERS=1) rather than a `manage.py jobs_worker` of its own."""
    port = free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{port}",
                "--timeout", "300"]
    if forked_jobs:
        gunicorn[3:3] = ["-c", "config/gunicorn.py"]
    elif preload:
        gunicorn.append("--preload")
    processes = [subprocess.Popen(gunicorn, cwd=ROOT, env={**env, "GUNICORN_JOB_WORKERS": "1" if forked_jobs else "0"},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    if not forked_jobs:
        processes.append(subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--verbosity", "0"],
                                          cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        yield base, processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def multipart(fields: dict, name: str, payload: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + payload + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def job_done(base: str, auth: dict, job: dict, *, every: float = 0.05) -> dict:
    """Poll a job (as the API's 202 gave it) until it has ended; the job as it ended."""
    while job["state"] not in ("succeeded", "failed", "cancelled"):
        time.sleep(every)
        url = job["url"] if job["url"].startswith("http") else base + job["url"]
        with urllib.request.urlopen(urllib.request.Request(url, headers=auth)) as answer:
            job = json.loads(answer.read())
    return job


def browser_session(base: str, username: str):
    """An opener logged in as `username` (PASSWORD) through the login page, as a browser is."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login = opener.open(base + "/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    opener.open(urllib.request.Request(base + "/accounts/login/", data=urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode(),
        headers={"Referer": base + "/accounts/login/"}))
    return opener


class SpanSaves:
    """Single changes to one task through the annotation page's endpoint, as its script sends them: create()
    marks the next word of the text (code points, as the server counts), delete() takes the last mark away,
    toggle() does one or the other.
    Each returns the milliseconds the request took."""

    def __init__(self, opener, base: str, task_id: int, text: str, label: int):
        self.opener, self.url, self.label = opener, f"{base}/annotate/t/{task_id}/change", label
        html = opener.open(f"{base}/annotate/t/{task_id}/").read().decode()
        self.csrf = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        self.words = [m.span() for m in re.finditer(r"\w+", text)]
        self.version, self.next, self.last = 0, 0, None

    def _send(self, change: dict) -> float:
        request = urllib.request.Request(self.url, data=json.dumps({"op": str(uuid.uuid4()), "version": self.version,
                                                                    **change}).encode(),
                                         headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf,
                                                  "HX-Request": "true"}, method="POST")
        started = time.perf_counter()
        with self.opener.open(request) as answer:
            self.version = int(answer.headers["X-Task-Version"])
            answer.read()
        return (time.perf_counter() - started) * 1000

    def create(self) -> float:
        start, end = self.words[self.next % len(self.words)]
        self.next += 1
        self.last = str(uuid.uuid4())
        return self._send({"action": "span.create", "id": self.last, "label": self.label, "start": start, "end": end})

    def delete(self) -> float:
        ms = self._send({"action": "span.delete", "id": self.last})
        self.last = None
        return ms

    def toggle(self) -> float:
        """A mark on the next word, or the last mark's deletion if there is one: the task never fills up."""
        return self.create() if self.last is None else self.delete()
