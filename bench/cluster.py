"""Many servers, one database: two gunicorn servers and two job workers on one PostgreSQL, on this machine,
running together:

* 40 annotators saving spans, each through one of the two servers, one save every 2 s each (--pause; 0:
  as fast as the answers come);
* one import of 100,000 articles through the API (a background job);
* one assignment of 50,000 documents through the API (a background job);
* one JSONL export of everything (every task of the project, open ones too), streamed through the API.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/cluster.py \
        [--articles 100000] [--assign 50000] [--annotators 40] [--pause 2] [--keep]

It checks that every save a server acknowledged is stored exactly once, that the import and the assignment
each ran once (one attempt, one worker, the right counts), and prints the save latency (p50/p95/p99), the
import rate, the assignment time and the export rate. What it made is deleted afterwards unless --keep.
The production layout this models is in docs/deploy.md.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, article, collection_delete, django_setup, machine_reference_ms
from bench.import_api import free_port

CSRF = "c" * 32
GUNICORN_WORKERS = 2  # per server: two servers on two cores


def setup(stamp: int, annotators: int, assign: int):
    """The project: a collection of one document per annotator (their tasks), a collection of `assign`
    documents to assign, the annotators with sessions, and a manager with a token."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from rest_framework.authtoken.models import Token

    from annotate.models import Label, Membership, Role, Task
    from annotate.selection import DocumentFilter
    from annotate.services import project_create, task_open, tasks_assign
    from config.sessions import SessionStore
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    User = get_user_model()
    own = collection_create(slug=f"cluster-own-{stamp}")
    documents_import(collection=own, language="tr",
                     inputs=[memory_input(f"d{i}.jsonl", json.dumps(article(10_000_000 + i, chars=4000)))
                             for i in range(annotators)])
    pool = collection_create(slug=f"cluster-pool-{stamp}")
    payload = "".join(json.dumps(article(20_000_000 + i, chars=800)) + "\n" for i in range(assign))
    started = time.perf_counter()
    report = documents_import(collection=pool, inputs=[memory_input("pool.jsonl", payload)], language="tr",
                              workers=2, max_file_bytes=sys.maxsize)
    assert report.imported == assign, report.summary()
    print(f"setup: {assign:,} documents to assign imported in {time.perf_counter() - started:.0f} s")
    project = project_create(slug=f"cluster-{stamp}", name="Cluster", schema="news-diplomacy",
                             collections=[own, pool], overlap=1)
    manager = User.objects.create(username=f"cluster-{stamp}-manager", is_staff=True)
    Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    token = Token.objects.create(user=manager).key
    users = [User.objects.create(username=f"cluster-{stamp}-{i}") for i in range(annotators)]
    pickers = [User.objects.create(username=f"cluster-{stamp}-pick-{i}") for i in range(2)]
    Membership.objects.bulk_create([Membership(project=project, user=u, role=Role.ANNOTATOR) for u in users + pickers])
    tasks_assign(project=project, annotators=users, selection=DocumentFilter(collections=[own.slug]))
    tasks, cookies = [], []
    for user in users:
        tasks.append(task_open(task=Task.objects.get(project=project, annotator=user), by=user))
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "config.auth_backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    label = Label.objects.get(project=project, name="GPE")
    return {"project": project, "own": own, "pool": pool, "token": token, "users": users, "pickers": pickers,
            "tasks": tasks, "cookies": cookies, "label": label, "manager": manager}


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n" for name, data in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_ready(port: int) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers (503 until a worker has been seen)
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn on {port} did not start")


def call(url: str, token: str, data: bytes | None = None, content_type: str = "application/json") -> dict:
    headers = {"Authorization": f"Token {token}"}
    if data is not None:
        headers["Content-Type"] = content_type
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=600) as response:
        return json.loads(response.read())


