"""Suggestions (#18 items 1, 2, 6): model predictions, the gazetteer and repeated boilerplate lines are
suggested to a task's annotator, accepted (the span keeps its origin, in the history too) or rejected (it
does not come back), through the same changes as everything else."""

import io
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from django.core.exceptions import ValidationError

from annotate.interop.importing.files import annotation_file_import
from annotate.models import GazetteerEntry, Label, Role, Span, SuggestionRejection, Task, TaskStatus
from annotate.services import annotation_apply, project_update, tasks_assign
from annotate.suggestions import suggestions_for
from annotate.suggestions.folding import fold
from annotate.workspace import workspace_load
from tests.factories import export_text, import_paths, import_texts, make_collection, make_project, make_user

SHARE_BAR = "Facebook'da Paylaş Twitter'da Paylaş WhatsApp'da Paylaş Google News'de Paylaş"


def change(task, action, **payload):
    task = Task.objects.get(pk=task.pk)
    return annotation_apply(task=task, by=task.annotator, op_id=uuid.uuid4(), base_version=task.version,
                            action=action, payload=payload)


def suggested(task):
    """(label name, text, origin) of what the task's annotator is offered now."""
    task = Task.objects.select_related("project", "document").get(pk=task.pk)
    ws = workspace_load(task, viewer=task.annotator_id)
    return sorted((s.label.name, s.text, s.origin) for s in ws.suggestions or [])


def label(project, name):
    return Label.objects.get(project=project, name=name)


@pytest.fixture
def seeds(db, seeds_dir):
    collection = make_collection("wire")
    import_paths(collection, seeds_dir)
    ayse, berk = make_user("ayse"), make_user("berk")
    project = make_project("diplo", collections=[collection], overlap=2,
                           members=[(ayse, Role.ANNOTATOR), (berk, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse, berk])
    project_update(project=project, suggest_gazetteer=True, suggest_repetition=True)
    return project, ayse, berk


def tasks_of(project, user):
    return list(Task.objects.filter(project=project, annotator=user).select_related("document").order_by("pk"))


@pytest.mark.parametrize(("text", "language", "folded"), [
    ("RUSYA", "tr", "rusya"), ("IRAK", "tr", "ırak"), ("İstanbul", "tr", "istanbul"), ("Rusya’nın", "tr", "rusya'nın"),
    ("IRAK", "sq", "irak"), ("Sergey\n  Lavrov", "tr", "sergey lavrov")])
def test_folding_is_turkish_for_turkish_text(text, language, folded):
    assert fold(text, language) == folded


def test_putin_annotated_once_is_suggested_at_his_other_mentions_to_that_annotator_only(seeds):
    project, ayse, berk = seeds
    tasks = tasks_of(project, ayse)
    first = next(t for t in tasks if "Putin" in t.document.text and t.document.language == "tr")
    at = first.document.text.index("Putin")
    change(first, "span.create", id=str(uuid.uuid4()), label=label(project, "PER").pk, start=at, end=at + 5)
    mentions = {t.pk: t.document.text.count("Putin") for t in tasks}
    offered = {t.pk: [s for s in suggested(t) if s[1] == "Putin"] for t in tasks}
    for task in tasks:
        expected = mentions[task.pk] - (1 if task.pk == first.pk else 0)
        assert len(offered[task.pk]) == expected, task.document.text[:80]
        assert all(s == ("PER", "Putin", "gazetteer") for s in offered[task.pk])
    assert sum(len(v) for v in offered.values()) >= 3  # four seeds name him, "Putin'in" among them
    assert all(not suggested(t) or "Putin" not in {s[1] for s in suggested(t)} for t in tasks_of(project, berk))


def test_rusya_is_found_before_a_suffix_and_in_capitals_but_not_inside_a_longer_word(db):
    collection = make_collection("wire")
    import_texts(collection, "Rusya toplantıya katıldı.", "RUSYA'NIN elçisi ile Rusyalı heyet Rusya'nın başkentinde.",
                 language="tr")
    ayse = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(ayse, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse])
    project_update(project=project, suggest_gazetteer=True)
    one, two = tasks_of(project, ayse)
    change(one, "span.create", id=str(uuid.uuid4()), label=label(project, "GPE").pk, start=0, end=5)
    assert suggested(two) == [("GPE", "RUSYA", "gazetteer"), ("GPE", "Rusya", "gazetteer")]
    project_update(project=project, gazetteer_inside_words=True)  # the project says so: "Rusya" of "Rusyalı"
    assert [s[1] for s in suggested(two)] == ["RUSYA", "Rusya", "Rusya"]
    for undo in ("undo", "redo"):  # marking a known string again writes no second entry
        change(one, undo)
    change(two, "suggestion.accept_label", label=label(project, "GPE").pk)
    assert list(GazetteerEntry.objects.values_list("key", "owner__username")) == [("rusya", "ayse")]


