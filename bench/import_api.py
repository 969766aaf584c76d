"""The article import through the API: one upload of 5,000 generated articles (~3,000 characters each) to
POST /api/v1/collections/<slug>/import, as a newsroom's script would send it, over real HTTP to a
gunicorn server started here on the configured database, with one job worker (the import is a background
job: the client polls GET /api/v1/jobs/<id> every 0.2 s until it has succeeded).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/import_api.py

Prints the machine reference and, per run, the seconds from the first byte sent to the report received
(upload, queue, import, poll) and the documents per second, and the job's own seconds (worker start to
finish). The collection is deleted afterwards."""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, article, django_setup, machine_reference_ms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(name: str, payload: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + payload + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    django_setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from corpus.models import Collection, Document, DocumentTokens
    from corpus.services import collection_create

    user, _ = get_user_model().objects.get_or_create(username="bench-importer", defaults={"is_staff": True})
    token, _ = Token.objects.get_or_create(user=user)
    payload = "".join(json.dumps(article(i), ensure_ascii=False) + "\n" for i in range(args.articles)).encode()
    print(f"machine reference: {machine_reference_ms()} ms; upload {len(payload) / 1e6:.1f} MB, "
          f"{args.articles} articles")
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                               "--timeout", "300"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--interval", "0.1", "--verbosity", "0"],
                              cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        print(f"{'run':>3} {'seconds':>8} {'docs/s':>7} {'job s':>6}")
        for run in range(1, args.runs + 1):
            collection = collection_create(slug=f"bench-api-{int(time.time() * 1000)}")
            body, content_type = multipart("articles.jsonl", payload)
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/collections/{collection.slug}/import", data=body, method="POST",
                headers={"Authorization": f"Token {token.key}", "Content-Type": content_type})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=300) as response:
                job = json.loads(response.read())
            poll = urllib.request.Request(job["url"], headers={"Authorization": f"Token {token.key}"})
            while job["state"] not in ("succeeded", "failed"):
                time.sleep(0.2)
                with urllib.request.urlopen(poll, timeout=30) as response:
                    job = json.loads(response.read())
            elapsed = time.perf_counter() - started
            assert job["state"] == "succeeded" and job["result"]["imported"] == args.articles, job
            from jobs.models import Job

            done = Job.objects.get(pk=job["id"])
            print(f"{run:>3} {elapsed:>8.2f} {args.articles / elapsed:>7.0f} "
                  f"{(done.finished_at - done.started_at).total_seconds():>6.2f}")
            DocumentTokens.objects.filter(document__collection=collection)._raw_delete(DocumentTokens.objects.db)
            Document.objects.filter(collection=collection)._raw_delete(Document.objects.db)
            Collection.objects.filter(pk=collection.pk).delete()
    finally:
        server.terminate()
        worker.terminate()
        server.wait()
        worker.wait()


if __name__ == "__main__":
    main()
