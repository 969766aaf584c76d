import datetime as dt

import pytest
from django.utils import timezone

from annotate.dashboard import project_progress
from annotate.models import Task, TaskStatus
from annotate.services import TransitionError, task_open, task_reopen, task_skip, task_submit, tasks_assign
from annotate.services.lifecycle import SITTING_CAP


@pytest.fixture
def tasks(team):
    tasks_assign(project=team["project"], annotators=[team["annotator"], team["annotator_b"]])
    mine = list(Task.objects.filter(annotator=team["annotator"]).order_by("assigned_at", "id"))
    return team, mine


def trail(task):
    return [(t.from_status, t.to_status, t.by.username, t.comment) for t in task.transitions.order_by("id")]


def test_assigned_then_in_progress_then_submitted_keeps_who_and_when(tasks):
    team, mine = tasks
    task = task_open(task=mine[0], by=team["annotator"])
    assert task.status == TaskStatus.IN_PROGRESS and task.started_at and task.opened_at
    task_open(task=task, by=team["annotator"])  # opening again is not a transition
    Task.objects.filter(pk=task.pk).update(opened_at=timezone.now() - dt.timedelta(minutes=3))
    task = task_submit(task=task, by=team["annotator"])
    assert task.status == TaskStatus.SUBMITTED and task.finished_at
    assert 179 <= task.seconds_spent <= 185
    assert trail(task) == [("assigned", "in_progress", "annotator", ""), ("in_progress", "submitted", "annotator", "")]


def test_a_sitting_counts_at_most_the_cap(tasks):
    team, mine = tasks
    task = task_open(task=mine[0], by=team["annotator"])
    Task.objects.filter(pk=task.pk).update(opened_at=timezone.now() - dt.timedelta(hours=9))
    task = task_submit(task=task, by=team["annotator"])
    assert task.seconds_spent == SITTING_CAP.total_seconds()


def test_skip_needs_a_reason_and_keeps_it(tasks):
    team, mine = tasks
    with pytest.raises(TransitionError, match="Say why you skip"):
        task_skip(task=mine[0], by=team["annotator"], reason="  ")
    task = task_skip(task=mine[0], by=team["annotator"], reason="Sport, not diplomacy")
    assert (task.status, task.skip_reason) == (TaskStatus.SKIPPED, "Sport, not diplomacy")
    assert trail(task)[-1] == ("assigned", "skipped", "annotator", "Sport, not diplomacy")


def test_finished_tasks_cannot_be_submitted_again_and_others_cannot_touch_them(tasks):
    team, mine = tasks
    task_submit(task=mine[0], by=team["annotator"])
    with pytest.raises(TransitionError, match="already submitted"):
        task_submit(task=mine[0], by=team["annotator"])
    with pytest.raises(TransitionError, match="Only the task's annotator"):
        task_submit(task=mine[1], by=team["annotator_b"])


def test_reopen_needs_a_comment_and_sends_the_task_back(tasks):
    team, mine = tasks
    task_submit(task=mine[0], by=team["annotator"])
    with pytest.raises(TransitionError, match="Say why the task is reopened"):
        task_reopen(task=mine[0], by=team["curator"], comment="")
    task = task_reopen(task=mine[0], by=team["curator"], comment="Mark the dateline as METADATA.")
    assert task.status == TaskStatus.IN_PROGRESS and task.finished_at is None
    assert trail(task)[-1] == ("submitted", "in_progress", "curator", "Mark the dateline as METADATA.")
    with pytest.raises(TransitionError, match="nothing to reopen"):
        task_reopen(task=task, by=team["curator"], comment="again")


def test_next_task_is_the_oldest_open_one(tasks):
    team, mine = tasks
    assert Task.objects.next_for(team["annotator"]) == mine[0]
    task_submit(task=mine[0], by=team["annotator"])
    assert Task.objects.next_for(team["annotator"], team["project"]) == mine[1]
    for task in mine[1:]:
        task_skip(task=task, by=team["annotator"], reason="r")
    assert Task.objects.next_for(team["annotator"]) is None


