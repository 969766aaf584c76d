"""A dataset release of 50,000 documents with 20 spans each (issue #31 item 7: ≤ 60 s, memory flat), from
PostgreSQL, near-duplicate grouping included.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/release_build.py [--size N]

Builds the corpus once per size (later runs reuse it): generated ~3,000-character articles (bench.common.article,
a fifth Albanian) imported through the real import, 2% of them reworded copies of another (a few words
changed: the near-duplicates the grouping must find), an accepted gold set per document and 20 entity spans
on word edges written with COPY. Then, in a fresh process as the job worker runs it, the release is cut and
built (releases.build), printing the time of each phase, the documents per second and the peak memory.
"""

import argparse
import datetime
import io
import json
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import DescendantsPeakRss, article, django_setup, peak_rss_mb, postgres_bench

SPANS = 20
PHASES = ("near_duplicates", "records_write", "zip_write", "bundle_save")
COPIES = 0.02  # the share of articles that are a reworded copy of an earlier one


def _slug(size: int) -> str:
    return f"bench-release-{size}"


def texts(size: int):
    rng = random.Random(size)
    originals = []
    for i in range(size):
        if originals and rng.random() < COPIES:
            words = rng.choice(originals).split(" ")
            for _ in range(3):  # three words changed: Jaccard of 3-shingles ~0.97 on ~450 words
                words[rng.randrange(len(words))] = "değişti"
            yield f"copy-{i}", " ".join(words)
        else:
            text = article(i)["text"]
            if len(originals) < 2000:
                originals.append(text)
            yield f"bench-{i}", text


def build(size: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.models import Membership, Project, Role, Task
    from annotate.services import project_create, tasks_assign
    from corpus.models import Collection, Document
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    slug = _slug(size)
    collection = Collection.objects.filter(slug=slug).first() or collection_create(slug=slug)
    if collection.documents.count() < size:
        started = time.perf_counter()
        lines = [json.dumps({"id": key, "text": text}, ensure_ascii=False) for key, text in texts(size)]
        files = [memory_input(f"bench-{n}.jsonl", "\n".join(lines[n: n + 10_000]).encode())  # under the file limit
                 for n in range(0, len(lines), 10_000)]
        report = documents_import(collection=collection, inputs=files, workers=2)
        print(f"  imported {report.imported:,} documents in {time.perf_counter() - started:.0f} s")
    project = Project.objects.filter(slug=slug).first() or project_create(
        slug=slug, name=f"Bench release {size}", schema="news-diplomacy", collections=[collection], overlap=1)
    curator, _ = get_user_model().objects.get_or_create(username="bench-release-curator")
    for role in (Role.ANNOTATOR, Role.CURATOR):  # assigned as an annotator, then its tasks made gold sets
        Membership.objects.get_or_create(project=project, user=curator, role=role)
    if Task.gold_sets.filter(project=project).exists():
        return
    started = time.perf_counter()
    tasks_assign(project=project, annotators=[curator])
    labels = list(project.labels.filter(layer="entity").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE annotate_task SET kind = 'gold', status = 'submitted', finished_at = now() "
                       "WHERE project_id = %s", [project.pk])
        tasks = dict(Task.gold_sets.filter(project=project).values_list("document_id", "id"))
        rows, now = io.StringIO(), datetime.datetime.now(datetime.UTC).isoformat()
        for pk, text in Document.objects.filter(collection=collection).values_list("pk", "text").iterator(5000):
            starts = [i + 1 for i, c in enumerate(text) if c == " "][: SPANS * 5: 5]
            for n, start in enumerate(starts):
                end = text.find(" ", start)
                if end > start:
                    rows.write(f"{tasks[pk]}\t{uuid.uuid4()}\t{labels[n % len(labels)]}\t{start}\t{end}\t{now}\n")
        rows.seek(0)
        with cursor.copy('COPY annotate_span (task_id, client_id, label_id, start, "end", created_at) FROM STDIN') as copy:
            while block := rows.read(1 << 20):
                copy.write(block)
        cursor.execute("ANALYZE")
    print(f"  gold sets and {size * SPANS:,} spans written in {time.perf_counter() - started:.0f} s")


def child(size: int) -> None:
    django_setup()
    from annotate.models import Project, Release
    from annotate.releases import bundle
    from annotate.releases.services import release_cut
    from jobs.worker import run_pending

    phases: dict[str, float] = {}
    peaks: dict[str, float] = {}  # the process's peak memory at the end of each phase
    for name in PHASES:  # time each phase
        original = getattr(bundle, name)

        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                phases[_name] = round(time.perf_counter() - started, 1)
                peaks[_name] = round(peak_rss_mb())

        setattr(bundle, name, timed)
    from annotate.releases import jobs as release_jobs

    for name in PHASES:
        setattr(release_jobs, name, getattr(bundle, name))
    project = Project.objects.get(slug=_slug(size))
    Release.objects.filter(project=project).delete()
    release, _job = release_cut(project=project, by=None, name=f"bench-{int(time.time())}")
    started = time.perf_counter()
    with DescendantsPeakRss() as workers_peak:  # the worker processes (children of the fork server)
        run_pending()
    elapsed = time.perf_counter() - started
    release.refresh_from_db()
    assert release.state == "ready", release.error
    from django.core.files.storage import default_storage

    default_storage.delete(release.path)  # the bench's zips are not kept
    near = release.report["near_duplicates"]
    print(json.dumps({"documents": release.counts["documents"], "seconds": round(elapsed, 1),
                      "docs_per_s": round(release.counts["documents"] / elapsed), "phases": phases,
                      "groups": near["groups"], "documents_in_groups": near["documents_in_groups"],
                      "zip_mb": round(release.bytes / 1e6), "peak_rss_mb": round(peak_rss_mb()), "workers_peak_rss_mb": round(workers_peak.mb),
                      "peak_rss_mb_after": peaks}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.size)
        return
    postgres_bench()
    print("Setting up (reused when present):")
    build(args.size)
    out = subprocess.run([sys.executable, __file__, "--child", "--size", str(args.size)], capture_output=True,
                         text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