def follow(job: dict, token: str) -> dict:
    if "state" not in job:
        raise SystemExit(f"not a job: {job}")
    while job["state"] not in ("succeeded", "failed"):
        time.sleep(0.5)
        job = call(job["url"], token)
    return job


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--assign", type=int, default=50_000)
    parser.add_argument("--annotators", type=int, default=40)
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between one annotator's saves")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database: the cluster is many processes on one.")
    django_setup()

    from annotate.models import Span, Task
    from jobs.models import Job

    print(f"machine reference: {machine_reference_ms()} ms; {os.cpu_count()} cores")
    stamp = int(time.time())
    world = setup(stamp, args.annotators, args.assign)
    # Files of 20,000 articles (~23 MB): each under CORPUS_MAX_FILE_BYTES, all in one upload.
    files = [(f"articles-{first}.jsonl", "".join(json.dumps(article(30_000_000 + i, chars=1000), ensure_ascii=False)
                                                 + "\n" for i in range(first, min(first + 20_000, args.articles))
                                                 ).encode()) for first in range(0, args.articles, 20_000)]
    upload_bytes = sum(len(data) for _name, data in files)
    ports = [free_port(), free_port()]
    # ASSIGN_INLINE_MAX=1000: the assignment is a job at any size given here (50,000 is one anyway).
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING", "CORPUS_IMPORT_WORKERS": "1",
           "ASSIGN_INLINE_MAX": "1000"}
    processes = [subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w",
                                   str(GUNICORN_WORKERS), "--timeout", "300", "--log-level", "warning"],
                                  cwd=ROOT, env=env) for port in ports]
    processes += [subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--worker-id", f"cluster-w{n}",
                                    "--verbosity", "0"], cwd=ROOT, env=env) for n in (1, 2)]
    acknowledged: list[str] = []
    latencies: list[float] = []
    moments: list[float] = []  # when each acknowledged save came back
    assigned_event = threading.Event()
    errors: list[str] = []
    lock, stop = threading.Lock(), threading.Event()
    results: dict = {}
    try:
        for port in ports:
            wait_ready(port)
        base = [f"http://127.0.0.1:{port}" for port in ports]

        def annotate(i: int) -> None:
            rng, task = random.Random(i), world["tasks"][i]
            server = base[i % 2]
            headers = {"Content-Type": "application/json", "X-CSRFToken": CSRF, "Referer": f"{server}/",
                       "Cookie": f"sessionid={world['cookies'][i]}; csrftoken={CSRF}"}
            version = task.version
            next_at = time.perf_counter() + rng.random() * args.pause
            while not stop.is_set():
                if args.pause:  # open loop: the next save is due at its time, however long the last one took
                    stop.wait(max(0.0, next_at - time.perf_counter()))
                    next_at += args.pause
                    if stop.is_set():
                        break
                start = rng.randrange(0, 3900)
                client_id = str(uuid.uuid4())
                body = json.dumps({"op": str(uuid.uuid4()), "version": version, "action": "span.create",
                                   "id": client_id, "label": world["label"].pk, "start": start, "end": start + 5})
                request = urllib.request.Request(f"{server}/annotate/t/{task.pk}/change", body.encode(), headers)
                began = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        version = int(response.headers["X-Task-Version"])
                        response.read()
                except (urllib.error.URLError, OSError) as error:
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                    continue
                with lock:
                    latencies.append((time.perf_counter() - began) * 1000)
                    moments.append(time.time())
                    acknowledged.append(client_id)

        def import_articles() -> None:
            collection = call(f"{base[0]}/api/v1/collections/", world["token"],
                              json.dumps({"slug": f"cluster-import-{stamp}"}).encode())
            body, content_type = multipart(files)
            began = time.perf_counter()
            job = call(f"{base[0]}/api/v1/collections/{collection['slug']}/import", world["token"], body, content_type)
            results["import"] = (follow(job, world["token"]), time.perf_counter() - began)

        def assign() -> None:
            began = time.perf_counter()
            body = json.dumps({"annotators": [u.username for u in world["pickers"]],
                               "collections": [world["pool"].slug]}).encode()
            job = call(f"{base[1]}/api/v1/projects/{world['project'].slug}/assign", world["token"], body)
            results["assign"] = (follow(job, world["token"]), time.perf_counter() - began)
            assigned_event.set()

        def export() -> None:
            assigned_event.wait()  # everything: the assigned tasks too, while the import still runs
            request = urllib.request.Request(f"{base[0]}/api/v1/projects/{world['project'].slug}/export?"
                                             "format=jsonl&status=all",
                                             headers={"Authorization": f"Token {world['token']}"})
            began, records, size = time.perf_counter(), 0, 0
            with urllib.request.urlopen(request, timeout=600) as response:
                for line in response:
                    records += 1
                    size += len(line)
            results["export"] = (records, size, time.perf_counter() - began)

        workers = [threading.Thread(target=annotate, args=(i,)) for i in range(args.annotators)]
        jobs = [threading.Thread(target=f) for f in (import_articles, assign, export)]
        began = time.perf_counter()
        for thread in workers + jobs:
            thread.start()
        for thread in jobs:
            thread.join()
        time.sleep(max(0.0, 30 - (time.perf_counter() - began)))  # saves go on for 30 s at least
        stop.set()
        for thread in workers:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait()

    # Checks: every acknowledged save stored exactly once; each job ran once.
    tasks = [t.pk for t in world["tasks"]]
    stored = list(Span.objects.filter(task_id__in=tasks, client_id__in=acknowledged).values_list("client_id", flat=True))
    problems = []
    if len(stored) != len(acknowledged) or len(set(stored)) != len(stored):
        problems.append(f"{len(acknowledged)} saves acknowledged, {len(stored)} stored ({len(set(stored))} distinct)")
    imported, import_seconds = results["import"]
    assigned, assign_seconds = results["assign"]
    for name, job, expected in (("import", imported, {"imported": args.articles}),
                                ("assignment", assigned, {"created": args.assign})):
        row = Job.objects.get(pk=job["id"])
        from django_tasks_db.models import DBTaskResult

        task = DBTaskResult.objects.get(pk=row.task_id)
        if job["state"] != "succeeded" or row.attempts != 1 or len(task.worker_ids) != 1 or any(
                job["result"].get(k) != v for k, v in expected.items()):
            problems.append(f"{name}: {job['state']}, {row.attempts} attempts, workers {task.worker_ids}, "
                            f"{job.get('result') or job.get('error')}")
    if Task.objects.filter(project=world["project"], collection=world["pool"]).count() != args.assign:
        problems.append("the assignment's tasks are not one per document")
    records, size, export_seconds = results["export"]
    import_job = Job.objects.get(pk=imported["id"])
    job_seconds = (import_job.finished_at - import_job.started_at).total_seconds()
    assign_job = Job.objects.get(pk=assigned["id"])
    print(f"{elapsed:.0f} s: 2 gunicorn servers x {GUNICORN_WORKERS} workers, 2 job workers, one PostgreSQL")
    print(f"  saves: {len(latencies):,} acknowledged by {args.annotators} annotators ({len(latencies) / elapsed:.0f}/s), "
          f"{len(errors)} errors; latency p50 {percentile(latencies, 0.5):.0f} ms, p95 "
          f"{percentile(latencies, 0.95):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms "
          f"(mean {statistics.mean(latencies):.0f})")
    for name, job in (("assignment", assign_job), ("import", import_job)):
        start, end = job.started_at.timestamp(), job.finished_at.timestamp()
        during = [lat for lat, at in zip(latencies, moments, strict=True) if start <= at <= end]
        if during:
            print(f"    while the {name} job ran: {len(during):,} saves, p50 {percentile(during, 0.5):.0f} ms, "
                  f"p95 {percentile(during, 0.95):.0f} ms, p99 {percentile(during, 0.99):.0f} ms")
    print(f"  import: {args.articles:,} articles ({upload_bytes / 1e6:.0f} MB) in {import_seconds:.0f} s from the first "
          f"byte to the report ({args.articles / import_seconds:.0f}/s); the job itself {job_seconds:.0f} s "
          f"({args.articles / job_seconds:.0f}/s)")
    print(f"  assignment: {args.assign:,} documents in {assign_seconds:.1f} s (the job "
          f"{(assign_job.finished_at - assign_job.started_at).total_seconds():.1f} s)")
    print(f"  export: {records:,} records, {size / 1e6:.1f} MB in {export_seconds:.1f} s "
          f"({records / export_seconds:.0f} records/s)")
    print("  checks: " + ("every acknowledged save stored once; the import and the assignment ran once each"
                          if not problems else "FAILED: " + "; ".join(problems)))
    if errors:
        print("  first errors: " + "; ".join(errors[:3]))
    if not args.keep:
        cleanup(world, stamp)
    if problems:
        raise SystemExit(1)


def cleanup(world, stamp) -> None:
    from django.contrib.auth import get_user_model

    from annotate.models import Task
    from corpus.models import Collection

    Task.all_kinds.filter(project=world["project"]).delete()
    world["project"].delete()
    slugs = [world["own"].slug, world["pool"].slug, f"cluster-import-{stamp}"]
    for collection in Collection.objects.filter(slug__in=slugs):
        collection_delete(collection)
    get_user_model().objects.filter(username__startswith=f"cluster-{stamp}").delete()


if __name__ == "__main__":
    main()