def test_the_dashboard_counts_follow_every_transition(tasks):
    team, mine = tasks
    task_open(task=mine[0], by=team["annotator"])
    Task.objects.filter(pk=mine[0].pk).update(opened_at=timezone.now() - dt.timedelta(minutes=4))
    task_submit(task=mine[0], by=team["annotator"])
    task_skip(task=mine[1], by=team["annotator"], reason="r")
    task_open(task=mine[2], by=team["annotator"])
    progress = project_progress(team["project"])
    rows = {row.key: row for row in progress.annotators}
    assert rows["annotator"].counts == {"assigned": 0, "in_progress": 1, "submitted": 1, "skipped": 1}
    assert rows["annotator_b"].counts["assigned"] == 3
    assert rows["annotator"].median_minutes == pytest.approx(4.1, abs=0.2)
    assert progress.total.total == 6 and progress.total.done == 2
    assert [row.key for row in progress.collections] == ["News"]
    task_reopen(task=mine[0], by=team["manager"], comment="again")
    rows = {row.key: row for row in project_progress(team["project"]).annotators}
    assert rows["annotator"].counts["submitted"] == 0 and rows["annotator"].median_minutes is None


def test_a_task_sent_back_comes_first_shows_its_comment_and_is_cleared_on_submit(tasks, client):
    """The review loop reaches the annotator: the curator's comment on the task page and on the home page,
    the task first in the queue, "task i of n", and the mark gone once it is submitted again."""
    team, mine = tasks
    task_submit(task=mine[-1], by=team["annotator"])
    task_reopen(task=mine[-1], by=team["curator"], comment="Mark the dateline as METADATA.")
    assert Task.objects.next_for(team["annotator"]) == mine[-1]  # before the older open tasks
    client.force_login(team["annotator"])
    home = client.get("/").content.decode()
    assert "Sent back to you" in home and "Mark the dateline as METADATA." in home
    assert home.index("Sent back to you") < home.index("My projects")
    page = client.get(f"/annotate/t/{mine[-1].pk}/").content.decode()
    assert "Sent back</strong> by curator" in page and "Mark the dateline as METADATA." in page
    assert f"Task {len(mine)} of {len(mine)}</a>" in page
    assert f"Task 1 of {len(mine)}</a>" in client.get(f"/annotate/t/{mine[0].pk}/").content.decode()
    own = client.get(f"/annotate/p/{team['project'].slug}/tasks").content.decode()
    assert "My tasks" in own and "Sent back:</strong> Mark the dateline" in own
    task = task_submit(task=Task.objects.get(pk=mine[-1].pk), by=team["annotator"])
    assert (task.reopened_at, task.reopened_by, task.review_comment) == (None, None, "")
    assert "Sent back to you" not in client.get("/").content.decode()
    assert trail(task)[-2][3] == "Mark the dateline as METADATA."  # the history keeps it


def test_the_first_change_starts_a_task_and_a_curator_at_work_keeps_the_submission(tasks):
    import uuid

    from annotate.models import Label
    from annotate.services import annotation_apply, task_unsubmit
    from annotate.services.gold import gold_open

    team, mine = tasks
    task = mine[0]
    assert task.status == TaskStatus.ASSIGNED and task.opened_at is None
    label = Label.objects.filter(project=task.project, layer="entity").first()
    # Nothing to undo changes nothing, so it does not start the task either.
    annotation_apply(task=task, by=task.annotator, op_id=uuid.uuid4(), base_version=0, action="undo", payload={})
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED
    annotation_apply(task=task, by=task.annotator, op_id=uuid.uuid4(), base_version=0, action="span.create",
                     payload={"id": str(uuid.uuid4()), "label": label.pk, "start": 0, "end": 3})
    task = Task.objects.get(pk=task.pk)
    assert task.status == TaskStatus.IN_PROGRESS and task.started_at and task.opened_at
    assert trail(task) == [("assigned", "in_progress", task.annotator.username, "")]
    task = task_submit(task=task, by=task.annotator)
    gold_open(project=task.project, document=task.document, by=team["curator"])
    with pytest.raises(TransitionError, match="A curator has started on this document"):
        task_unsubmit(task=task, by=task.annotator)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.SUBMITTED
