"""The statement that locks a task for a change (annotate/services/annotation_store.py), written in SQL
once per process: it must read exactly what the ORM reads, JSON, dates and ids included."""

import uuid

import pytest
from django.db import transaction

from annotate.models import AnnotationChange, EventArgument, Span, Task
from annotate.services.annotation_ops import span_remove
from annotate.services.annotation_store import lock_for_change, span_with_arguments_flag
from corpus.models import Document
from tests.factories import field_values


def test_the_locked_task_document_and_project_read_as_the_orm_reads_them(big):
    task = big["task"]
    Document.objects.filter(pk=task.document_id).update(meta={"source": "AA", "tags": ["diplomasi", "İ"]})
    orm = Task.objects.select_related("document", "project").get(pk=task.pk)
    with transaction.atomic():
        locked = lock_for_change(task.pk, uuid.uuid4(), "span.create", uuid.uuid4())
    assert field_values(locked) == field_values(orm) and locked.opened_at is not None
    assert field_values(locked.document) == field_values(orm.document) and locked.document.meta["tags"][1] == "İ"
    assert field_values(locked.project) == field_values(orm.project)
    assert (locked.replayed, locked.id_taken) == (False, False)
    assert locked.document.text == orm.document.text and len(locked.document.text) == 10_000


def test_the_lock_says_whether_the_op_was_applied_and_the_id_is_taken(big):
    task = big["task"]
    span = Span.objects.filter(task=task).first()
    change = AnnotationChange.objects.create(task=task, seq=1, op_id=uuid.uuid4(), by=big["user"], kind="do",
                                             action="span.create", ops=[])
    with transaction.atomic():
        locked = lock_for_change(task.pk, change.op_id, "span.create", span.client_id)
        assert (locked.replayed, locked.id_taken) == (True, True)
        locked = lock_for_change(task.pk, None, "span.delete", span.client_id)  # no new id to check
        assert (locked.replayed, locked.id_taken) == (False, False)
        with pytest.raises(Task.DoesNotExist):
            lock_for_change(task.pk + 1000, uuid.uuid4(), "span.create", uuid.uuid4())


def test_the_span_and_its_arguments_flag_read_as_the_orm_reads_them(big):
    task = big["task"]
    argued = EventArgument.objects.filter(span__task=task).select_related("span").first().span
    plain = Span.objects.filter(task=task, arguments__isnull=True).first()
    for span, has_arguments in ((argued, True), (plain, False)):
        read = span_with_arguments_flag(task, span.client_id)
        assert field_values(read) == field_values(Span.objects.get(pk=span.pk)) and read.has_arguments is has_arguments
    assert span_with_arguments_flag(task, uuid.uuid4()) is None


def test_removing_a_span_takes_the_arguments_it_fills_and_nothing_else(big):
    # span_remove deletes by hand what the ORM would cascade: event arguments are all that points at a span.
    assert [r.remote_field for r in Span._meta.related_objects] == [EventArgument._meta.get_field("span")]
    task = big["task"]
    argued = EventArgument.objects.filter(span__task=task).select_related("span").first().span
    spans, arguments = Span.objects.count(), EventArgument.objects.count()
    with transaction.atomic():
        span_remove(task, str(argued.client_id))
    assert not Span.objects.filter(pk=argued.pk).exists() and not EventArgument.objects.filter(span=argued).exists()
    assert (Span.objects.count(), EventArgument.objects.count()) == (spans - 1, arguments - 1)
    with transaction.atomic():  # a client id is the task's own: asked of another task, nothing goes
        span_remove(Task(pk=task.pk + 1000), str(Span.objects.filter(task=task).first().client_id))
    assert Span.objects.count() == spans - 1
