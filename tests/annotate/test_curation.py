"""Curation: a document's gold set opened with what the annotators agree on, disagreements settled with
the annotators' own items (accept) or removed (reject), through the same change path, history and undo."""

import json
import re
import uuid
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from annotate.models import EventRole, Label, Role, Task, TaskStatus
from annotate.rows import annotation_rows
from annotate.services import annotation_apply, task_submit, tasks_assign
from annotate.services.gold import gold_edit, gold_finish, gold_open
from tests.factories import import_texts, make_collection, make_project, make_user

TEXT = "Rusya Dışişleri Bakanı Lavrov Ankara'da Hakan Fidan ile görüştü.\nPaylaş"


def change(task, user, action, **payload):
    fresh = Task.all_kinds.get(pk=task.pk)
    return annotation_apply(task=fresh, by=user, op_id=uuid.uuid4(), base_version=fresh.version, action=action,
                            payload=payload)


def at(needle):
    start = TEXT.index(needle)
    return {"start": start, "end": start + len(needle)}


@pytest.fixture
def panel(db):
    """Three annotators over one document, a curator, and helpers to mark and submit."""
    collection = make_collection("wire")
    import_texts(collection, TEXT, language="tr")
    users = {name: make_user(name) for name in ("ayse", "burak", "cem", "curator", "outsider")}
    project = make_project("gold", collections=[collection], overlap=3, members=[
        (users["ayse"], Role.ANNOTATOR), (users["burak"], Role.ANNOTATOR), (users["cem"], Role.ANNOTATOR),
        (users["curator"], Role.CURATOR)])
    tasks_assign(project=project, annotators=[users["ayse"], users["burak"], users["cem"]])
    tasks = {t.annotator.username: t for t in Task.objects.filter(project=project).select_related("annotator")}
    labels = {lab.name: lab.pk for lab in Label.objects.filter(project=project)}
    participant = EventRole.objects.get(event_type_id=labels["MEETING"], name="participant").pk

    def span(who, needle, label):
        sid = str(uuid.uuid4())
        change(tasks[who], users[who], "span.create", id=sid, label=labels[label], **at(needle))
        return sid

    def meeting(who, *participants):
        eid = str(uuid.uuid4())
        change(tasks[who], users[who], "event.create", id=eid, type=labels["MEETING"], **at("görüştü"))
        for sid in participants:
            change(tasks[who], users[who], "argument.add", event=eid, role=participant, span=sid)
        return eid

    def submit_all():
        for who, task in tasks.items():
            task_submit(task=Task.objects.get(pk=task.pk), by=users[who])

    return {"project": project, "users": users, "tasks": tasks, "labels": labels, "span": span, "meeting": meeting,
            "submit": submit_all, "document": tasks["ayse"].document, "participant": participant}


def gold_items(gold):
    """The gold set as comparable keys: (kind, label or role, start, end)."""
    rows = annotation_rows(gold.pk)
    return sorted([(0, s.label_id, s.start, s.end) for s in rows.spans] + [(1, e.type_id, e.start, e.end) for e in rows.events]
                  + [(2, a.role_id, a.start, a.end) for a in rows.arguments])


def test_unanimous_agreement_is_accepted_in_advance_and_nothing_else(panel):
    p, lab = panel, panel["labels"]
    for who in ("ayse", "burak", "cem"):
        p["span"](who, "Lavrov", "PER")
    p["span"]("ayse", "Ankara'da", "GPE")
    p["span"]("burak", "Ankara'da", "LOC")
    p["submit"]()
    gold = gold_open(project=p["project"], document=p["document"], by=p["users"]["curator"])
    assert gold.is_gold and gold.status == TaskStatus.IN_PROGRESS
    assert gold_items(gold) == [(0, lab["PER"], *at("Lavrov").values())]
    assert gold.changes.get().action == "curation.agreed"  # one change of the history: undoable
    # Opening again finds the same set; nothing that counts annotators' tasks sees it.
    assert gold_open(project=p["project"], document=p["document"], by=p["users"]["curator"]).pk == gold.pk
    assert Task.objects.filter(project=p["project"]).count() == 3
    assert Task.objects.ready_counts([p["project"].pk]) == {p["project"].pk: 1}


