"""The curation page's speed: a 4,000-character article submitted by 3 annotators with 40 spans each (most
shared, some with another label or other edges) and 4 events with arguments; the curator's page render,
the alignment table's refresh after a change, and one "accept" saved.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/curation_page.py

Through the real views (Django's test client, in process); prints medians and query counts. Leaves no
data behind."""

import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import django_setup, machine_reference_ms

WORDS = ["Xi", "Jinping", "Vladimir", "Putin", "Pekin'de", "bir", "araya", "geldi", "Dışişleri", "Bakanı", "salı", "günü",
         "görüştü", "Ankara'da", "Hakan", "Fidan"]
RUNS = 60


def setup():
    from django.contrib.auth import get_user_model

    from annotate.models import Event, EventArgument, EventRole, Label, Membership, Role, Span, Task
    from annotate.services import project_create, task_submit, tasks_assign
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    rng = random.Random(3)
    stamp = int(time.time())
    text = ""
    while len(text) < 4_000:
        text += " ".join(rng.choice(WORDS) for _ in range(14)) + ".\n"
    collection = collection_create(slug=f"bench-cur-{stamp}")
    documents_import(collection=collection, inputs=[memory_input("d.txt", text[:4_000])], language="tr")
    project = project_create(slug=f"bench-cur-{stamp}", name="Bench curation", schema="news-diplomacy",
                             collections=[collection], overlap=3)
    User = get_user_model()
    annotators = [User.objects.create(username=f"bench-cur-{stamp}-{i}") for i in range(3)]
    curator = User.objects.create(username=f"bench-cur-{stamp}-curator")
    Membership.objects.bulk_create([Membership(project=project, user=u, role=Role.ANNOTATOR) for u in annotators]
                                   + [Membership(project=project, user=curator, role=Role.CURATOR)])
    tasks_assign(project=project, annotators=annotators)
    labels = {lab.name: lab for lab in Label.objects.filter(project=project)}
    participant = EventRole.objects.get(event_type=labels["MEETING"], name="participant")
    # 40 shared places; each annotator keeps most, relabels some, moves the end of a few.
    starts = sorted(rng.sample(range(0, 3_900, 9), 40))
    for k, user in enumerate(annotators):
        task = Task.objects.get(project=project, annotator=user)
        spans = []
        for s in starts:
            label = labels["PER"] if rng.random() > 0.15 else labels[rng.choice(["GPE", "ORG"])]
            spans.append(Span(task=task, label=label, start=s, end=s + 6 + (k if rng.random() < 0.1 else 0)))
        spans = Span.objects.bulk_create(spans)
        events = Event.objects.bulk_create([Event(task=task, event_type=labels["MEETING"], start=s + 1, end=s + 5)
                                            for s in starts[5::10]])
        EventArgument.objects.bulk_create(
            [EventArgument(event=e, role=participant, span=spans[i * 10 + j]) for i, e in enumerate(events)
             for j in (0, 1)])
        task_submit(task=task, by=user)
    return project, collection, annotators, curator


def main() -> None:
    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotate.models import Task
    from corpus.models import Document

    print(f"machine reference: {machine_reference_ms()} ms; 3 annotators × 40 spans + 4 events on {connection.vendor}")
    project, collection, annotators, curator = setup()
    try:
        document = Document.objects.get(collection=collection)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(curator)
        url = f"/annotate/p/{project.slug}/curation/{document.pk}/"
        assert client.get(url).status_code == 200  # opens the gold set (the agreed spans go in)

        def timed(call) -> tuple[float, int]:
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response = call()
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            with CaptureQueriesContext(connection) as queries:
                call()
            return statistics.median(times) * 1000, len(queries)

        page_ms, page_queries = timed(lambda: client.get(url))
        table_ms, table_queries = timed(lambda: client.get(url, headers={"HX-Request": "true", "HX-Target": "alignment"}))
        gold = Task.gold_sets.get(project=project)
        page = client.get(url).content.decode()
        choices = [json.loads(chunk.split('"', 1)[0].replace("&quot;", '"'))
                   for chunk in page.split('data-change="')[1:]]
        accepts = [c for c in choices if c["action"] == "curation.accept"]
        times = []
        for change in accepts[:20]:
            gold.refresh_from_db()
            body = {**change, "op": str(uuid.uuid4()), "version": gold.version}
            started = time.perf_counter()
            response = client.post(f"/annotate/t/{gold.pk}/change", json.dumps(body), content_type="application/json")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content
        print(f"curation page: median {page_ms:.1f} ms, {page_queries} queries "
              f"({len(accepts)} answers to accept, {page.count('<tr class=')} rows)")
        print(f"alignment refresh (htmx): median {table_ms:.1f} ms, {table_queries} queries")
        print(f"accept saved: median {statistics.median(times) * 1000:.1f} ms over {len(times)}")
    finally:
        from django.contrib.auth import get_user_model

        from annotate.models import Membership

        Task.all_kinds.filter(project=project).delete()
        Membership.objects.filter(project=project).delete()
        project.delete()
        Document.objects.filter(collection=collection).delete()
        collection.delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in [*annotators, curator]]).delete()


if __name__ == "__main__":
    main()
