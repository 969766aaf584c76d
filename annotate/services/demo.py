"""The demo project's one document ready for curation: both demo annotators mark the first Turkish article,
agreeing on most of it and not on everything, and submit, so that a new user finds the curation queue,
the agreement report and a curation page with something in them."""

import uuid

from annotate.models import EventRole, Label, Task
from annotate.services.annotations import annotation_apply
from annotate.services.lifecycle import task_submit

# (text, label) marked by each annotator; the MEETING's participants are the first two.
MARKS = {
    "annotator1": [("Hakan Fidan", "PER"), ("Elisa Spiropali", "PER"), ("Ankara", "GPE")],
    "annotator2": [("Hakan Fidan", "PER"), ("Elisa Spiropali", "PER"), ("Ankara", "LOC"), ("Arnavutluk", "GPE")],
}


def _changer(task, user):
    def change(action, **payload):
        fresh = Task.objects.get(pk=task.pk)
        annotation_apply(task=fresh, by=user, op_id=uuid.uuid4(), base_version=fresh.version, action=action,
                         payload=payload)

    return change


def demo_sets_submit(*, project, annotators: dict, external_id: str = "demo_tr_01") -> int:
    """Mark and submit the article's task for each annotator (through annotation_apply, as the page does);
    the number of sets submitted (none when the article or its tasks are missing)."""
    labels = {lab.name: lab.pk for lab in Label.objects.filter(project=project)}
    submitted = 0
    for username, marks in MARKS.items():
        user = annotators.get(username)
        task = Task.objects.filter(project=project, annotator=user, document__external_id=external_id).first()
        if user is None or task is None or not task.is_open:
            continue
        text = task.document.text
        change = _changer(task, user)
        ids = []
        for needle, label in marks:
            start = text.index(needle)
            ids.append(str(uuid.uuid4()))
            change("span.create", id=ids[-1], label=labels[label], start=start, end=start + len(needle))
        trigger = text.index("bir araya geldi")
        event = str(uuid.uuid4())
        change("event.create", id=event, type=labels["MEETING"], start=trigger, end=trigger + len("bir araya geldi"))
        participant = EventRole.objects.get(event_type_id=labels["MEETING"], name="participant").pk
        for span in ids[:2]:
            change("argument.add", event=event, role=participant, span=span)
        task_submit(task=Task.objects.get(pk=task.pk), by=user)
        submitted += 1
    return submitted