def test_majority_takes_what_more_than_half_marked_with_its_event_and_arguments(panel):
    p, lab = panel, panel["labels"]
    p["project"].curation_agreement = "majority"
    p["project"].save()
    ids = {who: (p["span"](who, "Lavrov", "PER"), p["span"](who, "Hakan Fidan", "PER")) for who in ("ayse", "burak")}
    p["span"]("cem", "Lavrov", "PER")
    p["meeting"]("ayse", *ids["ayse"])
    p["meeting"]("burak", *ids["burak"])
    p["submit"]()
    gold = gold_open(project=p["project"], document=p["document"], by=p["users"]["curator"])
    items = gold_items(gold)
    assert (0, lab["PER"], *at("Hakan Fidan").values()) in items  # two of three
    assert (1, lab["MEETING"], *at("görüştü").values()) in items
    assert sum(1 for item in items if item[0] == 2) == 2  # both participants


def test_accept_a_side_relabels_adds_and_pulls_what_an_argument_needs_and_undo_reverts(panel):
    p, lab, curator = panel, panel["labels"], panel["users"]["curator"]
    p["span"]("ayse", "Ankara'da", "GPE")
    burak_ankara = p["span"]("burak", "Ankara'da", "ORG")
    fidan = p["span"]("cem", "Hakan Fidan", "PER")
    event = p["meeting"]("cem", fidan, p["span"]("cem", "Lavrov", "PER"))
    p["submit"]()
    gold = gold_open(project=p["project"], document=p["document"], by=curator)
    assert gold_items(gold) == []
    ayse_ankara = annotation_rows(p["tasks"]["ayse"].pk).spans[0].client_id
    applied = change(gold, curator, "curation.accept", source=p["tasks"]["ayse"].pk, kind="span", id=ayse_ankara)
    assert applied.message == "Accepted ayse's GPE “Ankara'da”."
    # The other side replaces the label rather than adding a second span on the same characters.
    change(gold, curator, "curation.accept", source=p["tasks"]["burak"].pk, kind="span", id=burak_ankara)
    assert gold_items(gold) == [(0, lab["ORG"], *at("Ankara'da").values())]
    with pytest.raises(ValidationError, match="already"):
        change(gold, curator, "curation.accept", source=p["tasks"]["burak"].pk, kind="span", id=burak_ankara)
    # An argument brings its event and its span along.
    change(gold, curator, "curation.accept", source=p["tasks"]["cem"].pk, kind="argument", event=event,
           role=p["participant"], span=fidan)
    assert sorted(i[0] for i in gold_items(gold)) == [0, 0, 1, 2]
    change(gold, curator, "undo")
    assert sorted(i[0] for i in gold_items(gold)) == [0]
    change(gold, curator, "redo")
    assert sorted(i[0] for i in gold_items(gold)) == [0, 0, 1, 2]
    # Another task's item, a made-up id, an annotator's own task: refused with a message.
    with pytest.raises(ValidationError, match="no such item"):
        change(gold, curator, "curation.accept", source=p["tasks"]["ayse"].pk, kind="span", id=str(uuid.uuid4()))
    with pytest.raises(PermissionDenied):  # a curator never writes into an annotator's set
        change(p["tasks"]["ayse"], curator, "curation.accept", source=p["tasks"]["burak"].pk, kind="span",
               id=burak_ankara)


