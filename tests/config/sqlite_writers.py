"""Run as a script by test_sqlite_concurrency.py: a fresh file-based SQLite database with the settings
`make run` uses, and 8 annotators saving at once through the real views (the test client, one per thread).
Prints one JSON line: the status codes seen and the spans stored."""

import json
import os
import sys
import threading
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

ANNOTATORS, SAVES = 8, 25


def main():
    call_command("migrate", verbosity=0)
    from annotate.models import Label, Role, Span, Task
    from annotate.services import tasks_assign
    from tests.factories import make_collection, make_documents, make_project, make_user

    collection = make_collection("news")
    make_documents(collection, ANNOTATORS)
    users = [make_user(f"a{i}") for i in range(ANNOTATORS)]
    project = make_project("p", collections=[collection], overlap=1, members=[(u, Role.ANNOTATOR) for u in users])
    tasks_assign(project=project, annotators=users)
    label = Label.objects.get(project=project, name="GPE").pk
    tasks = {t.annotator_id: t.pk for t in Task.objects.all()}
    connection.close()
    statuses, barrier = Counter(), threading.Barrier(ANNOTATORS)

    def annotate(user):
        client = Client()
        client.force_login(user)
        task = tasks[user.pk]
        client.get(f"/annotate/t/{task}/")
        barrier.wait()
        version = 0
        for n in range(SAVES):  # each save a new span: the same characters take one span of a label
            body = {"op": str(uuid.uuid4()), "version": version, "action": "span.create", "id": str(uuid.uuid4()),
                    "label": label, "start": 0, "end": 1 + n}
            response = client.post(f"/annotate/t/{task}/change", json.dumps(body), content_type="application/json")
            statuses[response.status_code] += 1
            if response.status_code != 200:
                print(response.status_code, response.content[:200], file=sys.stderr)
            if response.status_code == 200:
                version = int(response["X-Task-Version"])
        connections.close_all()

    threads = [threading.Thread(target=annotate, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"statuses": dict(statuses), "spans": Span.objects.count()}))


if __name__ == "__main__":
    main()
