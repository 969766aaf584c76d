"""The side-by-side workload (#33), through HTTP, on a PostgreSQL database created for the run (never analysed
by hand): `../shared/bench/make_corpus.py` writes N articles with ~20 spans each in doccano's JSONL; a user
migrating from doccano imports that file as it is through the API until the job has succeeded; then the
whole project is exported as JSONL through the API; then an annotator saves single spans through the
annotation page's own endpoint and loads annotation pages, one after the other. gunicorn (3 workers) and one
job worker serve it, as in production; at the end, their memory while idle (proportional set size).

    .venv/bin/python bench/peer.py --n 1000        (needs ../shared; DATABASE_URL names the server to use)

Prints one JSON line of figures. The database is dropped afterwards."""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, django_setup, free_port

MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
PASSWORD = "bench-peer-pw"
SAVES, PAGES = 200, 100


def multipart(fields: dict, name: str, payload: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
             for k, v in fields.items()]
    parts.append((f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                  "Content-Type: application/octet-stream\r\n\r\n").encode() + payload + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def pss_mib(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def descendants(pid: int) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry.name))
                        frontier.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    pass
    return found


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers at {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed) to study")
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        print(json.dumps({"n": args.n, "skipped": f"{MAKE_CORPUS} is not here (the workload lives in ../shared)"}))
        return
    work = Path(tempfile.mkdtemp(prefix="haber-peer-"))
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--n", str(args.n), "--seed", "42", "--out", str(work)],
                   check=True, capture_output=True)
    corpus = work / f"corpus_{args.n}.jsonl"

    import psycopg

    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = f"haber_peer_{args.n}_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")), "LOG_LEVEL": "ERROR",
           "VAR_DIR": str(work), "API_THROTTLE_USER": "1000000/minute"}
    os.environ.update(env)
    processes = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        django_setup()
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        from annotate.models import Membership, Role, Task
        from annotate.services import project_create, tasks_assign

        users = get_user_model()
        migrant = users.objects.create_user("migrant", password=PASSWORD, is_staff=True)
        annotator = users.objects.create_user("annotator", password=PASSWORD)
        token = Token.objects.create(user=migrant).key
        project = project_create(slug="peer", name="Peer", schema="news-diplomacy", collections=[], overlap=1)
        Membership.objects.create(project=project, user=migrant, role=Role.MANAGER)
        Membership.objects.create(project=project, user=migrant, role=Role.ANNOTATOR)
        Membership.objects.create(project=project, user=annotator, role=Role.ANNOTATOR)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{port}",
             "--timeout", "300", *(["--preload"] if os.environ.get("BENCH_PRELOAD", "1") == "1" else [])], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        processes.append(subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--verbosity", "0"],
                                          cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for(base + "/healthz")
        time.sleep(2)
        figures = {"n": args.n}

        # --- import: the doccano file as it is, until the job has succeeded
        auth = {"Authorization": f"Token {token}"}
        body, content_type = multipart({"format": "doccano", "annotator": "migrant", "collection": "peer-docs",
                                        "attach_collection": "true"}, corpus.name, corpus.read_bytes())
        started = time.perf_counter()
        request = urllib.request.Request(base + "/api/v1/projects/peer/annotations/import", data=body,
                                         headers={**auth, "Content-Type": content_type}, method="POST")
        with urllib.request.urlopen(request, timeout=600) as answer:
            job = json.loads(answer.read())
        while job["state"] not in ("succeeded", "failed"):
            time.sleep(0.05)
            url = job["url"] if job["url"].startswith("http") else base + job["url"]
            with urllib.request.urlopen(urllib.request.Request(url, headers=auth)) as answer:
                job = json.loads(answer.read())
        seconds = time.perf_counter() - started
        assert job["state"] == "succeeded" and job["result"]["imported"] == args.n, job
        figures["import_docs_per_s"] = round(args.n / seconds, 1)
        figures["import_seconds"] = round(seconds, 2)

        # --- export: all of it, JSONL, three times (the first on a gunicorn worker that has served nothing)
        first_bytes, rates = [], []
        for _ in range(3):
            started = time.perf_counter()
            request = urllib.request.Request(base + "/api/v1/projects/peer/export?format=jsonl", headers=auth)
            with urllib.request.urlopen(request, timeout=600) as answer:
                first = answer.read(1)
                first_bytes.append((time.perf_counter() - started) * 1000)
                lines = (first + answer.read()).count(b"\n")
            rates.append(args.n / (time.perf_counter() - started))
            assert lines == args.n, lines
        figures["export_first_byte_ms"] = round(statistics.median(first_bytes), 1)
        figures["export_first_byte_ms_max"] = round(max(first_bytes), 1)
        figures["export_docs_per_s"] = round(statistics.median(rates), 1)

        # --- the annotation page and a span save, as an annotator's browser sends them
        tasks_assign(project=project, annotators=[migrant, annotator], overlap=2)  # beside the imported sets
        tasks = list(Task.objects.filter(project=project, annotator=annotator).order_by("id")
                     .values_list("id", "document__text"))
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = opener.open(base + "/accounts/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        opener.open(urllib.request.Request(base + "/accounts/login/", data=urllib.parse.urlencode(
            {"username": "annotator", "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode(),
            headers={"Referer": base + "/accounts/login/"}))
        page_ms = []
        for task_id, _text in tasks[:PAGES]:
            started = time.perf_counter()
            html = opener.open(f"{base}/annotate/t/{task_id}/").read().decode()
            page_ms.append((time.perf_counter() - started) * 1000)
        token_header = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        task_id, text = tasks[min(PAGES, len(tasks) - 1)]  # a task no page load above has opened
        words = [m.span() for m in re.finditer(r"\w+", text)][:SAVES]  # Python counts code points, as we do
        label = project.labels.get(name="PER").pk
        save_ms, version = [], 0
        for start, end in words:
            change = {"op": str(uuid.uuid4()), "version": version, "action": "span.create", "id": str(uuid.uuid4()),
                      "label": label, "start": start, "end": end}
            request = urllib.request.Request(f"{base}/annotate/t/{task_id}/change", data=json.dumps(change).encode(),
                                             headers={"Content-Type": "application/json", "X-CSRFToken": token_header,
                                                      "HX-Request": "true"}, method="POST")
            started = time.perf_counter()
            with opener.open(request) as answer:
                version = int(answer.headers["X-Task-Version"])
                answer.read()
            save_ms.append((time.perf_counter() - started) * 1000)
        figures["page_ms_p50"] = round(statistics.median(page_ms), 1)
        figures["save_ms_p50"] = round(statistics.median(save_ms), 1)

        # --- idle memory: gunicorn's master and workers, and the job worker with its helpers
        time.sleep(3)
        pids = [p.pid for p in processes] + [d for p in processes for d in descendants(p.pid)]
        figures["idle_pss_mib"] = round(pss_mib(pids), 1)
        print(json.dumps(figures))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)
        if args.keep:
            print(f"kept: {env['DATABASE_URL']}", file=sys.stderr)
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
