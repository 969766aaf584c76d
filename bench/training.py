"""A training run at the size of issue #34's limits, through HTTP, as in production: gunicorn (3 workers) and
one job worker on a PostgreSQL database created for the run. `../shared/bench/make_corpus.py` writes N
articles of ~3,000 characters with ~20 entity spans each; they are imported as one annotator's submitted sets
(the doccano file, through the API); a manager starts a run from submitted sets through the API; while it
trains, an annotator saves single spans through the annotation page's endpoint, one every SAVE_GAP seconds,
as before the run (idle). Prints one JSON line: the run's seconds and epochs, the job worker's peak memory
(VmHWM), the test F1, the predictions job's seconds, and the save latency idle and during the run.

    .venv/bin/python bench/training.py --n 1000        (needs ../shared; DATABASE_URL names the server to use)
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, django_setup, free_port
from bench.peer import MAKE_CORPUS, PASSWORD, multipart, wait_for

IDLE_SAVES, SAVE_GAP = 200, 0.1


def vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Client:
    def __init__(self, base: str, token: str):
        self.base, self.auth = base, {"Authorization": f"Token {token}"}

    def json(self, path: str, body: dict | None = None, *, raw: bytes | None = None, content_type="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {**self.auth, **({"Content-Type": content_type} if data is not None else {})}
        url = path if path.startswith("http") else self.base + path
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers,
                                                           method="POST" if data is not None else "GET"),
                                    timeout=600) as answer:
            return json.loads(answer.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--max-epochs", type=int, default=None)
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        print(json.dumps({"n": args.n, "skipped": f"{MAKE_CORPUS} is not here (the workload lives in ../shared)"}))
        return
    work = Path(tempfile.mkdtemp(prefix="haber-train-"))
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--n", str(args.n), "--seed", "42", "--out", str(work)],
                   check=True, capture_output=True)
    corpus = work / f"corpus_{args.n}.jsonl"
    import psycopg

    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = f"haber_train_{args.n}_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")), "LOG_LEVEL": "ERROR",
           "VAR_DIR": str(work), "MEDIA_ROOT": str(work / "media"), "API_THROTTLE_USER": "1000000/minute"}
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
        manager = users.objects.create_user("manager", password=PASSWORD, is_staff=True)
        annotator = users.objects.create_user("annotator", password=PASSWORD)
        project = project_create(slug="train", name="Train", schema="news-diplomacy", collections=[], overlap=1)
        for user, role in ((manager, Role.MANAGER), (manager, Role.ANNOTATOR), (annotator, Role.ANNOTATOR)):
            Membership.objects.create(project=project, user=user, role=role)
        client = Client("", Token.objects.create(user=manager).key)
        port = free_port()
        client.base = base = f"http://127.0.0.1:{port}"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{port}",
             "--timeout", "300", "--preload"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        worker = subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--verbosity", "0"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(worker)
        wait_for(base + "/healthz")
        body, content_type = multipart({"format": "doccano", "annotator": "manager", "collection": "train-docs",
                                        "attach_collection": "true"}, corpus.name, corpus.read_bytes())
        job = client.json("/api/v1/projects/train/annotations/import", raw=body, content_type=content_type)
        while job["state"] not in ("succeeded", "failed"):
            time.sleep(0.2)
            job = client.json(job["url"])
        assert job["state"] == "succeeded", job

        # an annotator's task beside the imported sets, and a logged-in browser session for its saves
        tasks_assign(project=project, annotators=[manager, annotator], overlap=2)
        task_id, text = Task.objects.filter(project=project, annotator=annotator).values_list(
            "id", "document__text").first()
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = opener.open(base + "/accounts/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        opener.open(urllib.request.Request(base + "/accounts/login/", data=urllib.parse.urlencode(
            {"username": "annotator", "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode(),
            headers={"Referer": base + "/accounts/login/"}))
        html = opener.open(f"{base}/annotate/t/{task_id}/").read().decode()
        token_header = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        words = [m.span() for m in re.finditer(r"\w+", text)]
        label = project.labels.get(name="PER").pk
        state = {"version": 0, "i": 0}

        def save() -> float:  # a span on the next word, then (next time) its deletion: the task never fills up
            start, end = words[state["i"] % len(words)]
            state["i"] += 1
            change = {"op": str(uuid.uuid4()), "version": state["version"], "action": "span.create",
                      "id": str(uuid.uuid4()), "label": label, "start": start, "end": end}
            request = urllib.request.Request(f"{base}/annotate/t/{task_id}/change", data=json.dumps(change).encode(),
                                             headers={"Content-Type": "application/json", "X-CSRFToken": token_header,
                                                      "HX-Request": "true"}, method="POST")
            started = time.perf_counter()
            with opener.open(request) as answer:
                state["version"] = int(answer.headers["X-Task-Version"])
                answer.read()
            return (time.perf_counter() - started) * 1000

        idle = []
        for _ in range(IDLE_SAVES):
            idle.append(save())
            time.sleep(SAVE_GAP)
        settings = {"max_epochs": args.max_epochs} if args.max_epochs else {}
        started = client.json("/api/v1/projects/train/models/train", {"source": "submitted", "settings": settings})
        train_job, during = started["job"], []
        while train_job["state"] not in ("succeeded", "failed", "cancelled"):
            during.append(save())
            time.sleep(SAVE_GAP)
            train_job = client.json(train_job["url"])
        assert train_job["state"] == "succeeded", train_job
        peak = vm_hwm_mib(worker.pid)
        predict = client.json(f"/api/v1/jobs/{train_job['result']['predict_job']}")
        while predict["state"] not in ("succeeded", "failed", "cancelled"):
            time.sleep(0.5)
            predict = client.json(predict["url"])
        run = client.json("/api/v1/projects/train/models/runs")["runs"][0]

        def seconds(job):
            return round((datetime.fromisoformat(job["finished_at"]) - datetime.fromisoformat(job["started_at"]))
                         .total_seconds(), 1)

        print(json.dumps({
            "n": args.n, "train_words": run["counts"]["train"]["words"], "train_documents": run["counts"]["train"]["documents"],
            "train_seconds": seconds(train_job), "epochs": len(run["curve"]), "stopped": run["settings"].get("stopped"),
            "best_epoch": run["settings"].get("best_epoch"), "epoch_seconds": [e["seconds"] for e in run["curve"]],
            "dev_f1": [e["dev_f1"] for e in run["curve"]], "test_f1": run["test_f1"],
            "entities_test_f1": run["scores"]["layers"]["entities"]["total"]["exact"]["f1"],
            "worker_peak_mib": round(peak), "predict_seconds": seconds(predict),
            "predicted_documents": predict["result"]["documents"],
            "save_ms_idle_p50": round(statistics.median(idle), 1), "save_ms_idle_p95": round(percentile(idle, 0.95), 1),
            "save_ms_training_p50": round(statistics.median(during), 1),
            "save_ms_training_p95": round(percentile(during, 0.95), 1), "saves_during": len(during)}))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
