"""Messages a person understands: what an undo undid, why a page is not allowed, plurals."""

import uuid

from annotate.models import Label, Task
from annotate.services import annotation_apply, tasks_assign
from tests.factories import make_collection, make_documents, make_user


def test_undo_and_redo_say_what_they_undid(team):
    project, user = team["project"], team["annotator"]
    tasks_assign(project=project, annotators=[user, team["annotator_b"]])
    task = Task.objects.filter(annotator=user).first()
    text = task.document.text
    per = Label.objects.get(project=project, name="PER")

    def change(action, **payload):
        fresh = Task.objects.get(pk=task.pk)
        return annotation_apply(task=fresh, by=user, op_id=uuid.uuid4(), base_version=fresh.version,
                                action=action, payload=payload).message

    start = text.index("Rusya")
    span = str(uuid.uuid4())
    change("span.create", id=span, label=per.pk, start=start, end=start + 5)
    assert change("undo") == "Undone: added PER “Rusya”."
    assert change("redo") == "Redone: added PER “Rusya”."
    change("span.update", id=span, label=Label.objects.get(project=project, name="GPE").pk)
    assert change("undo") == "Undone: relabelled “Rusya” PER → GPE."
    change("span.delete", id=span)
    assert change("undo") == "Undone: removed PER “Rusya”."


def test_the_history_a_curator_reads_says_what_happened(client, team):
    project, user = team["project"], team["annotator"]
    tasks_assign(project=project, annotators=[user, team["annotator_b"]])
    task = Task.objects.filter(annotator=user).first()
    start = task.document.text.index("Rusya")
    per = Label.objects.get(project=project, name="PER")
    for action, payload in (("span.create", {"id": str(uuid.uuid4()), "label": per.pk, "start": start,
                                             "end": start + 5}), ("undo", {})):
        fresh = Task.objects.get(pk=task.pk)
        annotation_apply(task=fresh, by=user, op_id=uuid.uuid4(), base_version=fresh.version, action=action,
                         payload=payload)
    client.force_login(team["curator"])
    page = client.get(f"/annotate/t/{task.pk}/").content.decode()
    assert "annotator: added PER “Rusya”" in page and "annotator: undo: removed PER “Rusya”" in page
    assert "(2 changes)" in page


def test_a_forbidden_page_says_why_with_the_site_around_it(client, team):
    client.force_login(team["annotator"])
    page = client.get(f"/annotate/p/{team['project'].slug}/assign")
    html = page.content.decode()
    assert page.status_code == 403 and "You need the manage permission in this project." in html
    assert 'href="/annotate/"' in html and "<nav" in html  # the site's navigation, not a bare page
    script = client.get(f"/annotate/p/{team['project'].slug}/assign", headers={"HX-Request": "true"})
    assert script.json() == {"detail": "You need the manage permission in this project."}


def test_counts_are_said_in_the_singular_when_there_is_one(client, db):
    collection = make_collection("one", "One")
    make_documents(collection, 1)
    client.force_login(make_user("staff", is_staff=True))
    assert "1 document<" in client.get(f"/corpus/c/{collection.slug}/").content.decode()