def test_only_curators_change_a_gold_set_and_an_accepted_one_is_frozen_until_edited(panel):
    p, curator = panel, panel["users"]["curator"]
    p["span"]("ayse", "Lavrov", "PER")
    p["submit"]()
    gold = gold_open(project=p["project"], document=p["document"], by=curator)
    for who in ("ayse", "outsider"):  # a gold set does not exist for anyone but the curators
        with pytest.raises(Http404):
            change(gold, p["users"][who], "span.create", id=str(uuid.uuid4()), label=p["labels"]["PER"], **at("Rusya"))
        with pytest.raises(PermissionDenied):
            gold_open(project=p["project"], document=p["document"], by=p["users"][who])
    gold = gold_finish(task=gold, by=curator)
    assert gold.status == TaskStatus.SUBMITTED and gold.annotator == curator and gold.finished_at
    with pytest.raises(ValidationError, match="no longer change"):
        change(gold, curator, "span.create", id=str(uuid.uuid4()), label=p["labels"]["PER"], **at("Rusya"))
    gold_edit(task=gold, by=curator)
    change(gold, curator, "span.create", id=str(uuid.uuid4()), label=p["labels"]["PER"], **at("Rusya"))


def test_nothing_to_curate_before_a_submission(panel):
    with pytest.raises(ValidationError, match="nothing to curate"):
        gold_open(project=panel["project"], document=panel["document"], by=panel["users"]["curator"])


def test_the_curation_page_aligns_the_versions_and_decides_through_the_change_endpoint(
        client, panel, django_assert_max_num_queries):
    p, curator = panel, panel["users"]["curator"]
    for who in ("ayse", "burak", "cem"):
        p["span"](who, "Lavrov", "PER")
    p["span"]("ayse", "Ankara'da", "GPE")
    p["submit"]()
    url = f"/annotate/p/gold/curation/{p['document'].pk}/"
    client.force_login(curator)
    client.get(url)  # creates the gold set
    with django_assert_max_num_queries(11):  # the target is 12
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Who said what" in html and "1 disagreement" in html
    assert "Accept GPE (ayse)" in html
    change_json = re.search(r'data-change="([^"]+)"[^>]*>Accept GPE \(ayse\)', html).group(1)
    payload = json.loads(unescape(change_json))
    gold = Task.gold_sets.get()
    body = {**payload, "op": str(uuid.uuid4()), "version": gold.version}
    answer = client.post(f"/annotate/t/{gold.pk}/change", json.dumps(body), content_type="application/json")
    assert answer.status_code == 200 and "Accepted ayse" in answer.content.decode()
    table = client.get(url, headers={"HX-Request": "true", "HX-Target": "alignment"}).content.decode()
    assert "0 not settled" in table and "<html" not in table
    assert client.post(f"/annotate/p/gold/curation/{p['document'].pk}/finish").status_code == 302
    assert Task.gold_sets.get().status == TaskStatus.SUBMITTED
    # Annotators never see it; the gold set's change endpoint does not exist for them.
    client.force_login(p["users"]["ayse"])
    assert client.get(url).status_code == 403
    body["op"] = str(uuid.uuid4())
    assert client.post(f"/annotate/t/{gold.pk}/change", json.dumps(body), content_type="application/json").status_code == 404
    assert client.get(f"/annotate/t/{gold.pk}/").status_code == 404


def exported(project, **params):
    from tests.factories import export_text

    text, _report = export_text(project, **params)
    return [json.loads(line) for line in text.splitlines()]


