"""The annotation page and its change endpoint over HTTP: query counts, JSON errors, escaping, the
curator's view of the history and the annotator's note."""

import json
import uuid

import pytest
from django.db import connection

from annotate.models import EventArgument, Label, Role, Span, Task
from annotate.services import tasks_assign
from tests.factories import import_texts, make_collection, make_project, make_user


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
    # The session with its user, the task locked (asking about the op and the new id too), the insert with
    # the version, the history entry and the annotations for the fragment read back (four statements on
    # SQLite); and the savepoint's two statements in tests.
    with django_assert_max_num_queries(5 if connection.vendor == "postgresql" else 8):
        response = client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response["X-Task-Version"] == "1"
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="workspace-changes" data-version="1">') and "<html" not in fragment
    # Only the first line is re-rendered, with the new span in it; the span list gets only the new entry,
    # and the event list is not sent, since no event changed.
    assert fragment.count('<div class="line"') == 1 and '<div class="line" data-s="0" ' in fragment
    assert f'data-id="{span_id}"' in fragment
    entries = fragment.split('<ol id="span-list-changes" data-removed="">')[1].split("</ol>")[0]
    assert entries.count("<li ") == 1 and f'<li data-id="{span_id}" data-s="0" data-e="2">' in entries
    assert 'id="event-list"' not in fragment
    stale = client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps({**body, "op": str(uuid.uuid4())}),
                        content_type="application/json")
    assert stale.status_code == 409 and stale.json()["version"] == 1
    assert "changed in another tab" in stale.json()["error"]


def test_a_deletion_costs_at_most_five_queries_on_postgresql(client, big, django_assert_max_num_queries):
    client.force_login(big["user"])
    client.get(big["task"].get_absolute_url())
    span = Span.objects.filter(task=big["task"], arguments__isnull=True).first()
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.delete", "id": str(span.client_id)}
    # The session with its user, the task locked with the span and whether it fills a role, its arguments
    # and itself deleted with the version, the history entry and the annotations for the fragment read back
    # (five statements on SQLite); and the savepoint's two statements in tests.
    with django_assert_max_num_queries(5 if connection.vendor == "postgresql" else 9):
        response = client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response["X-Task-Version"] == "1"
    assert not Span.objects.filter(pk=span.pk).exists()
    assert _entries(response.content.decode())[0] == str(span.client_id)


def _change(client, task, version, **body):
    body = {"op": str(uuid.uuid4()), "version": version, **body}
    response = client.post(f"/annotate/t/{task.pk}/change", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def _entries(fragment: str) -> tuple[str, str]:
    """(the removed ids, the entries) of a change's span-list patch."""
    head, rest = fragment.split('<ol id="span-list-changes" data-removed="')[1].split('">', 1)
    return head, rest.split("</ol>")[0]


def test_the_full_span_list_has_the_order_the_page_keeps(client, big):
    """Entries carry their client id and offsets, in order of start, longest first, then client id: the
    order static/js/annotate.js inserts a changed entry in."""
    client.force_login(big["user"])
    page = client.get(big["task"].get_absolute_url()).content.decode()
    span_list = page.split('<ol id="span-list">')[1].split("</ol>")[0]
    keys = [(int(s), -int(e), i) for i, s, e in
            (entry.split('"')[1:6:2] for entry in span_list.split("<li data-id=")[1:])]
    assert len(keys) == 300 and keys == sorted(keys)
    spans = Span.objects.filter(task=big["task"])
    assert sorted(keys) == sorted((s.start, -s.end, str(s.client_id)) for s in spans)


def test_deleting_an_argument_span_sends_its_removal_and_the_event_list(client, big):
    client.force_login(big["user"])
    argument = EventArgument.objects.select_related("span", "event").first()
    fragment = _change(client, big["task"], 0, action="span.delete", id=str(argument.span.client_id))
    removed, entries = _entries(fragment)
    assert removed == str(argument.span.client_id) and entries == ""
    events = fragment.split('<ol id="event-list" hx-swap-oob="true">')[1].split("</ol></li></ol>")[0]
    assert events.count('<li class="event') == 30 and "participant (0 of 2)" in events
    # The undo brings the entry back, and the argument with it.
    fragment = _change(client, big["task"], 1, action="undo")
    removed, entries = _entries(fragment)
    assert removed == "" and f'<li data-id="{argument.span.client_id}"' in entries
    assert 'id="event-list"' in fragment and EventArgument.objects.count() == 30


def test_relabelling_a_span_resends_its_entry_and_an_event_sends_the_event_list(client, big):
    client.force_login(big["user"])
    span = Span.objects.filter(task=big["task"], label=big["labels"]["PER"]).first()
    fragment = _change(client, big["task"], 0, action="span.update", id=str(span.client_id), label=big["labels"]["ORG"].pk)
    removed, entries = _entries(fragment)
    assert removed == "" and entries.count("<li ") == 1 and f'class="chip pick l{big["labels"]["ORG"].pk}"' in entries
    fragment = _change(client, big["task"], 1, action="event.create", id=str(uuid.uuid4()),
                       type=big["labels"]["MEETING"].pk, start=span.start, end=span.end)
    assert _entries(fragment) == ("", "")
    assert fragment.split('<ol id="event-list" hx-swap-oob="true">')[1].count('<li class="event') == 31


def test_a_save_reads_only_the_spans_on_the_lines_it_touched(client, big, django_assert_max_num_queries):
    client.force_login(big["user"])
    client.get(big["task"].get_absolute_url())
    from django.test.utils import CaptureQueriesContext

    body = {"action": "span.create", "id": str(uuid.uuid4()), "label": big["labels"]["PER"].pk, "start": 0, "end": 2}
    with CaptureQueriesContext(connection) as queries:
        _change(client, big["task"], 0, **body)
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "annotate_span" s' in q["sql"]]
    # One read of the spans, bounded by the changed line's end (on PostgreSQL inside the write's own
    # statement, after the history entry's part; elsewhere a statement of its own after the write).
    line_end = big["task"].document.text.index("\n")
    assert len(reads) == 1
    spans_part = reads[0].split('FROM "annotate_span" s WHERE')[1].split("UNION ALL")[0]
    assert f'"start" < {line_end}' in spans_part
    assert ("INSERT INTO annotate_annotationchange" in reads[0]) == (connection.vendor == "postgresql")


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
    assert again.lstrip().startswith('<div id="workspace" class="workspace" data-version="1">')
    assert '<section id="lists"' in again  # the lists beside the text come with it
    assert "Already saved." in again and Span.objects.filter(task=big["task"]).count() == 301


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "not usable JSON"),
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
    assert "Annotation history (1 change)" in page and "ayse: added GPE “" in page
    listing = client.get("/annotate/p/p/tasks?flagged=1").content.decode()
    assert "<strong>Unsure</strong>" in listing and "Is &lt;b&gt;Pekin&lt;/b&gt; a GPE?" in listing


