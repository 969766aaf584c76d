from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.models import ProgressCounter, Role, Task, TaskStatus
from annotate.selection import DocumentFilter
from annotate.services import (
    AssignmentError,
    annotators_resolve,
    membership_add,
    task_open,
    tasks_assign,
    tasks_reassign,
    tasks_unassign,
)
from tests.factories import make_collection, make_documents, make_project, make_user

MAX_ANNOTATORS = 6


@pytest.fixture
def world(db):
    a, b = make_collection("col-a", "A"), make_collection("col-b", "B")
    make_documents(a, 17)
    make_documents(b, 11, language="sq", prefix="Dokument")
    users = [make_user(f"ann{i}") for i in range(MAX_ANNOTATORS)]
    project = make_project("proj", collections=[a, b], members=[(u, Role.ANNOTATOR) for u in users])
    return project, users


def check_invariants(project, annotators, overlap, covered_collections):
    tasks = Task.objects.filter(project=project)
    per_document = tasks.values("document").annotate(n=Count("id"), distinct=Count("annotator", distinct=True))
    assert all(row["n"] == row["distinct"] == overlap for row in per_document)  # exactly overlap, no one twice
    covered = set(
        project.collections.filter(slug__in=covered_collections).values_list("documents__id", flat=True)
    )
    assert {row["document"] for row in per_document} == covered
    loads = Counter(dict(tasks.values_list("annotator").annotate(n=Count("id"))))
    counts = [loads.get(u.pk, 0) for u in annotators]
    assert max(counts) - min(counts) <= 1, counts  # balanced within one
    counters = dict(
        ProgressCounter.objects.filter(project=project).values_list("annotator").annotate(n=Sum("count"))
    )
    assert {k: v for k, v in counters.items() if v} == dict(loads)  # the dashboard's counters agree


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_assignment_invariants_hold_over_any_sequence_of_runs(world, data):
    project, users = world
    n = data.draw(st.integers(1, MAX_ANNOTATORS), label="annotators")
    annotators = data.draw(st.permutations(users), label="order")[:n]
    overlap = data.draw(st.integers(1, n), label="overlap")
    runs = data.draw(st.lists(st.sampled_from(["col-a", "col-b", "both"]), min_size=1, max_size=4), label="runs")
    with transaction.atomic():
        covered: set[str] = set()
        for run in runs:
            slugs = ["col-a", "col-b"] if run == "both" else [run]
            tasks_assign(project=project, annotators=annotators, selection=DocumentFilter(collections=slugs), overlap=overlap)
            covered |= set(slugs)
            check_invariants(project, annotators, overlap, covered)
            again = tasks_assign(
                project=project, annotators=annotators, selection=DocumentFilter(collections=slugs), overlap=overlap
            )
            assert again.created == 0  # idempotent
        transaction.set_rollback(True)


def test_a_first_assignment_reports_what_it_did(world):
    project, users = world
    report = tasks_assign(project=project, annotators=users[:3], overlap=2)
    assert (report.documents, report.created, report.already_complete, report.short) == (28, 56, 0, 0)
    assert sorted(report.per_annotator.values()) == [18, 19, 19]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"overlap": 4, "names": ["ann0", "ann1", "ann2"]}, "An overlap of 4 needs at least 4 annotators; 3 were chosen"),
        ({"overlap": 0, "names": ["ann0"]}, "The overlap must be at least 1"),
        ({"names": ["ann0", "nobody", "ghost"]}, "Unknown user(s): nobody, ghost"),
        ({"names": ["ann0", "ann0"]}, "An annotator is named twice"),
        ({"names": ["ann0", "outsider"]}, "Not annotators of project proj: outsider"),
        ({"names": ["ann0", "ann1"], "collections": ["elsewhere"]}, "collection 'elsewhere' is not one of project proj's collections"),
        ({"names": ["ann0", "ann1"], "collections": ["missing"]}, "collection 'missing' is not one of project proj's collections"),  # the same words: no hint of what exists elsewhere
    ],
)
def test_bad_assignment_input_is_refused_and_changes_nothing(world, kwargs, message):
    project, _users = world
    make_user("outsider")
    make_collection("elsewhere")
    with pytest.raises(AssignmentError if "collections" not in kwargs else Exception) as caught:
        annotators = annotators_resolve(project, kwargs["names"])
        tasks_assign(
            project=project, annotators=annotators, overlap=kwargs.get("overlap"),
            selection=DocumentFilter(collections=kwargs.get("collections", [])),
        )
    assert message in " ".join(caught.value.messages)
    assert not Task.objects.exists() and not ProgressCounter.objects.exists()