def test_the_share_bar_of_seed_002_is_suggested_in_the_next_document_of_that_source(seeds, seeds_dir):
    project, ayse, berk = seeds
    seed = next(t for t in tasks_of(project, ayse) if SHARE_BAR in t.document.text)
    at = seed.document.text.index(SHARE_BAR)
    change(seed, "span.create", id=str(uuid.uuid4()), label=label(project, "SHARE").pk, start=at,
           end=at + len(SHARE_BAR))
    collection = seed.document.collection
    import_texts(collection, f"Yeni bir haber\n{SHARE_BAR}\nAnkara'da görüşme yapıldı.", language="tr")
    tasks_assign(project=project, annotators=[ayse, berk])
    newest = tasks_of(project, ayse)[-1]
    assert ("SHARE", SHARE_BAR, "repetition") in suggested(newest)
    other = make_collection("elsewhere")  # another source: its lines are its own
    import_texts(other, f"Başka bir kaynak\n{SHARE_BAR}\n", language="tr")
    project.collections.add(other)
    tasks_assign(project=project, annotators=[ayse, berk])
    assert ("SHARE", SHARE_BAR, "repetition") not in suggested(tasks_of(project, ayse)[-1])


@pytest.fixture
def predicted(db):
    collection = make_collection("wire")
    text = "Putin ile Erdoğan Ankara'da görüştü. Putin ve Erdoğan Moskova'ya gidecek."
    import_texts(collection, text, language="tr")
    ayse = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(ayse, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse])

    def at(needle, nth=0):
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        return {"start": start, "end": start + len(needle)}

    record = {"text": text, "entities": [
        {**at("Putin"), "label": "PER"}, {**at("Putin", 1), "label": "PER"}, {**at("Erdoğan"), "label": "PER"},
        {**at("Ankara"), "label": "GPE"}], "events": [{"type": "MEETING", "trigger": at("görüştü")}]}
    report = annotation_file_import(project=project, stream=io.BytesIO(json.dumps(record).encode()), name="p.jsonl",
                                    fmt="jsonl", as_predictions="ner:1")
    assert report.imported == 1
    project.refresh_from_db()
    assert project.suggest_predictions  # switched on by the import
    return project, Task.objects.get(project=project, annotator=ayse), text