def test_a_label_change_shows_on_the_next_page_view(client, big):
    """The label colours and the legend are cached per schema version: a change to a label is seen at once."""
    client.force_login(big["user"])
    url = big["task"].get_absolute_url()
    person = big["labels"]["PER"]
    first = client.get(url).content.decode()
    assert f".l{person.pk}{{--c:{person.colour};" in first and f'data-label="{person.pk}">PER</button>' in first
    person.colour, person.name = "#123456", "PERSON"
    person.save()
    again = client.get(url).content.decode()
    assert f".l{person.pk}{{--c:#123456;" in again and f'data-label="{person.pk}">PERSON</button>' in again


def test_with_every_suggester_on_the_page_and_a_save_stay_within_their_query_budgets(
        client, big, django_assert_max_num_queries):
    from annotate.services import project_update

    project = big["task"].project
    project_update(project=project, suggest_predictions=True, suggest_gazetteer=True, suggest_repetition=True)
    client.force_login(big["user"])
    with django_assert_max_num_queries(10):  # the suggestions of every source and the rejections: one query
        response = client.get(big["task"].get_absolute_url())
    assert response.status_code == 200 and 'id="suggestions"' in response.content.decode()
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()),
            "label": big["labels"]["PER"].pk, "start": 0, "end": 2}
    # The nine of a save, the gazetteer's entry, and the set's marks and the suggestions for the list.
    with django_assert_max_num_queries(12):
        response = client.post(f"/annotate/t/{big['task'].pk}/change", json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and 'id="suggestions" class="suggestions" aria-label="Suggestions" hx-swap-oob' in (
        response.content.decode())


def test_the_parts_kept_between_pages_follow_the_language(big):
    """The key table and the skip form are drawn once per language and kept (templates' {% cache %}): a
    Turkish page after an English one, and an English one after it, each read their own language."""
    from django.test import Client

    pages = {}
    for language in ("en", "tr", "en"):
        browser = Client(headers={"accept-language": language})
        browser.force_login(big["user"])
        pages.setdefault(language, []).append(browser.get(big["task"].get_absolute_url()).content.decode())
    for page in pages["en"]:
        assert "show or hide this list" in page and 'placeholder="Why skip this document?"' in page
        assert "bu listeyi göster ya da gizle" not in page
    turkish = pages["tr"][0]
    assert "bu listeyi göster ya da gizle" in turkish and 'placeholder="Bu belge neden atlanıyor?"' in turkish
    assert "show or hide this list" not in turkish