def test_filters_narrow_the_documents(world):
    project, users = world
    report = tasks_assign(project=project, annotators=users[:2], selection=DocumentFilter(language="sq"), overlap=1)
    assert report.documents == 11
    assert set(Task.objects.values_list("document__language", flat=True)) == {"sq"}


def test_reassign_moves_open_tasks_and_warns_about_started_ones(world):
    project, users = world
    a, b, c = users[:3]
    tasks_assign(project=project, annotators=[a, b], overlap=1, selection=DocumentFilter(collections=["col-b"]))
    started = Task.objects.filter(annotator=a).first()
    task_open(task=started, by=a)
    report = tasks_reassign(project=project, from_annotator=a, to_annotator=c)
    assert report.moved == Task.objects.filter(annotator=c).count() > 0
    assert report.started == 1 and "warning: 1 of them had been started" in report.summary("moved")
    assert not Task.objects.filter(annotator=a).exists()
    assert started.transitions.filter(comment="reassigned from ann0 to ann2").exists()
    check_counters(project)


def test_reassign_leaves_documents_the_target_already_has(world):
    project, users = world
    a, b = users[:2]
    tasks_assign(project=project, annotators=[a, b], overlap=2, selection=DocumentFilter(collections=["col-b"]))
    report = tasks_reassign(project=project, from_annotator=a, to_annotator=b)
    assert (report.moved, report.kept) == (0, 11)
    # The preview and the report say why nothing moved.
    assert report.summary("moved") == "0 tasks moved (ann1 already has all 11 of those documents); 11 left in place."


def test_reassign_that_moves_nothing_says_why(world):
    from annotate.services import task_submit

    project, users = world
    a, b, c = users[:3]
    assert "ann0 has no open task in this project" in tasks_reassign(
        project=project, from_annotator=a, to_annotator=c).summary("moved")
    tasks_assign(project=project, annotators=[a, b], overlap=1, selection=DocumentFilter(collections=["col-b"]))
    for task in Task.objects.filter(annotator=a):
        task_submit(task=task, by=a)
    report = tasks_reassign(project=project, from_annotator=a, to_annotator=c)
    assert report.moved == 0 and "finished tasks stay with who did them" in report.why


def test_unassign_keeps_started_tasks_unless_asked_and_never_touches_submitted(world):
    project, users = world
    a, b = users[:2]
    tasks_assign(project=project, annotators=[a, b], overlap=1, selection=DocumentFilter(collections=["col-b"]))
    mine = list(Task.objects.filter(annotator=a).order_by("id"))
    task_open(task=mine[0], by=a)
    from annotate.services import task_submit

    task_submit(task=mine[1], by=a)
    report = tasks_unassign(project=project, annotator=a)
    assert (report.moved, report.kept) == (len(mine) - 2, 1)
    report = tasks_unassign(project=project, annotator=a, include_started=True)
    assert (report.moved, report.started) == (1, 1)
    assert list(Task.objects.filter(annotator=a).values_list("status", flat=True)) == [TaskStatus.SUBMITTED]
    check_counters(project)
    again = tasks_assign(project=project, annotators=[a, b], overlap=1, selection=DocumentFilter(collections=["col-b"]))
    assert again.created == len(mine) - 1  # the gaps are filled again


def check_counters(project):
    actual = Counter(
        {
            (r["annotator"], r["collection"], r["status"]): r["n"]
            for r in Task.objects.filter(project=project).values("annotator", "collection", "status").annotate(n=Count("id"))
        }
    )
    stored = Counter(
        {
            (c.annotator_id, c.collection_id, c.status): c.count
            for c in ProgressCounter.objects.filter(project=project)
            if c.count
        }
    )
    assert stored == actual


def test_the_assign_command(world, capsys):
    assert world  # the project and its six annotators
    call_command("assign", "--project", "proj", "--collection", "col-a", "--annotators", "ann0,ann1,ann2")
    out = capsys.readouterr().out
    assert "17 documents: 34 tasks created" in out and "ann0: +12" in out
    with pytest.raises(CommandError, match="Unknown user"):
        call_command("assign", "--project", "proj", "--annotators", "zed")
    with pytest.raises(CommandError, match="No project"):
        call_command("assign", "--project", "nope", "--annotators", "ann0")
    with pytest.raises(CommandError, match="An overlap of 3 needs"):
        call_command("assign", "--project", "proj", "--annotators", "ann0,ann1", "--overlap", "3")
    assert Task.objects.count() == 34


def test_a_member_who_is_not_an_annotator_gets_no_tasks(world):
    project, _users = world
    curator = make_user("cur")
    membership_add(project=project, user=curator, role=Role.CURATOR)
    with pytest.raises(AssignmentError, match="Not annotators of project proj: cur"):
        tasks_assign(project=project, annotators=[curator])
