import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.models import Event, EventRole, Label, Layer, Span, Task
from annotate.models.schema import contrast_ratio
from annotate.services import SchemaError, label_delete, schema_dump, schema_load, schema_read, tasks_assign
from tests.factories import make_collection, make_documents, make_project, make_user

SEED_NEEDS = {
    # What the five seed articles contain, and the label each needs (see the closing note of issue 3).
    "entities": {"PER", "ORG", "GPE", "LOC", "NORP", "DATE", "TITLE", "EVENT_NAME", "LAW", "MISC"},
    "events": {"MEETING", "PHONE_CALL", "VISIT", "AGREEMENT", "SUMMIT", "STATEMENT", "CEREMONY"},
    "boilerplate": {"NAVIGATION", "SHARE", "AD", "RELATED", "DISCLAIMER", "METADATA", "PROMO", "OTHER"},
}


@pytest.fixture
def project(db):
    return make_project("p", schema="news-diplomacy")


def test_the_default_schema_has_every_layer_the_issue_and_the_seeds_need(project):
    data = schema_dump(project)
    assert {k: {item["name"] for item in data[k]} for k in SEED_NEEDS} == SEED_NEEDS
    roles = {e["name"]: {r["name"]: (set(r["labels"]), r["min"], r["max"]) for r in e["roles"]} for e in data["events"]}
    assert roles["MEETING"]["participant"] == ({"PER", "ORG", "GPE"}, 2, None)
    assert roles["MEETING"]["place"] == ({"GPE", "LOC"}, 0, 1)
    assert roles["PHONE_CALL"]["participant"][1] == 2
    assert roles["VISIT"]["visitor"][0] == {"PER", "ORG"}
    assert roles["AGREEMENT"]["party"] == ({"PER", "ORG", "GPE"}, 1, None)
    assert roles["STATEMENT"]["speaker"][0] == {"PER", "ORG", "GPE"}


def test_every_label_has_a_unique_key_and_readable_text(project):
    labels = list(Label.objects.filter(project=project))
    assert len({lab.shortcut for lab in labels}) == len(labels) == 25
    for label in labels:
        assert contrast_ratio(label.colour, label.text_colour) >= 4.5, label.name


def test_dump_then_load_is_the_identity(project):
    data = schema_dump(project)
    other = make_project("q", schema=None)
    schema_load(project=other, data=data)
    again = schema_dump(other)
    assert {k: again[k] for k in SEED_NEEDS} == {k: data[k] for k in SEED_NEEDS}


def test_loading_again_changes_nothing(project):
    changes = schema_load(project=project, data=schema_read("news-diplomacy"))
    assert (changes.added, changes.updated, changes.deleted, changes.retired) == ([], [], [], [])


def _bad(data, mutate):
    data = copy.deepcopy(data)
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["entities"][1].update(key="p"), "entities[1].key: 'p' is already the key of PER"),
        (lambda d: d["entities"][0].update(colour="red"), "entities[0].colour: colour 'red' is not of the form #rrggbb"),
        (lambda d: d["entities"][0].update(key="n"), "entities[0].key: shortcut 'n' is a key the annotation page keeps for itself (the next task)"),
        (lambda d: d["entities"][0].update(key="+"), "entities[0].key: shortcut '+' is a key the annotation page keeps for itself (accept the suggestion"),
        (lambda d: d["entities"][0].update(key=","), "entities[0].key: shortcut ',' is a key the annotation page keeps for itself (move the selected span's end"),
        (lambda d: d["entities"][0].update(key="ab"), "entities[0].key: shortcut 'ab' must be one printable character"),
        (lambda d: d.update(rules={"multi_label": ["people"]}), "rules.multi_label: a list of layers, each one of entities, events, boilerplate"),
        (lambda d: d.update(rules={"entities_cross_lines": "yes"}), "rules.entities_cross_lines: true or false"),
        (lambda d: d["events"][0]["roles"][0].update(labels=["PLANET"]), "'PLANET' is not an entity label of this schema"),
        (lambda d: d["events"][0]["roles"][1].update(min=3, max=1), "events[0].roles[1].max: 1 must be empty"),
        (lambda d: d["entities"].append(dict(d["entities"][0], key="Z")), "entities[10].name: PER appears twice"),
        (lambda d: d.update(colours=[]), "unknown keys: colours"),
        (lambda d: d["boilerplate"][0].update(roles=[]), "boilerplate[0].roles: only events have roles"),
        (lambda d: d.update(description="Haber \ud800"), "\\ud800 is half of a UTF-16 surrogate pair"),
    ],
)
def test_a_bad_schema_is_refused_with_every_problem_and_nothing_changes(project, mutate, message):
    before = schema_dump(project)
    with pytest.raises(SchemaError) as caught:
        schema_load(project=project, data=_bad(before, mutate))
    assert any(message in p for p in caught.value.problems), caught.value.problems
    assert schema_dump(project) == before


