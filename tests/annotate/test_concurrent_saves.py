"""Copies of one save sent at once (a proxy's retry) on PostgreSQL: one is applied, the others are told
"already saved", never a conflict."""

import json
import threading
import time
import uuid
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from annotate.models import AnnotationChange, Label, Role, Span, Task
from annotate.services import tasks_assign
from tests.factories import make_collection, make_documents, make_project, make_user

COPIES = 5


@pytest.mark.django_db(transaction=True)
def test_five_copies_of_one_change_at_once_give_one_applied_and_four_already_saved():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and snapshots: PostgreSQL (CI runs it there)")
    collection = make_collection("news")
    make_documents(collection, 1)
    user = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    task = Task.objects.get()
    body = json.dumps({"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()),
                       "label": Label.objects.get(project=project, name="GPE").pk, "start": 0, "end": 5})
    answers, lock_held, waiting = [], threading.Event(), []
    start = threading.Barrier(COPIES)  # the copies leave together, as a burst of retries does

    def hold_the_lock():
        # Every copy's lock query starts (and takes its snapshot) while this holds the row, and the row is
        # released only once the database itself says that all of them wait for it: the race is certain to
        # happen, whatever the machine's speed (no sleep decides it).
        with transaction.atomic():
            Task.objects.select_for_update().get(pk=task.pk)
            lock_held.set()
            deadline = time.monotonic() + 30
            with connection.cursor() as cursor:
                while time.monotonic() < deadline:
                    # Backends of this test database waiting for a lock (the statistics snapshot of a
                    # transaction is cleared first, or it would show the first look for ever).
                    cursor.execute("SELECT pg_stat_clear_snapshot()")
                    cursor.execute("SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a "
                                   "ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()")
                    waiting.append(cursor.fetchone()[0])
                    if waiting[-1] >= COPIES:
                        break
        connections.close_all()

    def send():
        client = Client()
        client.force_login(user)
        start.wait(10)
        response = client.post(f"/annotate/t/{task.pk}/change", body, content_type="application/json")
        answers.append((response.status_code, response.content.decode()))
        connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert lock_held.wait(10)
    senders = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in senders:
        thread.start()
    for thread in [holder, *senders]:
        thread.join(60)
    assert waiting and waiting[-1] == COPIES, f"the copies never all waited for the row: {waiting[-5:]}"
    statuses = Counter(status for status, _ in answers)
    assert statuses == {200: COPIES}, answers
    applied = [text for _, text in answers if text.lstrip().startswith('<div id="workspace-changes"')]
    already = [text for _, text in answers if "Already saved." in text]
    assert len(applied) == 1 and len(already) == COPIES - 1
    assert Span.objects.count() == 1 and AnnotationChange.objects.count() == 1
    assert Task.objects.get().version == 1
