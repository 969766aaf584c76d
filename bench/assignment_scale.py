"""Assignment, "next task" and the dashboard at scale: 1,000,000 documents, 100 annotators, PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/assignment_scale.py

Builds (once; later runs reuse it) two collections of 100,000 and 900,000 short documents written with SQL,
100 annotators and a project; assigns the 100,000 with overlap 2 through tasks_assign (timed), then the
900,000 (timed), submits a few hundred tasks through the lifecycle service, and prints the median time of
Task.objects.next_for, of project_progress and of the whole dashboard page, with the EXPLAIN of each query.
--drop removes everything it made.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import django_setup

PROJECT = "bench-scale"
SIZES = {"bench-100k": 100_000, "bench-900k": 900_000}
ANNOTATORS = 100


def median_ms(fn, repeat=30) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def build_documents(connection, Collection):
    offset = 0
    for slug, size in SIZES.items():
        collection, _ = Collection.objects.get_or_create(slug=slug, defaults={"name": slug})
        have = collection.documents.count()
        if have < size:
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    INSERT INTO corpus_document (collection_id, external_id, title, published_on, language, url,
                                                 text, text_sha256, meta, imported_at)
                    SELECT %s, 'b' || g, 'Haber ' || g, DATE '2025-01-01' + (g %% 365),
                           CASE WHEN g %% 5 = 4 THEN 'sq' ELSE 'tr' END, '',
                           'Haber ' || g || ': Dışişleri Bakanı Pekin''de görüştü.', md5(%s || g::text), '{}', now()
                    FROM generate_series(%s, %s) AS g
                    """,
                    [collection.pk, slug, offset + have + 1, offset + size],
                )
            Collection.objects.filter(pk=collection.pk).update(document_count=size)
            print(f"  wrote {size - have:,} documents into {slug} in {time.perf_counter() - started:.0f} s")
        offset += size


def explain(connection, queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) {sql}", params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drop", action="store_true", help="remove the bench data and stop")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from annotate.dashboard import project_progress
    from annotate.models import Membership, ProgressCounter, Project, Role, Task
    from annotate.selection import DocumentFilter
    from annotate.services import membership_add, project_create, task_open, task_submit, tasks_assign
    from corpus.models import Collection

    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL=postgres://...).")
    User = get_user_model()
    if args.drop:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM annotate_project WHERE slug = %s", [PROJECT])
            cursor.execute("DELETE FROM corpus_document WHERE collection_id IN "
                           "(SELECT id FROM corpus_collection WHERE slug = ANY(%s))", [list(SIZES)])
            cursor.execute("DELETE FROM corpus_collection WHERE slug = ANY(%s)", [list(SIZES)])
        User.objects.filter(username__startswith="bench-ann-").delete()
        print("dropped")
        return
    print("Setting up (reused when present):")
    build_documents(connection, Collection)
    names = [f"bench-ann-{i:03d}" for i in range(ANNOTATORS)]
    User.objects.bulk_create([User(username=n) for n in names], ignore_conflicts=True)
    users = list(User.objects.filter(username__in=names).order_by("username"))
    project = Project.objects.filter(slug=PROJECT).first()
    if project is None:
        project = project_create(slug=PROJECT, name="Bench scale", schema="news-diplomacy",
                                 collections=list(Collection.objects.filter(slug__in=SIZES)))
        Membership.objects.bulk_create([Membership(project=project, user=u, role=Role.ANNOTATOR) for u in users])
        membership_add(project=project, user=users[0], role=Role.MANAGER)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {sum(SIZES.values()):,} documents, {len(users)} annotators, tasks so far: {Task.objects.filter(project=project).count():,}")

    print("Assignment (overlap 2):")
    for slug in SIZES:
        started = time.perf_counter()
        report = tasks_assign(project=project, annotators=users, selection=DocumentFilter(collections=[slug]), overlap=2)
        print(f"  {slug}: {report.summary()} {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    report = tasks_assign(project=project, annotators=users, overlap=2)
    print(f"  re-run over all {report.documents:,}: {report.created} created, {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE annotate_task")

    done = ProgressCounter.objects.filter(project=project, status="submitted").count()
    if not done:
        for user in users[:20]:
            for task in list(Task.objects.queue_for(user, project)[:10]):
                task_open(task=task, by=user)
                task_submit(task=task, by=user)
    user = users[50]
    print("Next task (Task.objects.next_for):")
    print(f"  median {median_ms(lambda: Task.objects.next_for(user, project)):.2f} ms")
    print(explain(connection, Task.objects.queue_for(user, project)[:1]))
    print("Dashboard (project_progress, two queries over the counters):")
    print(f"  median {median_ms(lambda: project_progress(project)):.2f} ms")
    print(explain(connection, ProgressCounter.objects.filter(project=project).values_list(
        "annotator__username", "collection__name", "status", "count", "seconds")))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(users[0])
    for label, url in [("dashboard page", f"/annotate/p/{PROJECT}/"), ("annotator home", "/")]:
        if label == "annotator home":
            client.force_login(user)
        assert client.get(url).status_code == 200
        print(f"Whole {label} (GET {url}, rendering included): median {median_ms(lambda u=url: client.get(u), 15):.1f} ms")
    print(f"Tasks in the project: {Task.objects.filter(project=project).count():,}")


if __name__ == "__main__":
    main()
