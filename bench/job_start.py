"""From a job queued to the job started (#33 item 3): a job worker of its own (`manage.py jobs_worker`, its
default interval), idle between jobs, and 15 small jobs (an export to a file of an empty project) queued one
at a time, each after the worker has been idle a random 0.3-1.2 s. Prints the delay from the job's row
being written to the worker claiming it, median and slowest.

    .venv/bin/python bench/job_start.py          (SQLite in var/, or DATABASE_URL)

On PostgreSQL the queueing transaction's NOTIFY wakes the worker; on SQLite it looks every 0.1 s."""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, django_setup

JOBS = 15


def main() -> None:
    django_setup()
    from django.db import connection

    from annotate.interop.export import export_options
    from annotate.jobs import export_file_enqueue
    from annotate.services import project_create
    from jobs.models import Job, JobState

    stamp = int(time.time())
    project = project_create(slug=f"bench-start-{stamp}", name="Bench start", schema="news-diplomacy",
                             collections=[], overlap=1)
    worker = subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--worker-id", f"bench-{stamp}",
                               "--verbosity", "0"], cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    delays, jobs = [], []
    try:
        time.sleep(3)  # started, warmed up and idle
        rng = random.Random(7)
        for _ in range(JOBS):
            time.sleep(rng.uniform(0.3, 1.2))
            options = export_options(project=project, params={"format": "jsonl"})
            job = export_file_enqueue(project=project, owner=None, params={"format": "jsonl"}, options=options)
            jobs.append(job.pk)
            deadline = time.monotonic() + 30
            while True:
                row = Job.objects.get(pk=job.pk)
                if row.state in (JobState.SUCCEEDED, JobState.FAILED):
                    break
                assert time.monotonic() < deadline, "the job never ran"
                time.sleep(0.02)
            delays.append((row.started_at - row.created_at).total_seconds() * 1000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        Job.objects.filter(pk__in=jobs).delete()
        project.delete()
    print(json.dumps({"database": connection.vendor, "jobs": JOBS,
                      "queued_to_started_ms_median": round(statistics.median(delays), 1),
                      "queued_to_started_ms_max": round(max(delays), 1),
                      "each_ms": [round(d) for d in delays]}))


if __name__ == "__main__":
    main()
