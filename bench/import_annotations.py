"""Annotation import speed: 5,000 generated articles of ~3,000 characters with 20 entities each, as our
JSONL, doccano JSONL, a Label Studio task list, a brat archive and an XMI archive (INCEpTION), imported by annotation_file_import (what the command
and the API call) on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/import_annotations.py

Two cases per format: the documents are in the project already (found by their text, the usual case of
annotations made elsewhere on our corpus), and the import creates them (--collection: each document is
tokenized and indexed as an article import does). Prints the machine reference and annotation sets per
second. Each import is committed (its time includes the commit), then its rows are deleted and the
database vacuumed, so that every run meets the same tables; PostgreSQL only (ANY(array) in the clean-up)."""

import argparse
import io
import json
import random
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import article, django_setup, machine_reference_ms

LABELS = ["PER", "ORG", "GPE", "LOC"]


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
    from cassis import Cas

    from annotate.interop.formats.xmi import NAMED_ENTITY, type_system

    ts = type_system()
    brat, xmi = io.BytesIO(), io.BytesIO()
    archive = zipfile.ZipFile(brat, "w", compression=zipfile.ZIP_DEFLATED)
    inception = zipfile.ZipFile(xmi, "w", compression=zipfile.ZIP_DEFLATED)
    inception.writestr("TypeSystem.xml", ts.to_xml())
    for i in range(count):
        text, spans = annotated(i, entities, fresh)
        cas = Cas(typesystem=ts)
        cas.sofa_string = text
        for a, b, lab in spans:
            cas.add(ts.get_type(NAMED_ENTITY)(begin=a, end=b, value=lab))
        inception.writestr(f"doc-{i:06d}.xmi", cas.to_xmi())
        archive.writestr(f"doc-{i:06d}.txt", text)
        archive.writestr(f"doc-{i:06d}.ann", "".join(f"T{n}\t{lab} {a} {b}\t{text[a:b]}\n"
                                                     for n, (a, b, lab) in enumerate(spans, 1)))
        jsonl.append(json.dumps({"text": text, "entities": [{"start": a, "end": b, "label": lab}
                                                             for a, b, lab in spans]}, ensure_ascii=False))
        doccano.append(json.dumps({"text": text, "label": [[a, b, lab] for a, b, lab in spans]}, ensure_ascii=False))
        tasks.append({"data": {"text": text}, "annotations": [{"result": [
            {"type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": a, "end": b, "labels": [lab]}} for a, b, lab in spans]}]})
    archive.close()
    inception.close()
    return {"xmi": xmi.getvalue(), "jsonl": "\n".join(jsonl).encode(), "doccano": "\n".join(doccano).encode(),
            "labelstudio": json.dumps(tasks, ensure_ascii=False).encode(), "brat": brat.getvalue()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=5000)
    parser.add_argument("--entities", type=int, default=20)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--cases", default="existing,created")
    parser.add_argument("--formats", default="jsonl,doccano,labelstudio,brat,xmi")
    args = parser.parse_args()
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.interop.importing.files import annotation_file_import
    from annotate.models import Role
    from annotate.services import membership_add, project_create
    from corpus.formats.sources import InputFile
    from corpus.services import collection_create, documents_import

    data = files(args.sets, args.entities)
    print(f"machine reference: {machine_reference_ms()} ms; {args.sets} sets of {args.entities} entities "
          f"on {connection.vendor}")
    print(f"{'format':>12} {'documents':>10} {'seconds':>8} {'sets/s':>7}")
    stamp = int(time.time() * 1000)
    corpus = collection_create(slug=f"bench-ann-{stamp}")
    raw = "\n".join(json.dumps(article(i), ensure_ascii=False) for i in range(args.sets)).encode()
    documents_import(collection=corpus, inputs=[InputFile("a.jsonl", len(raw), io.BytesIO(raw))], workers=2)
    project = project_create(slug=f"bench-ann-{stamp}", name="Bench", collections=[corpus], overlap=1,
                             schema="news-diplomacy")
    run, users, collections = 0, [], [corpus.slug]
    try:
        for fmt in args.formats.split(","):
            for case in args.cases.split(","):
                for _ in range(args.runs):
                    run += 1
                    payload = data[fmt] if case == "existing" else files(args.sets, args.entities, run)[fmt]
                    user = get_user_model().objects.create(username=f"bench-{stamp}-{run}")
                    users.append(user.pk)
                    membership_add(project=project, user=user, role=Role.ANNOTATOR)
                    collection = "" if case == "existing" else f"bench-new-{stamp}-{run}"
                    started = time.perf_counter()
                    report = annotation_file_import(project=project, stream=io.BytesIO(payload), name=f"f.{fmt}",
                                                    fmt=fmt, user=user, collection=collection,
                                                    attach_collection=True)  # committed
                    elapsed = time.perf_counter() - started
                    assert report.committed and report.imported == args.sets, (report.summary(), report.problems[:3])
                    print(f"{fmt:>12} {case:>10} {elapsed:>8.2f} {args.sets / elapsed:>7.0f}")
                    clean(connection, [user.pk], [collection] if collection else [], project.pk)
    finally:
        clean(connection, users, collections, project.pk)
        project.delete()
        get_user_model().objects.filter(pk__in=users).delete()


def clean(connection, users: list[int], collections: list[str], project: int) -> None:
    """Delete a run's rows by SQL (Django's delete would load them all), then VACUUM, so that every run
    meets the same tables and indexes rather than the dead rows of the runs before it."""
    tasks = "SELECT id FROM annotate_task WHERE annotator_id = ANY(%s)"
    docs = "SELECT d.id FROM corpus_document d JOIN corpus_collection c ON c.id = d.collection_id WHERE c.slug = ANY(%s)"
    statements = [
        (f"DELETE FROM annotate_eventargument WHERE event_id IN (SELECT id FROM annotate_event WHERE task_id IN "
         f"({tasks}))", [users]),
        (f"DELETE FROM annotate_event WHERE task_id IN ({tasks})", [users]),
        (f"DELETE FROM annotate_span WHERE task_id IN ({tasks})", [users]),
        (f"DELETE FROM annotate_tasktransition WHERE task_id IN ({tasks})", [users]),
        ("DELETE FROM annotate_task WHERE annotator_id = ANY(%s)", [users]),
        ("DELETE FROM annotate_progresscounter WHERE annotator_id = ANY(%s)", [users]),
        ("DELETE FROM annotate_documentagreement WHERE project_id = %s", [project]),
        ("DELETE FROM annotate_project_collections WHERE project_id = %s AND collection_id IN "
         "(SELECT id FROM corpus_collection WHERE slug = ANY(%s))", [project, collections]),
        (f"DELETE FROM corpus_documenttokens WHERE document_id IN ({docs})", [collections]),
        (f"DELETE FROM corpus_document WHERE id IN ({docs})", [collections]),
        ("DELETE FROM corpus_collection WHERE slug = ANY(%s)", [collections]),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")

if __name__ == "__main__":
    main()
