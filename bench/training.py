"""A training run at the size of issue #34's limits, through HTTP, as in production: gunicorn (3 workers) and
one job worker on a PostgreSQL database created for the run. `../shared/bench/make_corpus.py` writes N
articles of ~3,000 characters with ~20 entity spans each; they are imported as one annotator's submitted sets
(the doccano file, through the API); a manager starts a run from submitted sets through the API; while it
trains, an annotator saves single changes through the annotation page's endpoint (a span, then its
deletion), one every SAVE_GAP seconds, as before the run (idle). Prints one JSON line: the run's seconds and epochs, the job worker's peak memory
(VmHWM), the test F1, the predictions job's seconds, and the save latency idle and during the run.

    .venv/bin/python bench/training.py --n 1000        (needs ../shared; DATABASE_URL names the server to use)
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.stack import (
    MAKE_CORPUS,
    PASSWORD,
    SpanSaves,
    browser_session,
    fresh_database,
    job_done,
    multipart,
    served,
    workload,
)

IDLE_SAVES, SAVE_GAP = 200, 0.1


def vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def api(base: str, auth: dict, path: str, body: dict | None = None, *, raw: bytes | None = None,
        content_type: str = "application/json") -> dict:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    headers = {**auth, **({"Content-Type": content_type} if data is not None else {})}
    url = path if path.startswith("http") else base + path
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers,
                                                       method="POST" if data is not None else "GET"),
                                timeout=600) as answer:
        return json.loads(answer.read())


def seconds(job: dict) -> float:
    return round((datetime.fromisoformat(job["finished_at"]) - datetime.fromisoformat(job["started_at"]))
                 .total_seconds(), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--max-epochs", type=int, default=None)
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        print(json.dumps({"n": args.n, "skipped": f"{MAKE_CORPUS} is not here (the workload lives in ../shared)"}))
        return
    work, corpus = workload(args.n, "haber-train-")
    with fresh_database(f"haber_train_{args.n}_{os.getpid()}", work, MEDIA_ROOT=str(work / "media")) as env:
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
        auth = {"Authorization": f"Token {Token.objects.create(user=manager).key}"}
        with served(env) as (base, (_gunicorn, worker)):
            body, content_type = multipart({"format": "doccano", "annotator": "manager", "collection": "train-docs",
                                            "attach_collection": "true"}, corpus.name, corpus.read_bytes())
            job = api(base, auth, "/api/v1/projects/train/annotations/import", raw=body, content_type=content_type)
            assert job_done(base, auth, job, every=0.2)["state"] == "succeeded"

            # an annotator's task beside the imported sets, and their browser session for its saves (a span on
            # the next word, then its deletion, and so on)
            tasks_assign(project=project, annotators=[manager, annotator], overlap=2)
            task_id, text = Task.objects.filter(project=project, annotator=annotator).values_list(
                "id", "document__text").first()
            saves = SpanSaves(browser_session(base, "annotator"), base, task_id, text,
                              project.labels.get(name="PER").pk)

            idle = []
            for _ in range(IDLE_SAVES):
                idle.append(saves.toggle())
                time.sleep(SAVE_GAP)
            settings = {"max_epochs": args.max_epochs} if args.max_epochs else {}
            started = api(base, auth, "/api/v1/projects/train/models/train",
                          {"source": "submitted", "settings": settings})
            train_job, during = started["job"], []
            while train_job["state"] not in ("succeeded", "failed", "cancelled"):
                during.append(saves.toggle())
                time.sleep(SAVE_GAP)
                train_job = api(base, auth, train_job["url"])
            assert train_job["state"] == "succeeded", train_job
            peak = vm_hwm_mib(worker.pid)
            predict = job_done(base, auth, api(base, auth, f"/api/v1/jobs/{train_job['result']['predict_job']}"),
                               every=0.5)
            run = api(base, auth, "/api/v1/projects/train/models/runs")["runs"][0]
        print(json.dumps({
            "n": args.n, "train_words": run["counts"]["train"]["words"],
            "train_documents": run["counts"]["train"]["documents"], "train_seconds": seconds(train_job),
            "epochs": len(run["curve"]), "stopped": run["settings"].get("stopped"),
            "best_epoch": run["settings"].get("best_epoch"), "epoch_seconds": [e["seconds"] for e in run["curve"]],
            "dev_f1": [e["dev_f1"] for e in run["curve"]], "test_f1": run["test_f1"],
            "entities_test_f1": run["scores"]["layers"]["entities"]["total"]["exact"]["f1"],
            "worker_peak_mib": round(peak), "predict_seconds": seconds(predict),
            "predicted_documents": predict["result"]["documents"],
            "save_ms_idle_p50": round(statistics.median(idle), 1), "save_ms_idle_p95": round(percentile(idle, 0.95), 1),
            "save_ms_training_p50": round(statistics.median(during), 1),
            "save_ms_training_p95": round(percentile(during, 0.95), 1), "saves_during": len(during)}))


if __name__ == "__main__":
    main()
