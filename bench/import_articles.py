"""Import speed and memory: generated articles of ~3,000 characters into the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/import_articles.py

Runs the real import (normalization, language detection, tokenization, search vectors, bulk inserts) in a
fresh process per size, so that each peak RSS is that size's own; prints documents per second and peak
memory. Uses a throw-away collection and deletes it afterwards. `--new-words 40` mixes 40 invented words
into each article, so that the tokenizer's vocabulary grows with the corpus as a real one does (the
generated vocabulary is otherwise small): worker memory must stay flat then too.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, DescendantsPeakRss, article, django_setup, machine_reference_ms, peak_rss_mb

FILE_ARTICLES = 5000


def child(path: Path, workers: int) -> None:
    django_setup()
    from django.db import connection

    from corpus.formats.sources import inputs_from_paths
    from corpus.services import collection_create, documents_import

    slug = f"bench-{int(time.time() * 1000)}"
    collection = collection_create(slug=slug)
    with DescendantsPeakRss() as workers_peak:
        started = time.perf_counter()
        report = documents_import(collection=collection, inputs=inputs_from_paths([path]), workers=workers)
        elapsed = time.perf_counter() - started
    peak = peak_rss_mb()
    assert report.committed and report.imported > 0, report.summary()
    # Plain SQL: Django's delete() would load every row to collect cascades.
    with connection.cursor() as cursor:
        ids = "SELECT id FROM corpus_document WHERE collection_id = %s"
        cursor.execute(f"DELETE FROM corpus_documenttokens WHERE document_id IN ({ids})", [collection.pk])
        cursor.execute("DELETE FROM corpus_document WHERE collection_id = %s", [collection.pk])
        cursor.execute("DELETE FROM corpus_collection WHERE id = %s", [collection.pk])
    result = {
        "vendor": connection.vendor,
        "imported": report.imported,
        "seconds": round(elapsed, 2),
        "docs_per_s": round(report.imported / elapsed),
        "peak_rss_mb": round(peak),
        "workers_peak_rss_mb": round(workers_peak.mb),
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,30000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", type=Path)
    parser.add_argument(
        "--new-words", type=int, default=0, help="invented words per article, so that the vocabulary grows"
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers)
        return
    print(f"machine reference: {machine_reference_ms()} ms")
    print(
        f"{'articles':>9} {'workers':>7} {'seconds':>8} {'docs/s':>7} {'main RSS MB':>12} {'worker RSS MB':>14}  database"
    )
    for size in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp)
            for start in range(0, size, FILE_ARTICLES):  # files of 5,000 articles, under the 50 MB limit
                with (path / f"articles-{start:07d}.jsonl").open("w") as out:
                    for i in range(start, min(size, start + FILE_ARTICLES)):
                        out.write(json.dumps(article(i, new_words=args.new_words), ensure_ascii=False) + "\n")
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path), "--workers", str(args.workers)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            r = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"{r['imported']:>9} {args.workers:>7} {r['seconds']:>8} {r['docs_per_s']:>7} {r['peak_rss_mb']:>12} {r['workers_peak_rss_mb']:>14}  {r['vendor']}"
            )


if __name__ == "__main__":
    main()