def test_keys_can_be_swapped_in_one_load(project):
    data = schema_dump(project)
    data["entities"][0]["key"], data["entities"][1]["key"] = data["entities"][1]["key"], data["entities"][0]["key"]
    schema_load(project=project, data=data)
    keys = dict(Label.objects.filter(project=project, name__in=["PER", "ORG"]).values_list("name", "shortcut"))
    assert keys == {"PER": "o", "ORG": "p"}


def _annotated_task(project):
    collection = make_collection("c1")
    project.collections.add(collection)
    make_documents(collection, 1)
    users = [make_user("a1"), make_user("a2")]
    from annotate.services import membership_add

    for user in users:
        membership_add(project=project, user=user, role="annotator")
    tasks_assign(project=project, annotators=users)
    return Task.objects.filter(project=project).first()


def test_a_label_in_use_is_retired_not_deleted_and_keeps_its_annotations(project):
    task = _annotated_task(project)
    per = Label.objects.get(project=project, name="PER")
    span = Span.objects.create(task=task, label=per, start=0, end=5)
    data = schema_dump(project)
    data["entities"] = [e for e in data["entities"] if e["name"] not in ("PER", "MISC")]
    for event in data["events"]:
        for role in event["roles"]:
            role["labels"] = [x for x in role["labels"] if x not in ("PER", "MISC")] or ["ORG"]
    changes = schema_load(project=project, data=data)
    assert changes.retired == ["PER"] and changes.deleted == ["MISC"]
    per.refresh_from_db()
    assert per.retired and Span.objects.filter(pk=span.pk, label=per).exists()
    with pytest.raises(Exception, match="used by 1 span"):
        label_delete(label=per)
    assert Label.objects.filter(pk=per.pk).exists()


def test_a_role_in_use_is_retired_not_deleted(project):
    task = _annotated_task(project)
    meeting = Label.objects.get(project=project, name="MEETING")
    role = EventRole.objects.get(event_type=meeting, name="place")
    span = Span.objects.create(task=task, label=Label.objects.get(project=project, name="GPE"), start=0, end=3)
    event = Event.objects.create(task=task, event_type=meeting, start=5, end=9)
    event.arguments.create(role=role, span=span)
    data = schema_dump(project)
    data["events"][0]["roles"] = [r for r in data["events"][0]["roles"] if r["name"] != "place"]
    schema_load(project=project, data=data)
    role.refresh_from_db()
    assert role.retired


def test_load_schema_and_dump_schema_commands(project, tmp_path, capsys):
    path = tmp_path / "s.json"
    call_command("dump_schema", "p", "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["description"] = "Kişiler"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_schema", "p", str(path))
    assert "updated 1" in capsys.readouterr().out
    assert Label.objects.get(project=project, layer=Layer.ENTITY, name="PER").description == "Kişiler"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid UTF-8 JSON"):
        call_command("load_schema", "p", str(path))
    with pytest.raises(CommandError, match="no such file, and not a built-in schema"):
        call_command("load_schema", "p", str(tmp_path / "missing.json"))


def test_the_cached_schema_follows_every_change(project):
    from annotate.schema_cache import project_schema
    from annotate.services import label_retire

    def names(p):
        p.refresh_from_db()
        labels, roles = project_schema(p)
        return {lab.name for lab in labels if not lab.retired}, sum(len(r) for r in roles.values())

    names_before, roles_before = names(project)
    per = Label.objects.get(project=project, name="PER")
    label_retire(label=per)
    assert "PER" not in names(project)[0]
    per.retired = False
    per.save()  # as the admin would
    assert "PER" in names(project)[0]
    role = EventRole.objects.filter(event_type__project=project).first()
    role.retired = True
    role.save()
    assert names(project)[1] == roles_before - 1
    role.allowed_labels.clear()
    data = schema_dump(project)
    data["entities"] = [e for e in data["entities"] if e["name"] != "MISC"]
    for event in data["events"]:
        for r in event["roles"]:
            r["labels"] = [x for x in r["labels"] if x != "MISC"] or ["ORG"]
    schema_load(project=project, data=data)
    assert "MISC" not in names(project)[0] and names_before - names(project)[0] == {"MISC"}


def test_every_key_the_page_keeps_is_refused_as_a_shortcut_and_every_other_character_is_not():
    """One table (annotate.models.keys) says which keys the page takes; a label can have none of them."""
    from django.core.exceptions import ValidationError

    from annotate.models.keys import KEYS, RESERVED_KEYS
    from annotate.models.schema import validate_shortcut

    taken = {k for entry in KEYS if not entry.ctrl for k in entry.keys if len(k) == 1}
    assert {"-", ",", ".", "[", "]", "+", "*", "?", "<", ">", "n"} <= RESERVED_KEYS and taken <= RESERVED_KEYS
    for key in RESERVED_KEYS:
        with pytest.raises(ValidationError):
            validate_shortcut(key)
    for key in "abcdefghijklmopqrstuvwxyz0123456789ÇĞİÖŞÜçğıöşü":
        validate_shortcut(key)