def test_predictions_are_suggested_and_an_accepted_one_keeps_its_origin_through_undo(predicted):
    _project, task, text = predicted
    assert suggested(task) == [("GPE", "Ankara", "model:ner:1"), ("MEETING", "görüştü", "model:ner:1"),
                               ("PER", "Erdoğan", "model:ner:1"), ("PER", "Putin", "model:ner:1"),
                               ("PER", "Putin", "model:ner:1")]
    ws = workspace_load(Task.objects.get(pk=task.pk), viewer=task.annotator_id)
    ankara = next(s for s in ws.suggestions if s.text == "Ankara")
    assert 'data-kind="suggestion"' in ws.text_html and "Ankara" in ws.suggestions_html
    applied = change(task, "suggestion.accept", key=ankara.client_id)
    assert "suggested by model:ner:1" in applied.message
    span = Span.objects.get(task=task)
    assert (text[span.start:span.end], span.origin) == ("Ankara", "model:ner:1")
    assert ("GPE", "Ankara", "model:ner:1") not in suggested(task)
    history = Task.objects.get(pk=task.pk).changes.get()
    assert history.action == "suggestion.accept" and history.ops[0]["data"]["origin"] == "model:ner:1"
    change(task, "undo")
    assert not Span.objects.filter(task=task).exists() and ("GPE", "Ankara", "model:ner:1") in suggested(task)
    change(task, "redo")
    assert Span.objects.get(task=task).origin == "model:ner:1"
    event = next(s for s in workspace_load(Task.objects.get(pk=task.pk), viewer=task.annotator_id).suggestions
                 if s.label.name == "MEETING")
    change(task, "suggestion.accept", key=event.client_id)
    assert Task.objects.get(pk=task.pk).events.get().origin == "model:ner:1"
    Task.objects.filter(pk=task.pk).update(status="submitted")
    exported, _ = export_text(task.project)
    (record,) = [r for r in map(json.loads, exported.splitlines()) if r["annotators"] == ["ayse"]]
    jsonschema.validate(record, json.loads((Path(__file__).parents[2] / "docs/export.schema.json").read_text()))
    assert [(e["text"], e.get("origin")) for e in record["entities"]] == [("Ankara", "model:ner:1")]
    assert record["events"][0]["origin"] == "model:ner:1"


def test_a_rejected_suggestion_does_not_come_back_and_accept_all_takes_a_labels_suggestions(predicted):
    project, task, _text = predicted
    ws = workspace_load(Task.objects.get(pk=task.pk), viewer=task.annotator_id)
    erdogan = next(s for s in ws.suggestions if s.text == "Erdoğan")
    change(task, "suggestion.reject", key=erdogan.client_id)
    assert SuggestionRejection.objects.filter(task=task).count() == 1
    assert "Erdoğan" not in {s[1] for s in suggested(task)}
    with pytest.raises(ValidationError, match="not there any more"):
        change(task, "suggestion.accept", key=erdogan.client_id)
    change(task, "suggestion.accept_label", label=label(project, "PER").pk)
    assert sorted(s.origin for s in Span.objects.filter(task=task)) == ["model:ner:1", "model:ner:1"]
    assert {s[0] for s in suggested(task)} == {"GPE", "MEETING"}
    change(task, "undo")  # the two spans go back together
    assert not Span.objects.filter(task=task).exists()
    change(task, "undo")  # and then the rejection
    assert "Erdoğan" in {s[1] for s in suggested(task)}


def test_a_forged_suggestion_is_refused_and_nobody_else_sees_suggestions(predicted, client):
    project, task, _text = predicted
    with pytest.raises(ValidationError, match="not there any more"):
        change(task, "suggestion.accept", key="span-1-0-3")
    task = Task.objects.select_related("project", "document").get(pk=task.pk)
    labels = {lab.pk: lab for lab in Label.objects.filter(project=project)}
    assert len(suggestions_for(task, own=[], labels=labels)) == 5
    curator = make_user("kurator")
    project.memberships.create(user=curator, role=Role.CURATOR)
    client.force_login(curator)
    page = client.get(task.get_absolute_url())
    assert page.status_code == 200 and 'data-kind="suggestion"' not in page.content.decode()
    client.force_login(task.annotator)
    page = client.get(task.get_absolute_url())
    assert 'data-kind="suggestion"' in page.content.decode() and "Accept all PER (3)" in page.content.decode()


