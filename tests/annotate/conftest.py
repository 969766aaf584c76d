import random
import uuid

import pytest

from annotate.models import Event, EventArgument, EventRole, Label, Role, Span, Task
from annotate.services import annotation_apply, task_open, task_submit, tasks_assign
from tests.factories import EXPORT_TEXT as TEXT
from tests.factories import import_texts, make_collection, make_documents, make_project, make_user


@pytest.fixture
def team(db):
    """A project with three documents and every kind of user the permission matrix needs."""
    collection = make_collection("news", "News")
    documents = make_documents(collection, 3)
    users = {
        name: make_user(name)
        for name in ("annotator", "annotator_b", "other_annotator", "curator", "manager")
    }
    project = make_project(
        "proj",
        collections=[collection],
        members=[
            (users["annotator"], Role.ANNOTATOR),
            (users["annotator_b"], Role.ANNOTATOR),
            (users["curator"], Role.CURATOR),
            (users["manager"], Role.MANAGER),
        ],
    )
    other = make_project("other", collections=[collection], members=[(users["other_annotator"], Role.ANNOTATOR)])
    return {"project": project, "other": other, "collection": collection, "documents": documents, **users}


@pytest.fixture
def done(db):
    """A submitted set over EXPORT_TEXT: nested, misaligned and suffixed entities, boilerplate, a MEETING."""
    collection = make_collection("wire")
    import_texts(collection, TEXT, language="tr")
    user, manager = make_user("ayse"), make_user("mgr")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR), (manager, Role.MANAGER)])
    tasks_assign(project=project, annotators=[user])
    task = Task.objects.get()
    labels = {lab.name: lab.pk for lab in Label.objects.filter(project=project)}

    def change(action, **payload):
        annotation_apply(task=task, by=user, op_id=uuid.uuid4(), base_version=Task.objects.get(pk=task.pk).version,
                         action=action, payload=payload)

    def mark(needle, label, end_cut=0, start_cut=0):
        start = TEXT.index(needle) + start_cut
        sid = str(uuid.uuid4())
        change("span.create", id=sid, label=labels[label], start=start, end=start + len(needle) - end_cut - start_cut)
        return sid

    rusya = mark("Rusya", "GPE")
    mark("Dışişleri Bakanı Sergey Lavrov", "TITLE")  # outer
    lavrov = mark("Sergey Lavrov", "PER")  # nested inside TITLE
    mark("Pekin'de", "GPE", end_cut=3)  # "Pekin": exact with split tokens
    mark("salı günü", "DATE", end_cut=2)  # "salı gü": ends inside a token
    mark("REKLAM", "AD")
    eid = str(uuid.uuid4())
    change("event.create", id=eid, type=labels["MEETING"], start=TEXT.index("görüştü"), end=TEXT.index("görüştü") + 7)
    participant = EventRole.objects.get(event_type_id=labels["MEETING"], name="participant").pk
    change("argument.add", event=eid, role=participant, span=rusya)
    change("argument.add", event=eid, role=participant, span=lavrov)
    task_submit(task=task, by=user)
    return {"project": project, "user": user, "manager": manager, "task": task}


WORDS = ["Xi", "Jinping", "Vladimir", "Putin", "Pekin'de", "bir", "araya", "geldi", "Dışişleri", "Bakanı", "salı", "günü",
         "görüştü", "REKLAM"]


@pytest.fixture
def big(db):
    """A 10,000-character article with 300 spans and 30 events with arguments."""
    rng = random.Random(7)
    text = ""
    while len(text) < 10_000:
        text += " ".join(rng.choice(WORDS) for _ in range(12)) + ".\n"
    collection = make_collection("big")
    import_texts(collection, text[:10_000], language="tr")
    user, curator = make_user("ayse"), make_user("cura")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR), (curator, Role.CURATOR)])
    tasks_assign(project=project, annotators=[user])
    task = task_open(task=Task.objects.get(), by=user)
    labels = {lab.name: lab for lab in Label.objects.filter(project=project)}
    starts = sorted(rng.sample(range(0, 9_900), 300))
    spans = Span.objects.bulk_create(
        [Span(task=task, label=labels[rng.choice(["PER", "GPE", "ORG", "AD"])], start=s, end=s + rng.randint(3, 40)) for s in starts]
    )
    meeting = labels["MEETING"]
    participant = EventRole.objects.get(event_type=meeting, name="participant")
    events = Event.objects.bulk_create([Event(task=task, event_type=meeting, start=s + 1, end=s + 6) for s in starts[::10]])
    entity_spans = [s for s in spans if s.label.layer == "entity"]
    EventArgument.objects.bulk_create([EventArgument(event=e, role=participant, span=entity_spans[i]) for i, e in enumerate(events)])
    return {"task": task, "user": user, "curator": curator, "labels": labels}
