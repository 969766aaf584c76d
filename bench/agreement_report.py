"""The agreement report at scale: 20,000 documents, each submitted by 2 annotators with 20 entity spans
(about three quarters shared), on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/agreement_report.py

Prints the machine reference, the seconds for the whole report, and the seconds to bring it up to date
after one more submission (one document's sets changed). The data is made by the real imports and deleted
afterwards."""

import argparse
import io
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import article, django_setup, machine_reference_ms
from bench.import_annotations import annotated, clean


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--spans", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep", action="store_true", help="leave the data in the database (to profile)")
    parser.add_argument("--workers", default="", help="also time the first report with these worker counts (2,3)")
    args = parser.parse_args()
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.interop.importing.files import annotation_file_import
    from annotate.models import Role, Task
    from annotate.quality.agreement.report import project_tally, report_data
    from annotate.services import membership_add, project_create, task_reopen, task_submit
    from corpus.formats.sources import InputFile
    from corpus.services import collection_create, documents_import

    stamp = int(time.time() * 1000)
    print(f"machine reference: {machine_reference_ms()} ms; {args.documents} documents × 2 annotators × "
          f"{args.spans} spans on {connection.vendor}")
    corpus = collection_create(slug=f"bench-agr-{stamp}")
    raw = "\n".join(json.dumps(article(i), ensure_ascii=False) for i in range(args.documents)).encode()
    started = time.perf_counter()
    made = documents_import(collection=corpus, inputs=[InputFile("a.jsonl", len(raw), io.BytesIO(raw))], workers=2,
                            max_file_bytes=len(raw))
    assert made.imported == args.documents, made.summary()
    project = project_create(slug=f"bench-agr-{stamp}", name="Bench", collections=[corpus], overlap=2,
                             schema="news-diplomacy")
    users = []
    try:
        for who in ("a", "b"):
            user = get_user_model().objects.create(username=f"bench-agr-{stamp}-{who}")
            users.append(user.pk)
            membership_add(project=project, user=user, role=Role.ANNOTATOR)
            rng = random.Random(who)
            lines = []
            for i in range(args.documents):
                text, spans = annotated(i, args.spans)
                if who == "b":  # change a quarter of the spans: another label or a shorter extent
                    spans = [(s, e - 1 if rng.random() < 0.5 and e - s > 2 else e,
                              lab if rng.random() < 0.5 else "ORG") if rng.random() < 0.25 else (s, e, lab)
                             for s, e, lab in spans]
                lines.append(json.dumps({"text": text, "entities": [{"start": s, "end": e, "label": lab}
                                                                     for s, e, lab in spans]}, ensure_ascii=False))
            report = annotation_file_import(project=project, stream=io.BytesIO("\n".join(lines).encode()),
                                            name="bench.jsonl", fmt="jsonl", user=user)
            assert report.committed and report.imported == args.documents, report.summary()
        print(f"data made in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":  # settled tables, as a report meets them, not autovacuum's work
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
                cursor.execute("CHECKPOINT")
        if "--profile" in sys.argv:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(project_tally, project)
            pstats.Stats(profile).sort_stats("tottime").print_stats(14)
        for label in ("report", "report again (nothing changed)"):
            started = time.perf_counter()
            data = report_data(project_tally(project))
            print(f"{label}: {time.perf_counter() - started:.2f} s, {data['documents']} documents, entity exact F1 "
                  f"{data['layers']['entity']['labels']['*']['mean_exact_f1']:.3f}")
        for workers in [int(w) for w in args.workers.split(",") if w]:
            from django.conf import settings

            from annotate.models import DocumentAgreement, ProjectAgreement

            DocumentAgreement.objects.filter(project=project).delete()
            ProjectAgreement.objects.filter(project=project).delete()
            settings.AGREEMENT_WORKERS = workers
            started = time.perf_counter()
            project_tally(project)
            print(f"report from nothing with {workers} worker processes: {time.perf_counter() - started:.2f} s")
        task = Task.objects.filter(project=project).order_by("id").first()
        curator = get_user_model().objects.get(pk=users[0])
        task_reopen(task=task, by=curator, comment="bench")
        task_submit(task=Task.objects.get(pk=task.pk), by=task.annotator)
        started = time.perf_counter()
        data = report_data(project_tally(project))
        print(f"after one more submission: {time.perf_counter() - started:.2f} s, {data['documents']} documents")
    finally:
        if args.keep:
            print(f"kept: project {project.slug}")
        else:
            clean(connection, users, [corpus.slug], project.pk)
            project.delete()
            get_user_model().objects.filter(pk__in=users).delete()


if __name__ == "__main__":
    main()
