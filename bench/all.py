"""The bulk paths against their targets (#33), in one table: `make bench` (under 10 minutes on 2 cores).

Runs bench/peer.py (the side-by-side workload through HTTP, on a fresh PostgreSQL database each) at N = 1,000,
5,000 and 50,000 (--quick: the first two), and bench/job_start.py on PostgreSQL and on SQLite, then prints
each figure beside its target. DATABASE_URL names the PostgreSQL server (default: the local one); the peer
workload needs ../shared (without it those rows say so)."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# (figure, where it comes from, target, better when higher)
TARGETS = [
    ("import docs/s, N = 1,000", ("peer", 1000, "import_docs_per_s"), 1000, True),
    ("import docs/s, N = 5,000", ("peer", 5000, "import_docs_per_s"), 1600, True),
    ("export JSONL docs/s, N = 5,000", ("peer", 5000, "export_docs_per_s"), 5000, True),
    ("export JSONL docs/s, N = 50,000", ("peer", 50000, "export_docs_per_s"), 5000, True),
    ("export first byte ms (median of 3), N = 5,000", ("peer", 5000, "export_first_byte_ms"), 100, False),
    ("export first byte ms (median of 3), N = 50,000", ("peer", 50000, "export_first_byte_ms"), 100, False),
    ("span save ms p50, N = 1,000", ("peer", 1000, "save_ms_p50"), 3, False),
    ("span save ms p50, N = 5,000", ("peer", 5000, "save_ms_p50"), 3, False),
    ("annotation page ms p50, N = 1,000", ("peer", 1000, "page_ms_p50"), 8, False),
    ("annotation page ms p50, N = 5,000", ("peer", 5000, "page_ms_p50"), 8, False),
    ("idle PSS MiB (gunicorn ×3 + job worker), N = 5,000", ("peer", 5000, "idle_pss_mib"), 220, False),
    ("job queued → started ms, PostgreSQL (max of 15)", ("start", "postgresql", "queued_to_started_ms_max"), 50, False),
    ("job queued → started ms, SQLite (max of 15)", ("start", "sqlite", "queued_to_started_ms_max"), 200, False),
]


def run(script: str, *args, env=None) -> dict:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, **(env or {})}, timeout=1800)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode or not lines:
        return {"error": (result.stderr.strip().splitlines() or ["no output"])[-1][:200]}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="N = 1,000 and 5,000 only")
    args = parser.parse_args()
    started = time.monotonic()
    figures = {}
    for n in (1000, 5000) if args.quick else (1000, 5000, 50000):
        figures[("peer", n)] = run("peer.py", "--n", str(n), env={"DATABASE_URL": SERVER})
    sqlite = Path(tempfile.mkdtemp(prefix="haber-bench-")) / "bench.sqlite3"
    sqlite_env = {"DATABASE_URL": f"sqlite:///{sqlite}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env={**os.environ, **sqlite_env},
                   check=True)
    figures[("start", "sqlite")] = run("job_start.py", env=sqlite_env)
    shutil.rmtree(sqlite.parent, ignore_errors=True)
    import psycopg

    parts = urlsplit(SERVER)
    admin, name = urlunsplit(parts._replace(path="/postgres")), f"haber_start_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        own = {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env={**os.environ, **own},
                       check=True)
        figures[("start", "postgresql")] = run("job_start.py", env=own)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    print("| measure | target | figure | |\n|---|---:|---:|---|")
    for name, (kind, key, field), target, higher in TARGETS:
        got = figures.get((kind, key))
        if got is None:
            continue
        value = got.get(field)
        if value is None:
            shown, verdict = got.get("skipped") or got.get("error") or "—", "not measured"
        else:
            met = value >= target if higher else value <= target
            shown, verdict = f"{value:,}", "met" if met else "**not met**"
        print(f"| {name} | {'≥' if higher else '≤'} {target:,} | {shown} | {verdict} |")
    print(f"\n{time.monotonic() - started:.0f} s in all")


if __name__ == "__main__":
    main()
