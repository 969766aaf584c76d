"""The annotation page's speed: render and save on a 10,000-character article with 300 spans and 30
events, then span saves per second from 8 concurrent clients against gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/annotation_page.py

Everything goes through the real views (Django's test client in process for the medians, HTTP to a
gunicorn started here for the throughput). Leaves no data behind.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, collection_delete, django_setup, machine_reference_ms

CLIENTS = 8
# As README.md recommends: one more than the cores (3 here); 4 and 6 were measured slower on 2 cores.
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str((os.cpu_count() or 1) + 1)))
SECONDS = 10
PORT = 8765
CSRF = "b" * 32  # an unmasked token: the cookie and the header carry the same value
WORDS = ["Xi", "Jinping", "Vladimir", "Putin", "Pekin'de", "bir", "araya", "geldi", "Dışişleri", "Bakanı", "salı", "günü",
         "görüştü", "REKLAM"]


def setup(clients: int):
    from django.contrib.auth import get_user_model

    from annotate.models import Event, EventArgument, EventRole, Label, Membership, Role, Span, Task
    from annotate.services import project_create, task_open, tasks_assign
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    rng = random.Random(1)
    stamp = int(time.time())
    collection = collection_create(slug=f"bench-page-{stamp}")
    texts = []
    for n in range(clients):
        text = ""
        while len(text) < 10_000:
            text += " ".join(rng.choice(WORDS) for _ in range(12)) + f" {n}.\n"
        texts.append(text[:10_000])
    documents_import(collection=collection, inputs=[memory_input(f"d{i}.txt", t) for i, t in enumerate(texts)], language="tr")
    project = project_create(slug=f"bench-page-{stamp}", name="Bench page", schema="news-diplomacy", collections=[collection], overlap=1)
    User = get_user_model()
    users = [User.objects.create(username=f"bench-page-{stamp}-{i}") for i in range(clients)]
    Membership.objects.bulk_create([Membership(project=project, user=u, role=Role.ANNOTATOR) for u in users])
    tasks_assign(project=project, annotators=users)
    labels = {lab.name: lab for lab in Label.objects.filter(project=project)}
    participant = EventRole.objects.get(event_type=labels["MEETING"], name="participant")
    tasks = []
    for user in users:
        task = task_open(task=Task.objects.get(project=project, annotator=user), by=user)
        starts = sorted(rng.sample(range(0, 9_900), 300))
        spans = Span.objects.bulk_create([Span(task=task, label=labels[rng.choice(["PER", "GPE", "ORG"])], start=s,
                                               end=s + rng.randint(3, 40)) for s in starts])
        events = Event.objects.bulk_create([Event(task=task, event_type=labels["MEETING"], start=s + 1, end=s + 6) for s in starts[::10]])
        EventArgument.objects.bulk_create([EventArgument(event=e, role=participant, span=spans[i]) for i, e in enumerate(events)])
        tasks.append(task)
    return project, collection, users, tasks, labels


def body(task, version, label, rng):
    start = rng.randrange(0, 9_900)
    return {"op": str(uuid.uuid4()), "version": version, "action": "span.create", "id": str(uuid.uuid4()),
            "label": label.pk, "start": start, "end": start + 5}


def _machine_busy() -> float:
    """CPU seconds the whole machine spent not idle (from /proc/stat)."""
    fields = list(map(int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]))
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    return sum(os.times()[:2])


def _gunicorn_cpu() -> float:
    """CPU seconds of every gunicorn process (the master and its workers)."""
    total = 0.0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"gunicorn" in (proc / "cmdline").read_bytes():
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return total


def main() -> None:
    django_setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.test import Client

    from annotate.models import Task
    from config.sessions import SessionStore

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]
    project, collection, users, tasks, labels = setup(CLIENTS)
    rng = random.Random(2)
    task, user = tasks[0], users[0]
    client = Client()
    client.force_login(user)
    url = task.get_absolute_url()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    client.get(url)  # warm the schema cache, as any page view after the first does
    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    renders = []
    for _ in range(30):
        started = time.perf_counter()
        client.get(url)
        renders.append((time.perf_counter() - started) * 1000)
    print(f"{connection.vendor}: page with 300 spans and 30 events, 10,000 characters "
          f"(machine reference: {machine_reference_ms()} ms)")
    print(f"  render (GET, whole page): median {statistics.median(renders):.1f} ms, {len(queries)} queries")
    saves = []
    for _ in range(40):
        version = Task.objects.get(pk=task.pk).version
        payload = json.dumps(body(task, version, labels["PER"], rng))
        started = time.perf_counter()
        response = client.post(f"/annotate/t/{task.pk}/change", payload, content_type="application/json")
        saves.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
        client.post(f"/annotate/t/{task.pk}/change", json.dumps({"op": str(uuid.uuid4()), "version": version + 1,
                    "action": "undo"}), content_type="application/json")
    print(f"  save one span, fragment included (POST): median {statistics.median(saves):.1f} ms")

    # Throughput: gunicorn, one session per client, each client on its own task.
    cookies = []
    for u in users:
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(u.pk), "config.auth_backends.ModelBackend"
        session[HASH_SESSION_KEY] = u.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1"},
    )
    try:
        time.sleep(3)
        counts = [0] * CLIENTS
        stop = time.time() + SECONDS

        def run(i):
            local = random.Random(i)
            version = Task.objects.get(pk=tasks[i].pk).version
            headers = {"Content-Type": "application/json", "Cookie": f"sessionid={cookies[i]}; csrftoken={CSRF}",
                       "X-CSRFToken": CSRF, "Referer": f"http://127.0.0.1:{PORT}/", "Host": "127.0.0.1"}
            while time.time() < stop:
                data = json.dumps(body(tasks[i], version, labels["GPE"], local)).encode()
                request = urllib.request.Request(f"http://127.0.0.1:{PORT}/annotate/t/{tasks[i].pk}/change", data, headers)
                with urllib.request.urlopen(request) as response:
                    version = int(response.headers["X-Task-Version"])
                    response.read()
                counts[i] += 1

        busy, client_cpu, server_cpu = _machine_busy(), _own_cpu(), _gunicorn_cpu()
        threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        saves = sum(counts)
        busy, client_cpu, server_cpu = (_machine_busy() - busy, _own_cpu() - client_cpu, _gunicorn_cpu() - server_cpu)
        print(f"  {CLIENTS} concurrent clients, gunicorn {WORKERS} workers: {saves / elapsed:.0f} span saves/s "
              f"({saves} in {elapsed:.1f} s)")
        print(f"  CPU per save: {busy / saves * 1000:.1f} ms in all (gunicorn {server_cpu / saves * 1000:.1f}, "
              f"these clients {client_cpu / saves * 1000:.1f}, PostgreSQL and the rest "
              f"{(busy - server_cpu - client_cpu) / saves * 1000:.1f}) on {os.cpu_count()} cores")
    finally:
        server.terminate()
        server.wait()
    Task.objects.filter(project=project).delete()
    project.delete()
    collection_delete(collection)
    for u in users:
        u.delete()


if __name__ == "__main__":
    main()
