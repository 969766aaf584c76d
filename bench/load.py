"""Annotators at scale: an open-loop load test of span saves against gunicorn on PostgreSQL.

300 annotators, each on a task of their own, each due to save one span every 2 s (--every): 150 saves a
second, the target (p95 <= 100 ms, p99 <= 250 ms, no error). Saves are due at fixed times whatever the server
does (open loop); an annotator's page sends its changes one after the other, so a save due while that
annotator's last one is still on its way waits for it, and its latency counts from when it was due, not from
when it was sent (no coordinated omission). The target runs first, on a server just started; then the rate
steps up (more annotators, up to 960) while p95 holds <= 100 ms, or down until it does, and the highest rate
that held is reported.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/load.py \
        [--every 2] [--seconds 20] [--workers 3] [--timeline]

Prints, per rate: saves due and done, errors, latency p50/p95/p99 (and with --timeline, p95 and max per
5 s). What it made is deleted afterwards.
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, article, collection_delete, django_setup, machine_reference_ms
from bench.import_api import free_port

CSRF = "d" * 32
P95_TARGET_MS = 100
P99_TARGET_MS = 250
TARGET_RATE = 150
UP = (180, 210, 240, 270, 300, 360, 420, 480)
DOWN = (120, 100, 80, 60, 40, 20)


def setup(stamp: int, annotators: int):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from annotate.models import Label, Membership, Role, Task
    from annotate.services import project_create, task_open, tasks_assign
    from config.sessions import SessionStore
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    collection = collection_create(slug=f"load-{stamp}")
    payload = "".join(json.dumps(article(40_000_000 + i, chars=3000)) + "\n" for i in range(annotators))
    documents_import(collection=collection, inputs=[memory_input("load.jsonl", payload)], language="tr", workers=2)
    project = project_create(slug=f"load-{stamp}", name="Load", schema="news-diplomacy", collections=[collection],
                             overlap=1)
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"load-{stamp}-{i}") for i in range(annotators)])
    Membership.objects.bulk_create([Membership(project=project, user=u, role=Role.ANNOTATOR) for u in users])
    tasks_assign(project=project, annotators=users)
    sessions = []
    for user in users:
        task = task_open(task=Task.objects.get(project=project, annotator=user), by=user)
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append((task.pk, task.version, session.session_key))
    label = Label.objects.get(project=project, name="GPE").pk
    return project, collection, users, sessions, label


async def save(port: int, task_id: int, version: int, cookie: str, label: int, rng) -> tuple[int, int | None]:
    start = rng.randrange(0, 2900)
    body = json.dumps({"op": str(uuid.uuid4()), "version": version, "action": "span.create", "id": str(uuid.uuid4()),
                       "label": label, "start": start, "end": start + 5}).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write((f"POST /annotate/t/{task_id}/change HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nCookie: sessionid={cookie}; csrftoken={CSRF}\r\n"
                  f"X-CSRFToken: {CSRF}\r\nReferer: http://127.0.0.1:{port}/\r\nConnection: close\r\n\r\n").encode()
                 + body)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    new_version = None
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "x-task-version":
            new_version = int(value.strip())
    return status, new_version


async def run_rate(port, sessions, label, every: float, seconds: float) -> dict:
    """Every annotator saves once every `every` seconds for `seconds`; returns the latencies and errors."""
    latencies, errors, timeline = [], [], []
    began = time.perf_counter() + 0.5

    async def annotator(i: int) -> None:
        rng = random.Random(i)
        task_id, version, cookie = sessions[i]
        due = began + rng.random() * every
        while due < began + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                status, new_version = await save(port, task_id, version, cookie, label, rng)
            except OSError as error:
                errors.append(type(error).__name__)
            else:
                if status == 200 and new_version is not None:
                    version = new_version
                    latencies.append((time.perf_counter() - due) * 1000)
                    timeline.append((due - began, latencies[-1]))
                else:
                    errors.append(str(status))
            due += every

    await asyncio.gather(*(annotator(i) for i in range(len(sessions))))
    return {"latencies": sorted(latencies), "errors": errors, "timeline": timeline}


def percentile(values, share):
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def print_timeline(timeline, window: float = 5.0) -> None:
    windows: dict[int, list[float]] = {}
    for at, latency in timeline:
        windows.setdefault(int(at // window), []).append(latency)
    for number in sorted(windows):
        values = sorted(windows[number])
        print(f"{'':>8} {number * window:>4.0f}-{(number + 1) * window:<4.0f}s p95 {percentile(values, 0.95):>6.0f} "
              f"max {values[-1]:>6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeline", action="store_true", help="also print p95 and max per 5 s of each run")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    django_setup()

    from annotate.models import Task

    print(f"machine reference: {machine_reference_ms()} ms; {os.cpu_count()} cores; gunicorn {args.workers} workers")
    stamp = int(time.time())
    # Enough annotators for the highest rate tried, each still saving once every --every seconds.
    project, collection, users, sessions, label = setup(stamp, round(UP[-1] * args.every))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w",
                               str(args.workers), "--backlog", "2048", "--log-level", "warning"], cwd=ROOT,
                              env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"})
    held: dict[float, bool] = {}
    try:
        time.sleep(3)
        print(f"{'saves/s':>8} {'done':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")

        def attempt(rate: int) -> bool:
            count = max(1, min(len(sessions), round(rate * args.every)))
            versions = dict(Task.objects.filter(pk__in=[s[0] for s in sessions]).values_list("pk", "version"))
            current = [(t, versions[t], c) for t, _v, c in sessions[:count]]
            result = asyncio.run(run_rate(port, current, label, args.every, args.seconds))
            lat = result["latencies"]
            p95, p99 = percentile(lat, 0.95), percentile(lat, 0.99)
            print(f"{count / args.every:>8.0f} {len(lat):>6} {len(result['errors']):>6} {percentile(lat, 0.5):>7.0f} "
                  f"{p95:>7.0f} {p99:>7.0f}"
                  + (f"  errors: {sorted(set(result['errors']))[:5]}" if result["errors"] else ""))
            if args.timeline:
                print_timeline(result["timeline"])
            held[count / args.every] = p95 <= P95_TARGET_MS and not result["errors"]
            if rate == TARGET_RATE:
                verdict = p95 <= P95_TARGET_MS and p99 <= P99_TARGET_MS and not result["errors"]
                print(f"{'':>8} target {TARGET_RATE}/s with p95 <= {P95_TARGET_MS} ms, p99 <= {P99_TARGET_MS} ms, "
                      f"0 errors: {'met' if verdict else 'NOT met'}")
            time.sleep(2)
            return held[count / args.every]

        # The target first (the server's first seconds count), then up while it holds, or down until it does.
        ladder = UP if attempt(TARGET_RATE) else DOWN
        for rate in ladder:
            if attempt(rate) != (ladder is UP):
                break
    finally:
        server.terminate()
        server.wait()
    best = max((rate for rate, ok in held.items() if ok), default=None)
    print(f"highest rate tried that held p95 <= {P95_TARGET_MS} ms with no error: "
          + (f"{best:.0f} saves/s" if best else "none"))
    Task.objects.filter(project=project).delete()
    project.delete()
    collection_delete(collection)
    for user in users:
        user.delete()


if __name__ == "__main__":
    main()
