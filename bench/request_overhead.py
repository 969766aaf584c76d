"""What a request costs before its own work: GET /api/v1/me (its work is nothing) and GET /jobs/ (a plain
Django page with one small query) with a session cookie, through gunicorn (one sync worker) on the
configured database. Prints, for 2,000 sequential requests each, the server's own time (the Server-Timing
header: from the first middleware in to the last one out) and what the client saw, median and p95; with
--profile, where the server's time goes (cProfile over the same requests in process).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/request_overhead.py [--profile]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, django_setup, machine_reference_ms
from bench.import_api import free_port

REQUESTS = 2000
PATHS = ("/api/v1/me", "/jobs/")


def session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from config.sessions import SessionStore

    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def profile(user, path: str) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.force_login(user)
    for _ in range(100):
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REQUESTS):
        client.get(path)
    profiler.disable()
    print(f"\n--- in process, {path}: the functions that took most of the time (cumulative) ---")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, _ = get_user_model().objects.get_or_create(username="bench-overhead")
    cookie = session_for(user)
    print(f"machine reference: {machine_reference_ms()} ms; database {settings.DATABASES['default']['ENGINE']}")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                               "--log-level", "warning"], cwd=ROOT, env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1"})
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        for path in PATHS:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={
                "Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
            server_ms, client_ms = [], []
            for number in range(REQUESTS + 100):
                began = time.perf_counter()
                with urllib.request.urlopen(request) as response:
                    response.read()
                    timing = response.headers["Server-Timing"]
                    assert response.status == 200
                if number >= 100:  # the first hundred warm the worker up
                    client_ms.append((time.perf_counter() - began) * 1000)
                    server_ms.append(float(timing.split("dur=")[1]))
            server_ms.sort()
            client_ms.sort()
            print(f"GET {path}: server median {statistics.median(server_ms):.2f} ms, p95 "
                  f"{server_ms[int(0.95 * len(server_ms))]:.2f} ms; client median {statistics.median(client_ms):.2f} "
                  f"ms, p95 {client_ms[int(0.95 * len(client_ms))]:.2f} ms ({REQUESTS} requests, gunicorn 1 worker)")
    finally:
        server.terminate()
        server.wait()
    if args.profile:
        for path in PATHS:
            profile(user, path)


if __name__ == "__main__":
    main()
