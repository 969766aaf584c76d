"""Export speed and memory: 100,000 submitted documents with 20 spans each, from PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/export_annotations.py

Builds the corpus once (later runs reuse it): short Turkish articles of our own imported through the real
import (tokens included), one annotator's submitted tasks, and 20 spans per task written with SQL. Then
each format is exported in a fresh process through export_stream (the code behind the API and the
command) into /dev/null-like counting, printing documents per second and the process's peak memory.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import django_setup, peak_rss_mb, postgres_bench

PROJECT = "bench-export"
SIZE = 100_000
SPANS = 20
NEEDLES = ["Haber", "Rusya", "Dışişleri Bakanı", "Sergey Lavrov", "salı günü", "Pekin", "Çin", "Wang Yi", "İki bakan",
           "Ankara", "Tiran", "Moskova", "toplantıları", "BRICS", "ŞİÖ", "zirvelerine", "katılım", "konuşuldu",
           "REKLAM", "devamı"]


def build() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.models import Membership, Project, Role, Task
    from annotate.services import project_create, tasks_assign
    from corpus.models import Collection
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    collection = Collection.objects.filter(slug=PROJECT).first() or collection_create(slug=PROJECT)
    have = collection.documents.count()
    if have < SIZE:
        started = time.perf_counter()
        lines = (json.dumps({"id": f"e{i}", "text": f"Haber {i}: Rusya'nın Dışişleri Bakanı Sergey Lavrov salı günü "
                             f"Pekin'de Çin Dışişleri Bakanı Wang Yi ile görüştü. İki bakan Ankara'da, Tiran'da ve "
                             f"Moskova'da yapılacak toplantıları ele aldı. BRICS ve ŞİÖ zirvelerine katılım "
                             f"konuşuldu. REKLAM Haberin devamı {i}."}, ensure_ascii=False)
                 for i in range(have, SIZE))
        data = "\n".join(lines).encode()
        report = documents_import(collection=collection, inputs=[memory_input("bench.jsonl", data)], language="tr",
                                  workers=2)
        print(f"  imported {report.imported:,} documents in {time.perf_counter() - started:.0f} s")
    project = Project.objects.filter(slug=PROJECT).first()
    if project is None:
        project = project_create(slug=PROJECT, name="Bench export", schema="news-diplomacy", collections=[collection],
                                 overlap=1)
    user, _ = get_user_model().objects.get_or_create(username="bench-export-annotator")
    Membership.objects.get_or_create(project=project, user=user, role=Role.ANNOTATOR)
    if not Task.objects.filter(project=project).exists():
        started = time.perf_counter()
        tasks_assign(project=project, annotators=[user])
        labels = list(project.labels.filter(layer="entity").values_list("id", flat=True))
        with connection.cursor() as cursor:
            cursor.execute("UPDATE annotate_task SET status = 'submitted', finished_at = now() WHERE project_id = %s",
                           [project.pk])
            # Twenty spans per document on words the text holds, so they meet token edges as real ones do.
            cursor.execute(
                """INSERT INTO annotate_span (task_id, client_id, label_id, start, "end", created_at)
                   SELECT t.id, gen_random_uuid(), (%s::int[])[1 + (n.i %% %s)], strpos(d.text, n.w) - 1,
                          strpos(d.text, n.w) - 1 + char_length(n.w), now()
                   FROM annotate_task t JOIN corpus_document d ON d.id = t.document_id
                   CROSS JOIN unnest(%s::text[]) WITH ORDINALITY AS n(w, i) WHERE t.project_id = %s""",
                [labels, len(labels), NEEDLES, project.pk],
            )
            cursor.execute("ANALYZE")
        print(f"  tasks and {SIZE * SPANS:,} spans written in {time.perf_counter() - started:.0f} s")


def child(fmt: str) -> None:
    django_setup()
    from annotate.interop.export import export_options, export_stream, get_writer
    from annotate.models import Project

    project = Project.objects.get(slug=PROJECT)
    options = export_options(project=project, params={"format": fmt})
    writer = get_writer(options.format, options)
    report = writer.report
    size = 0
    started = time.perf_counter()
    first = None
    for piece in export_stream(project=project, writer=writer):
        if first is None and piece:
            first = time.perf_counter() - started
        size += len(piece)
    elapsed = time.perf_counter() - started
    print(json.dumps({"format": fmt, "records": report.records, "seconds": round(elapsed, 1),
                      "docs_per_s": round(report.records / elapsed), "first_bytes_s": round(first or 0, 2),
                      "megabytes": round(size / 1e6), "peak_rss_mb": round(peak_rss_mb()),
                      "misaligned": len(report.misaligned)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    postgres_bench()
    print("Setting up (reused when present):")
    build()
    for fmt in ("jsonl", "conll"):
        out = subprocess.run([sys.executable, __file__, "--child", fmt], capture_output=True, text=True, check=True)
        print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
