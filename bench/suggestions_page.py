"""The annotation page with every suggester on, in a project of 1,000,000 documents with 10,000 gazetteer
entries and 10,000 repeated lines: render and save medians and their queries (issue #18: ≤ 30 ms median,
≤ 10 queries for the page).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/suggestions_page.py \\
        [--documents 1000000] [--entries 10000]

Twenty benched articles of ~3,000 characters come through the real import (tokens and all), each with a
share bar line and a model's predictions (20 spans) imported as model:benchSTAMP:1; the other documents,
a task of the model for every one and of the annotator for 20,000 (--own: a million documents, two
annotators each, a hundred annotators), are written by SQL (they only have to be there, as the indexes'
size). Nine gazetteer entries are names the articles use (the generated text
repeats them: about one word in seven), the rest occur nowhere; one repeated line is the share bar. So
the page has suggestions of every source to draw. PostgreSQL only. Leaves no data behind.
"""

import argparse
import io
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import article, collection_delete, django_setup, machine_reference_ms

BENCHED = 20


def setup(documents: int, entries: int, stamp: int, own: int = 20_000):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.interop.importing.files import annotation_file_import
    from annotate.models import GazetteerEntry, Label, Membership, RepeatedLine, Role, Task
    from annotate.services import project_create, project_update, tasks_assign
    from annotate.suggestions.folding import first_word, fold, line_hash, lines_of
    from corpus.models import Document
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    collection = collection_create(slug=f"sugg-{stamp}")
    texts = [article(70_000_000 + i, chars=3000) for i in range(BENCHED)]
    for t in texts:  # a share bar on each, as seed 002 has
        t["text"] = t["text"].replace(". ", ".\nFacebook'da Paylaş Twitter'da Paylaş\n", 1)
    documents_import(collection=collection, inputs=[memory_input("b.jsonl", "".join(json.dumps(t) + "\n"
                                                                                      for t in texts))], workers=1)
    project = project_create(slug=f"sugg-{stamp}", name="Suggestions", schema="news-diplomacy",
                             collections=[collection], overlap=1)
    User = get_user_model()
    ayse = User.objects.create(username=f"sugg-{stamp}")
    Membership.objects.create(project=project, user=ayse, role=Role.ANNOTATOR)
    benched = list(Document.objects.filter(collection=collection, external_id__startswith="bench-"))
    tasks_assign(project=project, annotators=[ayse])
    labels = {lab.name: lab for lab in Label.objects.filter(project=project)}
    rng = random.Random(3)
    records = []
    for doc in benched:
        words = [(m, m + len(w)) for m, w in _words(doc.text)]
        spans = rng.sample(words, 20)
        records.append({"text": doc.text, "entities": [{"start": a, "end": b, "label": "PER"} for a, b in spans]})
    report = annotation_file_import(project=project, stream=io.BytesIO("".join(json.dumps(r) + "\n" for r in records)
                                    .encode()), name="p.jsonl", fmt="jsonl", as_predictions=f"bench{stamp}:1")
    assert report.committed and report.imported == BENCHED, report.problems[:3]
    model = User.objects.get(username=f"model:bench{stamp}:1")
    started = time.perf_counter()
    # Every other document: a task of the model (its predictions cover the corpus) and, for the first
    # `own` of them, one of the annotator (a million documents, two annotators each, a hundred annotators:
    # 20,000 tasks each).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO corpus_document (external_id, title, language, url, text, text_sha256, meta, imported_at, "
            "collection_id, repeat) SELECT 'filler-' || g, '', 'tr', '', 'Dolgu metni ' || g, md5(g::text) || "
            "md5((g + 1)::text), '{}', now(), %s, 0 FROM generate_series(1, %s) g",
            [collection.pk, documents - BENCHED])
        for user, limit in ((model, documents), (ayse, own)):
            cursor.execute(
                "INSERT INTO annotate_task (status, assigned_at, skip_reason, seconds_spent, annotator_id, "
                "collection_id, document_id, project_id, comment, flag, version, review_comment, kind) "
                "SELECT 'assigned', now(), '', 0, %s, %s, d.id, %s, '', '', 0, '', 'annotation' FROM corpus_document d "
                "WHERE d.collection_id = %s AND d.external_id LIKE 'filler-%%' ORDER BY d.id LIMIT %s",
                [user.pk, collection.pk, project.pk, collection.pk, limit])
    # The names the generated articles use (a heavy dose: about one word in seven is one of them), then
    # entries that occur nowhere.
    names = [(fold(n, "tr"), "GPE") for n in ("Ankara", "İstanbul", "Tiran", "Pekin", "Moskova", "Rusya", "Çin",
                                               "Türkiye")] + [("dışişleri bakanı", "TITLE")]
    names += [(f"yok {i}", "PER") for i in range(entries - len(names))]
    GazetteerEntry.objects.bulk_create([
        GazetteerEntry(project=project, owner=None if i % 2 else ayse, key=key, first=first_word(key),
                       label=labels[name])
        for i, (key, name) in enumerate(names)], batch_size=5000)
    bar = benched[0].text
    bar_hashes = [line_hash(bar[a:b], "tr") for a, b in lines_of(bar) if "Paylaş" in bar[a:b]]
    RepeatedLine.objects.bulk_create([
        RepeatedLine(project=project, collection_id=collection.pk, line_hash=h, label=labels["SHARE"])
        for h in bar_hashes + [uuid.uuid4().hex for _ in range(entries - len(bar_hashes))]], batch_size=5000)
    project_update(project=project, suggest_predictions=True, suggest_gazetteer=True, suggest_repetition=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # earlier runs leave dead rows that slow the planner (index endpoint probes)
    print(f"  (filler, tasks and entries written in {time.perf_counter() - started:.0f} s)")
    tasks = list(Task.objects.filter(project=project, annotator=ayse, document__in=benched))
    return [ayse, model], tasks, labels


def counting(queries: list):
    """A connection.execute_wrapper that counts the statements run inside it into `queries`."""

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def _words(text):
    import re

    return [(m.start(), m.group()) for m in re.finditer(r"[^\W\d_]{4,}", text)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--own", type=int, default=20_000, help="tasks of the benched annotator")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from annotate.models import Task

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    stamp = int(time.time())
    print(f"machine reference: {machine_reference_ms()} ms; {args.documents:,} documents, {args.entries:,} "
          "gazetteer entries and repeated lines")
    try:
        users, tasks, labels = setup(args.documents, args.entries, stamp, args.own)
        client = Client()
        client.force_login(users[0])
        renders, counts, shown = [], [], []
        for task in tasks:
            client.get(task.get_absolute_url())  # the first view opens the task
        for _ in range(3):
            for task in tasks:
                started, queries = time.perf_counter(), []
                with connection.execute_wrapper(counting(queries)):
                    page = client.get(task.get_absolute_url())
                renders.append((time.perf_counter() - started) * 1000)
                assert page.status_code == 200
                counts.append(len(queries))
                shown.append(page.content.decode().count('data-kind="suggestion"'))
        print(f"  page render: median {statistics.median(renders):.1f} ms, p95 "
              f"{sorted(renders)[int(0.95 * len(renders))]:.1f} ms, at most {max(counts)} queries; "
              f"{statistics.median(shown):.0f} suggestion segments drawn (median)")
        saves, save_counts = [], []
        rng = random.Random(5)
        for task in tasks * 2:
            version = Task.objects.get(pk=task.pk).version
            start = rng.randrange(0, 2900)
            body = {"op": str(uuid.uuid4()), "version": version, "action": "span.create", "id": str(uuid.uuid4()),
                    "label": labels["GPE"].pk, "start": start, "end": start + 4}
            started, queries = time.perf_counter(), []
            with connection.execute_wrapper(counting(queries)):
                response = client.post(f"/annotate/t/{task.pk}/change", json.dumps(body),
                                       content_type="application/json")
            saves.append((time.perf_counter() - started) * 1000)
            save_counts.append(len(queries))
            assert response.status_code in (200, 400), response.content[:200]
        print(f"  save one span (fragment and suggestions included): median {statistics.median(saves):.1f} ms, "
              f"at most {max(save_counts)} queries")
    finally:
        clean(stamp)


def clean(stamp: int) -> None:
    """Whatever a run with this stamp made, even one that stopped half way."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.models import Project
    from corpus.models import Collection

    project = Project.objects.filter(slug=f"sugg-{stamp}").first()
    if project is not None:
        with connection.cursor() as cursor:
            for table in ("annotate_gazetteerentry", "annotate_repeatedline"):
                cursor.execute(f"DELETE FROM {table} WHERE project_id = %s", [project.pk])
            tasks = "SELECT id FROM annotate_task WHERE project_id = %s"
            for table in ("annotate_span", "annotate_annotationchange", "annotate_tasktransition",
                          "annotate_suggestionrejection"):
                cursor.execute(f"DELETE FROM {table} WHERE task_id IN ({tasks})", [project.pk])
            cursor.execute("DELETE FROM annotate_task WHERE project_id = %s", [project.pk])
            cursor.execute("DELETE FROM annotate_progresscounter WHERE project_id = %s", [project.pk])
        project.delete()
    collection = Collection.objects.filter(slug=f"sugg-{stamp}").first()
    if collection is not None:
        collection_delete(collection)
    get_user_model().objects.filter(username__in=[f"sugg-{stamp}", f"model:bench{stamp}:1"]).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

if __name__ == "__main__":
    main()
