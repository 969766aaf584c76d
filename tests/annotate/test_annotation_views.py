"""The annotation page and its change endpoint over HTTP: query counts, JSON errors, escaping, the
curator's view of the history and the annotator's note."""

import json
import random
import uuid

import pytest

from annotate.models import Event, EventArgument, EventRole, Label, Role, Span, Task
from annotate.services import task_open, tasks_assign
from tests.factories import import_texts, make_collection, make_project, make_user

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


def test_the_page_with_300_spans_and_30_events_costs_at_most_10_queries(client, big, django_assert_max_num_queries):
    client.force_login(big["user"])
    with django_assert_max_num_queries(10):
        response = client.get(big["task"].get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-kind="span"') >= 300 and page.count('data-kind="event"') >= 30
    assert "participant (1 of 2)" in page  # every event is missing its second participant


def test_a_change_answers_with_the_lines_it_touched_and_the_new_version(client, big, django_assert_max_num_queries):
    client.force_login(big["user"])
    span_id = str(uuid.uuid4())
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": span_id,
            "label": big["labels"]["PER"].pk, "start": 0, "end": 2}
    client.get(big["task"].get_absolute_url())  # the page comes first, and fills the schema cache
    # Session, user, the task locked (asking about the op and the new id too), the insert, the version,
    # the history entry, the annotations for the fragment; and the savepoint's two statements in tests.
    with django_assert_max_num_queries(9):
        response = client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response["X-Task-Version"] == "1"
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="workspace-changes" data-version="1">') and "<html" not in fragment
    # Only the first line is re-rendered, with the new span in it; the side lists come whole.
    assert fragment.count('<div class="line"') == 1 and '<div class="line" data-s="0" ' in fragment
    assert f'data-id="{span_id}"' in fragment
    span_list = fragment.split('<ol id="span-list">')[1]
    assert span_list.count("<li>") == Span.objects.filter(task=big["task"]).count() == 301
    stale = client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps({**body, "op": str(uuid.uuid4())}),
                        content_type="application/json")
    assert stale.status_code == 409 and stale.json()["version"] == 1
    assert "changed in another tab" in stale.json()["error"]


def test_a_change_across_lines_re_renders_each_line_it_touches(client, big):
    client.force_login(big["user"])
    text = big["task"].document.text
    first_break = text.index("\n")
    second_break = text.index("\n", first_break + 1)
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()),
            "label": big["labels"]["AD"].pk, "start": first_break - 3, "end": second_break + 4}
    fragment = client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps(body),
                           content_type="application/json").content.decode()
    starts = [0, first_break + 1, second_break + 1]
    assert fragment.count('<div class="line"') == 3
    assert all(f'<div class="line" data-s="{s}" ' in fragment for s in starts)


def test_a_replayed_change_answers_with_the_whole_workspace(client, big):
    client.force_login(big["user"])
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()),
            "label": big["labels"]["PER"].pk, "start": 0, "end": 2}
    url = f"/annotate/t/{big['task'].pk}/change"
    client.post(url, json.dumps(body), content_type="application/json")
    again = client.post(url, json.dumps(body), content_type="application/json").content.decode()
    assert again.lstrip().startswith('<div id="workspace" data-version="1">')
    assert "Already saved." in again and Span.objects.filter(task=big["task"]).count() == 301


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "not a JSON object"),
        ("[1, 2]", 400, "not a JSON object"),
        (json.dumps({"op": "x", "version": 0, "action": "span.create"}), 400, "The change id is not a valid id."),
    ],
)
def test_bad_requests_get_json_errors(client, big, body, status, message):
    client.force_login(big["user"])
    response = client.post(f"/annotate/t/{big['task'].pk}/change", body, content_type="application/json")
    assert response.status_code == status and message in response.json()["error"]


def test_someone_elses_task_is_refused_as_json(client, big):
    client.force_login(big["curator"])
    body = json.dumps({"op": str(uuid.uuid4()), "version": 0, "action": "undo"})
    response = client.post(f"/annotate/t/{big['task'].pk}/change", body, content_type="application/json")
    assert response.status_code == 403 and "Only the task's annotator" in response.json()["error"]


def test_markup_in_the_article_is_text_on_the_annotation_page(client, db):
    collection = make_collection("x")
    import_texts(collection, "Başlık <script>alert(1)</script> ve <img src=x onerror=alert(2)> son.", language="tr")
    user = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    client.force_login(user)
    task = Task.objects.get()
    page = client.get(task.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<img src=x" not in page
    # A span over the markup: the changed line and the span list show it as text too.
    text = task.document.text
    start, end = text.index("<img"), text.index("son") - 1
    body = {"op": str(uuid.uuid4()), "version": task.version, "action": "span.create", "id": str(uuid.uuid4()),
            "label": Label.objects.get(project=project, name="MISC").pk, "start": start, "end": end}
    fragment = client.post(f"/annotate/t/{task.pk}/change", json.dumps(body), content_type="application/json")
    assert fragment.status_code == 200, fragment.content
    html = fragment.content.decode()
    assert "<img src=x" not in html and "<script>" not in html
    assert html.count("&lt;img src=x onerror=alert(2)&gt;") == 3  # the notice, the text and the span list


def test_the_curator_reads_the_history_and_the_note(client, big):
    client.force_login(big["user"])
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()),
            "label": big["labels"]["GPE"].pk, "start": 0, "end": 2}
    client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps(body), content_type="application/json")
    note = client.post(f"/annotate/t/{big['task'].pk}/note", {"flag": "unsure", "comment": "Is <b>Pekin</b> a GPE?"})
    assert note.status_code == 200 and "Saved." in note.content.decode()
    client.force_login(big["curator"])
    page = client.get(big["task"].get_absolute_url()).content.decode()
    assert "Annotation history (1 changes)" in page and "ayse: span.create" in page
    listing = client.get("/annotate/p/p/tasks?flagged=1").content.decode()
    assert "<strong>Unsure</strong>" in listing and "Is &lt;b&gt;Pekin&lt;/b&gt; a GPE?" in listing
