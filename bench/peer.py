"""The side-by-side workload (#33), through HTTP, on a PostgreSQL database created for the run (never analysed
by hand): `../shared/bench/make_corpus.py` writes N articles with ~20 spans each in doccano's JSONL; a user
migrating from doccano imports that file as it is through the API until the job has succeeded; then the
whole project is exported as JSONL through the API; then an annotator saves single spans through the
annotation page's own endpoint and loads annotation pages, one after the other. gunicorn (3 workers) and one
job worker serve it, as in production (the job worker forked from gunicorn's master, config/gunicorn.py;
--separate-jobs-worker for a `manage.py jobs_worker` of its own); at the end, their memory while idle
(proportional set size), once the job worker has rested (JOBS_WORKER_REST_SECONDS after its last job).

    .venv/bin/python bench/peer.py --n 1000        (needs ../shared; DATABASE_URL names the server to use)

Prints one JSON line of figures. The database is dropped afterwards."""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
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

SAVES, PAGES = 200, 100


def pss_by_process(pids) -> dict[str, float]:
    """Each process's proportional set size in MiB, named by what it is (gunicorn, jobs_worker, forkserver…)."""
    found: dict[str, float] = {}
    for pid in pids:
        try:
            kib = sum(int(line.split()[1]) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                      if line.startswith("Pss:"))
            command = Path(f"/proc/{pid}/comm").read_text().strip() + " " + \
                Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        role = next((name for name in ("jobs-supervisor", "jobs-worker", "gunicorn", "jobs_worker", "forkserver",
                                       "resource_tracker") if name in command), "other")
        name = f"{role} {pid}"
        found[name] = round(kib / 1024, 1)
    return found


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--separate-jobs-worker", action="store_true",
                        help="a `manage.py jobs_worker` of its own, not forked from gunicorn's master")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed) to study")
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        print(json.dumps({"n": args.n, "skipped": f"{MAKE_CORPUS} is not here (the workload lives in ../shared)"}))
        return
    work, corpus = workload(args.n, "haber-peer-")
    with fresh_database(f"haber_peer_{args.n}_{os.getpid()}", work, keep=args.keep) as env:
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

        with served(env, preload=os.environ.get("BENCH_PRELOAD", "1") == "1",
                    forked_jobs=not args.separate_jobs_worker) as (base, processes):
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
                job = job_done(base, auth, json.loads(answer.read()))
            seconds = time.perf_counter() - started
            last_job = time.monotonic()
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
            opener = browser_session(base, "annotator")
            page_ms = []
            for task_id, _text in tasks[:PAGES]:
                started = time.perf_counter()
                opener.open(f"{base}/annotate/t/{task_id}/").read()
                page_ms.append((time.perf_counter() - started) * 1000)
            task_id, text = tasks[min(PAGES, len(tasks) - 1)]  # a task none of the timed page loads opened
            saves = SpanSaves(opener, base, task_id, text, project.labels.get(name="PER").pk)
            save_ms = [saves.create() for _ in range(min(SAVES, len(saves.words)))]  # each on a word of its own
            figures["page_ms_p50"] = round(statistics.median(page_ms), 1)
            figures["save_ms_p50"] = round(statistics.median(save_ms), 1)

            # --- idle memory: gunicorn's master and workers, and the job worker with what is left of its
            # helpers once it has rested (JOBS_WORKER_REST_SECONDS after its last job: the import's)
            from django.conf import settings

            time.sleep(max(3.0, last_job + settings.JOBS_WORKER_REST_SECONDS + 3 - time.monotonic()))
            pids = [p.pid for p in processes] + [d for p in processes for d in descendants(p.pid)]
            figures["idle_pss_by_process"] = pss_by_process(pids)
            figures["idle_pss_mib"] = round(sum(figures["idle_pss_by_process"].values()), 1)
            print(json.dumps(figures))

if __name__ == "__main__":
    main()
