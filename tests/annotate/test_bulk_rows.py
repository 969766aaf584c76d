"""annotate.bulk_rows: tasks written with ids from the sequence (every database), and on
PostgreSQL spans copied as text, with work done while the database stores them and their foreign keys
checked per statement."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from annotate.bulk_rows import foreign_keys_per_statement, rows_copy_text, rows_insert_returning
from annotate.models import Label, Role, Span, Task, TaskStatus
from tests.factories import make_collection, make_documents, make_project, make_user

COLUMNS = ["task", "client_id", "label", "start", "end", "created_at"]


@pytest.fixture
def task(db):
    collection = make_collection("news")
    make_documents(collection, 2)
    user = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    document = collection.documents.order_by("id").first()
    [pk] = rows_insert_returning(Task, [{"project": project.pk, "document": document.pk, "annotator": user.pk,
                                         "collection": collection.pk, "status": TaskStatus.SUBMITTED,
                                         "assigned_at": timezone.now()}])
    return Task.objects.get(pk=pk)


def _lines(task, count, task_id=None):
    label = Label.objects.get(project=task.project, name="GPE").pk
    at = timezone.now().isoformat()
    return "".join(f"{task_id or task.pk}\t{uuid.uuid4().hex}\t{label}\t{i}\t{i + 1}\t{at}\n" for i in range(count))


def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("COPY: PostgreSQL (CI runs it there)")


def test_tasks_get_their_ids_in_order_and_their_fields_defaults(task):
    other = task.document.collection.documents.order_by("id").last()
    ids = rows_insert_returning(Task, [
        {"project": task.project_id, "document": other.pk, "annotator": task.annotator_id,
         "collection": other.collection_id, "status": TaskStatus.ASSIGNED, "assigned_at": timezone.now()},
        {"project": task.project_id, "document": other.pk, "annotator": task.annotator_id, "kind": "gold",
         "collection": other.collection_id, "assigned_at": timezone.now()},
    ])
    first, second = (Task._base_manager.get(pk=pk) for pk in ids)
    assert ids[0] < ids[1] and first.status == TaskStatus.ASSIGNED and first.annotator_id == task.annotator_id
    assert second.kind == "gold" and second.status == Task._meta.get_field("status").default
    assert task.status == TaskStatus.SUBMITTED and task.version == 0


def test_copied_spans_are_stored_and_the_work_meanwhile_runs_once(task):
    _postgresql()
    calls = []
    rows_copy_text(Span, COLUMNS, _lines(task, 50), meanwhile=lambda: calls.append(Span.objects.model))
    assert calls == [Span] and Span.objects.filter(task=task).count() == 50


def test_a_failure_meanwhile_is_raised_and_leaves_the_connection_usable(task):
    _postgresql()

    def fail():
        raise RuntimeError("the next batch could not be read")

    with pytest.raises(RuntimeError, match="next batch"), transaction.atomic():
        rows_copy_text(Span, COLUMNS, _lines(task, 10), meanwhile=fail)
    assert Span.objects.filter(task=task).count() == 0  # rolled back with its savepoint


def test_a_bad_reference_is_refused_at_the_copy_inside_the_block_and_at_commit_outside(task):
    _postgresql()
    missing = Task.objects.order_by("-pk").first().pk + 1000
    with foreign_keys_per_statement(Span):
        with pytest.raises(IntegrityError, match="annotate_task"), transaction.atomic():
            rows_copy_text(Span, COLUMNS, _lines(task, 3, task_id=missing), meanwhile=lambda: None)
        rows_copy_text(Span, COLUMNS, _lines(task, 3), meanwhile=lambda: None)  # good rows still go in
    copied = []
    with pytest.raises(IntegrityError, match="annotate_task"), transaction.atomic():
        rows_copy_text(Span, COLUMNS, _lines(task, 1, task_id=missing))
        copied.append(True)  # deferred again: the statement passed; the check waits for the commit (or this)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert copied == [True]
    assert Span.objects.filter(task=task).count() == 3
