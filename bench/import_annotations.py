"""Annotation import speed: 5,000 generated articles of ~3,000 characters with 20 entities each, as our
JSONL, doccano JSONL and a Label Studio task list, imported by annotation_file_import (what the command
and the API call) on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/import_annotations.py

Two cases per format: the documents are in the project already (found by their text, the usual case of
annotations made elsewhere on our corpus), and the import creates them (--collection: each document is
tokenized and indexed as an article import does). Prints the machine reference and annotation sets per
second. Everything runs in a transaction that is rolled back, so the database is left as it was."""

import argparse
import io
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import article, django_setup, machine_reference_ms

LABELS = ["PER", "ORG", "GPE", "LOC"]


class _Rollback(Exception):
    pass


def annotated(i: int, entities: int, fresh: int = 0) -> tuple[str, list[tuple[int, int, str]]]:
    """An article's text and `entities` spans on whole words, none overlapping; `fresh` makes the text one
    the corpus does not hold."""
    text = article(i)["text"] + (f" Ek {fresh}." if fresh else "")
    rng = random.Random(i)
    words, at = [], 0
    for word in text.split(" "):
        if word.isalpha():
            words.append((at, at + len(word)))
        at += len(word) + 1
    chosen = sorted(rng.sample(words, min(entities, len(words))))
    return text, [(a, b, rng.choice(LABELS)) for a, b in chosen]


def files(count: int, entities: int, fresh: int = 0) -> dict[str, bytes]:
    jsonl, doccano, tasks = [], [], []
    for i in range(count):
        text, spans = annotated(i, entities, fresh)
        jsonl.append(json.dumps({"text": text, "entities": [{"start": a, "end": b, "label": lab}
                                                             for a, b, lab in spans]}, ensure_ascii=False))
        doccano.append(json.dumps({"text": text, "label": [[a, b, lab] for a, b, lab in spans]}, ensure_ascii=False))
        tasks.append({"data": {"text": text}, "annotations": [{"result": [
            {"type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": a, "end": b, "labels": [lab]}} for a, b, lab in spans]}]})
    return {"jsonl": "\n".join(jsonl).encode(), "doccano": "\n".join(doccano).encode(),
            "labelstudio": json.dumps(tasks, ensure_ascii=False).encode()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=5000)
    parser.add_argument("--entities", type=int, default=20)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--cases", default="existing,created")
    parser.add_argument("--formats", default="jsonl,doccano,labelstudio")
    args = parser.parse_args()
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from annotate.models import Role
    from annotate.services import membership_add, project_create
    from annotate.services.annotation_files import annotation_file_import
    from corpus.formats.sources import InputFile
    from corpus.services import collection_create, documents_import

    data = files(args.sets, args.entities)
    print(f"machine reference: {machine_reference_ms()} ms; {args.sets} sets of {args.entities} entities "
          f"on {connection.vendor}")
    print(f"{'format':>12} {'documents':>10} {'seconds':>8} {'sets/s':>7}")
    try:
        with transaction.atomic():
            stamp = int(time.time() * 1000)
            corpus = collection_create(slug=f"bench-ann-{stamp}")
            raw = "\n".join(json.dumps(article(i), ensure_ascii=False) for i in range(args.sets)).encode()
            documents_import(collection=corpus, inputs=[InputFile("a.jsonl", len(raw), io.BytesIO(raw))], workers=2)
            project = project_create(slug=f"bench-ann-{stamp}", name="Bench", collections=[corpus], overlap=1,
                                     schema="news-diplomacy")
            run = 0
            for fmt in args.formats.split(","):
                for case in args.cases.split(","):
                    for _ in range(args.runs):
                        run += 1
                        payload = data[fmt] if case == "existing" else files(args.sets, args.entities, run)[fmt]
                        user = get_user_model().objects.create(username=f"bench-{stamp}-{run}")
                        membership_add(project=project, user=user, role=Role.ANNOTATOR)
                        collection = "" if case == "existing" else f"bench-new-{stamp}-{run}"
                        with transaction.atomic():
                            started = time.perf_counter()
                            report = annotation_file_import(project=project, stream=io.BytesIO(payload),
                                                            name=f"f.{fmt}", fmt=fmt, user=user,
                                                            collection=collection)
                            elapsed = time.perf_counter() - started
                            transaction.set_rollback(True)
                        assert report.committed and report.imported == args.sets, (report.summary(), report.problems[:3])
                        print(f"{fmt:>12} {case:>10} {elapsed:>8.2f} {args.sets / elapsed:>7.0f}")
            raise _Rollback
    except _Rollback:
        pass


if __name__ == "__main__":
    main()