def test_the_manager_dashboard_shows_acceptance_and_minutes_with_and_without_suggestions(predicted, client):
    from annotate.suggestions.efficiency import suggestion_efficiency

    project, task, _text = predicted
    ws = workspace_load(Task.objects.get(pk=task.pk), viewer=task.annotator_id)
    by_text = {s.text: s for s in ws.suggestions}
    change(task, "suggestion.accept", key=by_text["Ankara"].client_id)
    change(task, "suggestion.reject", key=by_text["Erdoğan"].client_id)
    change(task, "suggestion.accept_label", label=label(project, "PER").pk)
    import_texts(task.document.collection, "Başka bir haber metni.", language="tr")
    tasks_assign(project=project, annotators=[task.annotator])
    other = Task.objects.filter(annotator=task.annotator).exclude(pk=task.pk).get()
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.SUBMITTED, seconds_spent=120)
    Task.objects.filter(pk=other.pk).update(status=TaskStatus.SUBMITTED, seconds_spent=300)
    data = suggestion_efficiency(project)
    assert data["acceptance"] == [
        {"annotator": "ayse", "label": "GPE", "accepted": 1, "rejected": 0, "acceptance": 1.0},
        {"annotator": "ayse", "label": "PER", "accepted": 2, "rejected": 1, "acceptance": 0.667}]
    assert data["minutes"] == [{"annotator": "ayse", "with": {"minutes": 2.0, "documents": 1},
                                "without": {"minutes": 5.0, "documents": 1}}]
    manager, curator = make_user("mgr"), make_user("kurator")
    project.memberships.create(user=manager, role=Role.MANAGER)
    project.memberships.create(user=curator, role=Role.CURATOR)
    client.force_login(manager)
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'id="efficiency-title"' in page and "67%" in page and "2.0 (1 doc.)" in page
    client.force_login(curator)
    assert 'id="efficiency-title"' not in client.get(project.get_absolute_url()).content.decode()


@pytest.fixture
def baku(db):
    """Two articles that name Bakü, one annotator each way, the gazetteer on."""
    collection = make_collection("wire")
    import_texts(collection, "Bakan Bakü'de Aliyev ile görüştü.", "Heyet Bakü'ye gitti; Bakü toplantısı yarın.",
                 language="tr")
    ayse, berk, curator = make_user("ayse"), make_user("berk"), make_user("cem")
    project = make_project("p", collections=[collection], overlap=2,
                           members=[(ayse, Role.ANNOTATOR), (berk, Role.ANNOTATOR), (curator, Role.CURATOR)])
    tasks_assign(project=project, annotators=[ayse, berk])
    project_update(project=project, suggest_gazetteer=True)
    return project, ayse, berk, curator


def test_a_mark_taken_away_is_not_suggested_again_and_accept_all_cannot_bring_it_back(baku):
    """Deleting, relabelling and undoing count as rejecting what was there, for that annotator's task."""
    project, ayse, _berk, _curator = baku
    one, two = tasks_of(project, ayse)
    at = one.document.text.index("Bakü")
    org, gpe = label(project, "ORG").pk, label(project, "GPE").pk
    sid = str(uuid.uuid4())
    change(one, "span.create", id=sid, label=org, start=at, end=at + 4)
    assert ("ORG", "Bakü", "gazetteer") in suggested(two)
    change(one, "span.update", id=sid, label=gpe)  # ORG → GPE: the ORG on these characters was a mistake
    change(one, "span.delete", id=sid)  # and then the span goes altogether
    assert suggested(one) == []  # neither ORG nor GPE comes back on "Bakü" in the task it was taken from
    assert ("GPE", "Bakü", "gazetteer") not in suggested(two)  # nor elsewhere: its only source is gone
    assert not GazetteerEntry.objects.filter(label_id=gpe).exists()
    with pytest.raises(ValidationError):
        change(one, "suggestion.accept_label", label=org)
    assert not Span.objects.filter(task=one).exists()
    change(one, "undo")  # the delete undone: the span is back, and so is what it taught
    assert Span.objects.filter(task=one).get().label_id == gpe
    assert not SuggestionRejection.objects.filter(task=one, label_id=gpe).exists()


