"""Bad predictions (#18 item 5): a model's sets are refused, with their lines, when a mark cuts a token, on
top of what every set must pass (offsets in range, known labels, edges between graphemes); a model name
must be MODEL:VERSION and never a person's account. Nothing is written unless --skip-invalid."""

import io
import json

import pytest
from django.core.exceptions import ValidationError

from annotate.interop.importing.files import annotation_file_import
from annotate.interop.importing.prediction_checks import inside_token, predictions_user
from annotate.models import Role, Span, Task
from annotate.services import membership_add
from tests.factories import import_texts, make_annotator, make_collection, make_project, make_user

TEXTS = ["Ankara'da Rusya ile görüşme yapıldı 👍🏽 bugün.", "Putin Pekin'e gitti."]


@pytest.fixture
def project(db):
    collection = make_collection("wire")
    import_texts(collection, *TEXTS, language="tr")
    return make_project("p", collections=[collection], overlap=1)


def lines(*records) -> io.BytesIO:
    return io.BytesIO("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())


def entity(text, needle, label="GPE", cut=0):
    start = text.index(needle)
    return {"start": start, "end": start + len(needle) - cut, "label": label}


def predict(project, stream, **options):
    return annotation_file_import(project=project, stream=stream, name="p.jsonl", fmt="jsonl",
                                  as_predictions="ner:1", **options)


def test_a_prediction_that_cuts_a_token_is_reported_with_its_line_and_nothing_is_written(project):
    first, second = TEXTS
    report = predict(project, lines(
        {"text": first, "entities": [entity(first, "Ankara"), entity(first, "Rusya", cut=1)]},
        {"text": second, "entities": [entity(second, "Putin", "PER")], "events": [
            {"type": "MEETING", "trigger": entity(second, "gitt")}]},
    ))
    assert not report.committed and report.imported == 0
    assert report.problems == [
        "p.jsonl, line 1: a span at 10–14 ('Rusy') has an edge inside a token: predictions must cover whole tokens",
        "p.jsonl, line 2: an event trigger at 14–18 ('gitt') has an edge inside a token: predictions must cover "
        "whole tokens",
    ]
    assert not Task.objects.exists() and not Span.objects.exists()


def test_skip_invalid_keeps_the_sets_whose_marks_cover_whole_tokens(project):
    first, second = TEXTS
    report = predict(project, lines(
        {"text": first, "entities": [entity(first, "Ankara"), entity(first, "Rusya", cut=2)]},
        {"text": second, "entities": [entity(second, "Putin", "PER"), entity(second, "Pekin")]},
    ), skip_invalid=True)
    assert report.committed and report.imported == 1 and len(report.problems) == 1
    (task,) = Task.objects.all()
    assert task.annotator.username == "model:ner:1"
    assert sorted(second[s.start:s.end] for s in task.spans.all()) == ["Pekin", "Putin"]  # Pekin of Pekin'e: a token


def test_an_emoji_with_its_skin_tone_is_one_token_and_a_person_may_still_cut_a_word(project):
    first = TEXTS[0]
    start = first.index("👍")
    report = predict(project, lines({"text": first, "entities": [{"start": start, "end": start + 2, "label": "MISC"}]}))
    assert report.committed and report.imported == 1  # 👍🏽 is one token
    person = annotation_file_import(project=project, stream=lines(
        {"text": first, "entities": [entity(first, "Rusya", cut=1)]}), name="a.jsonl", fmt="jsonl",
        user=make_annotator(project, "ayse"))
    assert person.committed and person.imported == 1  # Alt keeps exact characters: allowed for people


@pytest.mark.parametrize("name", ["ner", ":1", "ner:", "ner:1 ", "a b:1", "ner:1:2", "x" * 70 + ":1"])
def test_a_model_name_must_be_model_colon_version(db, name):
    with pytest.raises(ValidationError, match="MODEL:VERSION"):
        predictions_user(name)


def test_a_model_name_that_is_a_persons_account_is_refused(project):
    make_user("model:ner:1")  # someone registered this name, with a password
    with pytest.raises(ValidationError, match="is a person's account"):
        predict(project, lines({"text": TEXTS[1], "entities": [entity(TEXTS[1], "Putin", "PER")]}))
    assert not Task.objects.exists()
    model = predictions_user("crf:2")
    assert not model.has_usable_password() and predictions_user("crf:2") == model  # the same user each time


def test_inside_token_is_strictly_inside():
    edges = ([0, 6], [5, 10])  # "Rusya ilgi"
    assert [inside_token(x, edges) for x in (0, 1, 4, 5, 6, 7, 10, 11)] == [
        False, True, True, False, False, True, False, False]


def test_the_api_refuses_a_bad_model_name_at_once(client, project):
    manager = make_user("mgr")
    membership_add(project=project, user=manager, role=Role.MANAGER)
    make_user("model:ner:1")
    client.force_login(manager)
    for name, message in (("ner", "MODEL:VERSION"), ("ner:1", "is a person's account")):
        upload = lines({"text": TEXTS[1], "entities": []})
        upload.name = "p.jsonl"
        answer = client.post(f"/api/v1/projects/{project.slug}/annotations/import",
                              {"file": upload, "as_predictions": name})
        assert answer.status_code == 400 and message in answer.json()["detail"]
    assert not Task.objects.exists()
