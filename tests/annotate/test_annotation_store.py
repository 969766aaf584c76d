"""The statements around a change (annotate/services/annotation_store.py), written in SQL once per process:
the lock must read exactly what the ORM reads, JSON, dates and ids included, and a folded write must do
what the ops run one by one do."""

import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from annotate.models import AnnotationChange, EventArgument, Span, Task
from annotate.rows import annotation_rows
from annotate.services.annotation_ops import span_remove
from annotate.services.annotation_store import (
    _folded_writes,
    change_write,
    lock_for_change,
    span_with_arguments_flag,
)
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


def test_the_lock_reads_the_span_a_deletion_or_update_names_as_the_orm_reads_it(big):
    task = big["task"]
    argued = EventArgument.objects.filter(span__task=task).select_related("span").first().span
    plain = Span.objects.filter(task=task, arguments__isnull=True).first()
    with transaction.atomic():
        for action in ("span.delete", "span.update"):
            for span, has_arguments in ((argued, True), (plain, False)):
                locked = lock_for_change(task.pk, uuid.uuid4(), action, span.client_id)
                assert locked.span_read[0] == span.client_id
                read = locked.span_read[1]
                assert field_values(read) == field_values(Span.objects.get(pk=span.pk))
                assert read.has_arguments is has_arguments
                assert field_values(locked) == field_values(Task.objects.get(pk=task.pk))
                assert locked.document.text == task.document.text
        gone = uuid.uuid4()
        assert lock_for_change(task.pk, uuid.uuid4(), "span.delete", gone).span_read == (gone, None)
        assert lock_for_change(task.pk, uuid.uuid4(), "span.create", gone).span_read is None


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


def _history(task):
    return list(AnnotationChange.objects.filter(task=task).order_by("seq").values_list("seq", "action", "ops"))


def test_a_span_added_or_taken_away_is_one_statement_with_the_history_on_postgresql(big):
    task, user = big["task"], big["user"]
    postgresql = connection.vendor == "postgresql"
    label = big["labels"]["PER"].pk
    added = {"op": "add_span", "data": {"client_id": str(uuid.uuid4()), "label_id": label, "start": 0, "end": 2,
                                        "origin": "gazetteer"}}
    assert (_folded_writes(task, [added]) is not None) is postgresql
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        change_write(task, ops=[added], op_id=uuid.uuid4(), by=user, kind="do", action="span.create", ref_seq=None)
    assert len(queries) == (1 if postgresql else 3) and task.version == 1
    span = Span.objects.get(task=task, client_id=added["data"]["client_id"])
    assert (span.label_id, span.start, span.end, span.origin, span.created_at is not None) == (
        label, 0, 2, "gazetteer", True)
    assert _history(task) == [(1, "span.create", [added])]

    # Taken away, with the event argument it fills (as span_remove takes it), and nothing else.
    argument = EventArgument.objects.filter(span__task=task).select_related("span").first()
    removed = {"op": "remove_span", "data": {"client_id": str(argument.span.client_id)}}
    spans, arguments = Span.objects.count(), EventArgument.objects.count()
    with transaction.atomic():
        change_write(task, ops=[removed], op_id=uuid.uuid4(), by=user, kind="do", action="span.delete", ref_seq=None)
    assert not Span.objects.filter(pk=argument.span_id).exists() and task.version == 2
    assert (Span.objects.count(), EventArgument.objects.count()) == (spans - 1, arguments - 1)
    assert Task.objects.get(pk=task.pk).version == 2 and [h[1] for h in _history(task)] == ["span.create", "span.delete"]


def test_any_other_change_runs_op_by_op(big):
    task = big["task"]
    span = Span.objects.filter(task=task).first()
    data = {"client_id": str(span.client_id), "label_id": span.label_id, "start": span.start, "end": span.end}
    changed = {"op": "change_span", "client_id": data["client_id"], "before": data, "after": {**data, "end": span.end + 1}}
    two = [{"op": "remove_span", "data": data}, {"op": "add_span", "data": {**data, "client_id": str(uuid.uuid4())}}]
    assert _folded_writes(task, [changed]) is None and _folded_writes(task, two) is None
    with transaction.atomic():
        change_write(task, ops=two, op_id=uuid.uuid4(), by=big["user"], kind="do", action="test", ref_seq=None)
    assert not Span.objects.filter(pk=span.pk).exists()
    assert Span.objects.filter(task=task, client_id=two[1]["data"]["client_id"], start=span.start).exists()
    assert _history(task) == [(1, "test", two)]


def _sorted(rows):
    return sorted(rows.spans), sorted(rows.events), sorted(rows.arguments)


def test_the_rows_read_back_with_the_write_are_those_read_after_it(big):
    # The statement sees the rows as they were before it: what it adds and takes away is accounted for.
    task, user = big["task"], big["user"]
    text = task.document.text
    argument = EventArgument.objects.filter(span__task=task).select_related("span").first()
    span = argument.span
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    window = (line_start, len(text) if line_end < 0 else line_end)
    before = annotation_rows(task.pk, window=window, all_events=False)
    assert before.spans and before.events  # a line with marks and events on it
    removed = {"op": "remove_span", "data": {"client_id": str(span.client_id)}}
    added = {"op": "add_span", "data": {"client_id": str(uuid.uuid4()), "label_id": big["labels"]["PER"].pk,
                                        "start": span.start, "end": span.end}}
    for ops, action in (([removed], "span.delete"), ([added], "span.create")):
        with transaction.atomic():
            read = change_write(task, ops=ops, window=window, op_id=uuid.uuid4(), by=user, kind="do", action=action,
                                ref_seq=None)
        after = annotation_rows(task.pk, window=window, all_events=False)
        if connection.vendor == "postgresql":
            assert _sorted(read) == _sorted(after)
        else:
            assert read is None  # read by the page afterwards, as before
    assert len(after.spans) == len(before.spans) and added["data"]["client_id"] in {s.client_id for s in after.spans}
    # Without a window (another caller), nothing is read back.
    with transaction.atomic():
        assert change_write(task, ops=[removed | {"data": added["data"]}], op_id=uuid.uuid4(), by=user, kind="do",
                            action="span.delete", ref_seq=None) is None