def test_gold_and_majority_exports_say_which_and_hold_what_was_decided(panel):
    p, lab, curator = panel, panel["labels"], panel["users"]["curator"]
    burak_ankara = None
    for who in ("ayse", "burak", "cem"):
        p["span"](who, "Lavrov", "PER")
        if who != "cem":
            p["span"](who, "Hakan Fidan", "PER")
    p["span"]("ayse", "Ankara'da", "GPE")
    burak_ankara = p["span"]("burak", "Ankara'da", "LOC")
    p["submit"]()
    # Not curated yet: gold has nothing, majority votes (Lavrov 3/3, Fidan 2/3, Ankara split 1–1–0).
    assert exported(p["project"], source="gold") == []
    (voted,) = exported(p["project"], source="majority")
    assert voted["source"] == "majority" and voted["annotators"] == ["ayse", "burak", "cem"]
    assert [(e["text"], e["label"]) for e in voted["entities"]] == [("Lavrov", "PER"), ("Hakan Fidan", "PER")]
    # Curated: the curator takes burak's side on Ankara and accepts the set.
    gold = gold_open(project=p["project"], document=p["document"], by=curator)
    change(gold, curator, "curation.accept", source=p["tasks"]["burak"].pk, kind="span", id=burak_ankara)
    assert exported(p["project"], source="gold") == []  # not accepted yet
    gold_finish(task=Task.gold_sets.get(), by=curator)
    for source in ("gold", "majority"):
        (record,) = exported(p["project"], source=source)
        assert record["source"] == "gold" and record["annotators"] == ["curator"]
        # Unanimous in advance: Lavrov; Fidan (two of three) was not accepted, so it is not gold.
        assert [(e["text"], e["label"]) for e in record["entities"]] == [("Lavrov", "PER"), ("Ankara'da", "LOC")]
    assert {r["source"] for r in exported(p["project"])} == {"annotator"}
    assert len(exported(p["project"])) == 3
    assert lab["LOC"]
    # Each annotator against the accepted gold set (Lavrov PER, Ankara'da LOC), entities, all labels.
    from annotate.quality.agreement.against_gold import against_gold

    scores = against_gold(p["project"])
    assert scores["documents"] == 1
    got = {who: layers["entity"]["*"]["exact"] for who, layers in scores["annotators"].items()}
    assert got["ayse"]["precision"] == pytest.approx(1 / 3) and got["ayse"]["recall"] == 0.5
    assert got["burak"]["precision"] == pytest.approx(2 / 3) and got["burak"]["recall"] == 1.0
    assert got["burak"]["f1"] == pytest.approx(0.8)
    assert got["cem"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert scores["annotators"]["ayse"]["entity"]["GPE"]["spans"] == [1, 0]


def test_a_document_whose_gold_is_accepted_stops_being_counted(panel, client):
    p, curator = panel, panel["users"]["curator"]
    p["span"]("ayse", "Lavrov", "PER")
    p["submit"]()
    project = p["project"]
    assert Task.objects.ready_counts([project.pk]) == {project.pk: 1}
    assert list(Task.objects.ready_documents(project).values_list("document_id", flat=True)) == [p["document"].pk]
    gold = gold_open(project=project, document=p["document"], by=curator)
    assert Task.objects.ready_counts([project.pk]) == {project.pk: 1}  # being curated: still to do
    gold_finish(task=gold, by=curator)
    assert Task.objects.ready_counts([project.pk]) == {}  # nothing left to curate: the counts say so
    client.force_login(curator)
    queue = client.get(f"/annotate/p/{project.slug}/curation").content.decode()
    assert f"/curation/{p['document'].pk}/" in queue  # still listed, as gold
    assert "<h1>Ready for curation <small>0</small></h1>" in queue


def test_an_argument_row_shows_where_its_entity_is(panel):
    from annotate.schema_cache import project_schema
    from annotate.services.gold import gold_open
    from annotate.workspace.curation import alignment_build, rows_html

    p, curator = panel, panel["users"]["curator"]
    lavrov, ankara = p["span"]("ayse", "Lavrov", "PER"), p["span"]("ayse", "Ankara'da", "GPE")
    p["meeting"]("ayse", lavrov, ankara)
    p["submit"]()
    gold = gold_open(project=p["project"], document=p["document"], by=curator)
    labels, roles = project_schema(p["project"])
    sets = list(Task.objects.filter(project=p["project"], status=TaskStatus.SUBMITTED).select_related("annotator"))
    html = rows_html(alignment_build(gold=gold, sets=sets, labels=labels, roles=roles, policy="unanimous"),
                     editable=True)
    start = TEXT.index("Lavrov")
    argument = next(row for row in html.split("<tr") if 'data-kind="argument"' in row and "Lavrov" in row)
    assert f"<small>{start}–{start + len('Lavrov')}</small>" in argument  # the entity's offsets, not the trigger's