def test_a_suggestion_is_not_drawn_over_characters_marked_in_its_layer_with_another_label(baku):
    project, ayse, _berk, _curator = baku
    one, two = tasks_of(project, ayse)
    first = two.document.text.index("Bakü")
    change(two, "span.create", id=str(uuid.uuid4()), label=label(project, "GPE").pk, start=first, end=first + 4)
    change(one, "span.create", id=str(uuid.uuid4()), label=label(project, "LOC").pk,
           start=one.document.text.index("Bakü"), end=one.document.text.index("Bakü") + 4)
    offered = suggested(two)
    # LOC "Bakü" is suggested at the second Bakü of task two, not over the first, which is GPE already.
    assert [s for s in offered if s[0] == "LOC"] == [("LOC", "Bakü", "gazetteer")]
    second = two.document.text.index("Bakü", first + 1)
    ws = workspace_load(Task.objects.get(pk=two.pk), viewer=ayse.pk)
    assert [(s.start, s.label.name) for s in ws.suggestions if s.label.name == "LOC"] == [(second, "LOC")]


def test_a_curators_rejection_in_a_gold_set_teaches_the_project_and_the_admin_undoes_it(baku, client):
    from annotate.models import ProjectRejection
    from annotate.services import task_submit
    from annotate.services.gold import gold_open

    project, ayse, berk, curator = baku
    document_task = tasks_of(project, ayse)[0]
    at = document_task.document.text.index("Bakü")
    for who in (ayse, berk):
        task = Task.objects.get(project=project, annotator=who, document=document_task.document)
        change(task, "span.create", id=str(uuid.uuid4()), label=label(project, "ORG").pk, start=at, end=at + 4)
        task_submit(task=Task.objects.get(pk=task.pk), by=who)
    gold = gold_open(project=project, document=document_task.document, by=curator)
    gold_span = Span.objects.get(task=gold)
    annotation_apply(task=gold, by=curator, op_id=uuid.uuid4(), base_version=Task.all_kinds.get(pk=gold.pk).version,
                     action="span.delete", payload={"id": str(gold_span.client_id)})
    rejection = ProjectRejection.objects.get()
    assert (rejection.key, rejection.label.name, rejection.text, rejection.by) == ("bakü", "ORG", "Bakü", curator)
    other = tasks_of(project, ayse)[1]  # ayse's own gazetteer knows ORG "Bakü"; the project says no
    assert [s for s in suggested(other) if s[0] == "ORG"] == []
    # The suggesters' admin lists it; deleting it there lets the project suggest it again.
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    listed = client.get("/admin/annotate/projectrejection/").content.decode()
    assert "Bakü" in listed
    client.post("/admin/annotate/projectrejection/", {"action": "delete_selected", "_selected_action": [rejection.pk],
                                                      "post": "yes"})
    assert not ProjectRejection.objects.exists()
    assert ("ORG", "Bakü", "gazetteer") in suggested(other)


def test_a_repeated_line_whose_only_mark_is_removed_is_no_longer_suggested(db):
    collection = make_collection("wire")
    import_texts(collection, f"Birinci haber\n{SHARE_BAR}\n", f"İkinci haber\n{SHARE_BAR}\n", language="tr")
    ayse = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(ayse, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse])
    project_update(project=project, suggest_repetition=True)
    one, two = tasks_of(project, ayse)
    at = one.document.text.index(SHARE_BAR)
    sid = str(uuid.uuid4())
    change(one, "span.create", id=sid, label=label(project, "SHARE").pk, start=at, end=at + len(SHARE_BAR))
    assert ("SHARE", SHARE_BAR, "repetition") in suggested(two)
    change(one, "span.delete", id=sid)
    assert ("SHARE", SHARE_BAR, "repetition") not in suggested(two)
    change(one, "undo")  # the mark is back, and so is what it taught
    assert ("SHARE", SHARE_BAR, "repetition") in suggested(two)
