"""Model evaluation (#18 item 3): each model version against the accepted gold sets, per label, exact and
overlapping; errors by kind; the trend over versions; the page and the JSON; figures equal to seqeval's
on the same tokens."""

import pytest
from django.contrib.auth.models import User
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from annotate.models import Label, Role, Span, Task, TaskKind, TaskStatus
from annotate.quality.evaluation import evaluation_report
from corpus.models import Document, DocumentTokens
from corpus.tokens import unpack_tokens
from tests.factories import import_texts, make_collection, make_project, make_user

TEXTS = ["Putin ile Erdoğan Ankara'da görüştü ve Moskova ile Pekin arasında yeni bir anlaşma imzalandı .",
         "Dışişleri Bakanı Sergey Lavrov salı günü Pekin'de Wang Yi ile bir araya geldi ."]


def spans_for(text, items):
    out = []
    for needle, label, *nth in items:
        start = -1
        for _ in range((nth or [0])[0] + 1):
            start = text.index(needle, start + 1)
        out.append((label, start, start + len(needle)))
    return out


GOLD = [
    [("Putin", "PER"), ("Erdoğan", "PER"), ("Ankara", "GPE"), ("Moskova", "GPE"), ("Pekin", "GPE")],
    [("Dışişleri Bakanı", "TITLE"), ("Sergey Lavrov", "PER"), ("salı günü", "DATE"), ("Pekin", "GPE"),
     ("Wang Yi", "PER")],
]
V1 = [  # right: Putin, Ankara; wrong label: Erdoğan; wrong boundary: Moskova ile Pekin; false positive: anlaşma
    [("Putin", "PER"), ("Erdoğan", "GPE"), ("Ankara", "GPE"), ("Moskova ile Pekin", "GPE"), ("anlaşma", "MISC")],
    [("Sergey Lavrov", "PER"), ("Pekin", "GPE"), ("Wang", "PER")],  # missed: TITLE, DATE; Wang: boundary
]
V2 = [[("Putin", "PER"), ("Erdoğan", "PER"), ("Ankara", "GPE"), ("Moskova", "GPE"), ("Pekin", "GPE")],
      [("Dışişleri Bakanı", "TITLE"), ("Sergey Lavrov", "PER"), ("Pekin", "GPE"), ("Wang Yi", "PER")]]


@pytest.fixture
def evaluated(db):
    collection = make_collection("wire")
    import_texts(collection, *TEXTS, language="tr")
    curator = make_user("kurator")
    project = make_project("p", collections=[collection], overlap=1, members=[(curator, Role.CURATOR)])
    labels = {lab.name: lab for lab in Label.objects.filter(project=project)}
    docs = list(Document.objects.order_by("pk"))

    def put(user, kind, sets):
        for doc, items in zip(docs, sets, strict=True):
            task = Task.all_kinds.create(project=project, document=doc, collection=collection, annotator=user,
                                         kind=kind, status=TaskStatus.SUBMITTED, assigned_at=doc.imported_at)
            Span.objects.bulk_create([Span(task=task, label=labels[name], start=a, end=b)
                                      for name, a, b in spans_for(doc.text, items)])

    put(curator, TaskKind.GOLD, GOLD)
    gold_doc = Task.gold_sets.get(document=docs[0])
    start = TEXTS[0].index("görüştü")
    gold_doc.events.create(event_type=labels["MEETING"], start=start, end=start + len("görüştü"))
    for name, sets in (("model:ner:1", V1), ("model:ner:2", V2)):
        user = User.objects.create(username=name, password="!")
        project.memberships.create(user=user, role=Role.ANNOTATOR)
        put(user, TaskKind.ANNOTATION, sets)
    model = Task.objects.get(document=docs[0], annotator__username="model:ner:2")
    model.events.create(event_type=labels["MEETING"], start=start, end=start + len("görüştü"))
    return project, docs, curator


def test_each_kind_of_error_is_found_and_scores_are_per_label_exact_and_overlapping(evaluated):
    project, _docs, _curator = evaluated
    data = evaluation_report(project, version="ner:1")
    report = data["report"]
    assert data["gold_documents"] == 2 and [v["model"] for v in data["versions"]] == ["ner:1", "ner:2"]
    assert report["error_counts"] == {"false positive": 1, "false negative": 3, "wrong label": 1,
                                      "wrong boundary": 2}
    kinds = {(e["kind"], (e["predicted"] or {}).get("text"), (e["gold"] or {}).get("text")) for e in report["errors"]}
    assert kinds == {("wrong label", "Erdoğan", "Erdoğan"), ("wrong boundary", "Moskova ile Pekin", "Moskova"),
                     ("false positive", "anlaşma", None), ("false negative", None, "Dışişleri Bakanı"),
                     ("false negative", None, "salı günü"), ("wrong boundary", "Wang", "Wang Yi"),
                     ("false negative", None, "görüştü")}
    per = {row["label"]: row for row in report["labels"]}
    assert per["GPE"]["exact"]["tp"] == 2 and per["GPE"]["exact"]["fp"] == 2 and per["GPE"]["exact"]["fn"] == 2
    # Overlapping: "Moskova ile Pekin" shares characters with both gold GPEs in it.
    assert per["GPE"]["overlapping"]["precision"] == 0.75  # 3 of 4: Erdoğan (GPE) overlaps no gold GPE
    assert per["GPE"]["overlapping"]["recall"] == 1.0
    trend = {v["model"]: v for v in data["versions"]}
    assert trend["ner:2"]["exact_f1"] > trend["ner:1"]["exact_f1"]
    newest = evaluation_report(project)["report"]
    assert newest["model"] == "ner:2"  # the newest by default
    assert {row["label"]: row["exact"]["tp"] for row in newest["labels"]}["MEETING"] == 1  # a trigger, scored
    assert {row["label"]: row["exact"]["fn"] for row in report["labels"]}["MEETING"] == 1  # ner:1 missed it
    with pytest.raises(LookupError):
        evaluation_report(project, version="ner:9")


@pytest.mark.parametrize("version", ["ner:1", "ner:2"])
def test_exact_figures_equal_seqevals_on_the_same_tokens(evaluated, version):
    project, docs, _curator = evaluated
    users = {"ner:1": "model:ner:1", "ner:2": "model:ner:2"}
    gold_tags, predicted_tags = [], []
    for doc in docs:
        tokens = unpack_tokens(DocumentTokens.objects.get(document=doc).tokens)
        for kind, username, out in ((TaskKind.GOLD, None, gold_tags), (TaskKind.ANNOTATION, users[version],
                                                                         predicted_tags)):
            task = Task.all_kinds.get(document=doc, kind=kind, **({"annotator__username": username} if username else {}))
            tags = ["O"] * len(tokens)
            marks = [(s.label.name, s.start, s.end) for s in Span.objects.filter(task=task).select_related("label")]
            marks += [(e.event_type.name, e.start, e.end) for e in task.events.select_related("event_type")]
            for name, start, end in marks:
                inside = [i for i, (a, b) in enumerate(tokens) if a >= start and b <= end]
                for n, i in enumerate(inside):
                    tags[i] = ("B-" if n == 0 else "I-") + name
            out.append(tags)
    theirs = classification_report(gold_tags, predicted_tags, mode="strict", scheme=IOB2, output_dict=True,
                                   zero_division=0)
    ours = {row["label"]: row["exact"] for row in evaluation_report(project, version=version)["report"]["labels"]}
    for label, row in ours.items():
        if row["tp"] + row["fn"] == 0 and label not in theirs:
            continue  # predicted but never gold: seqeval lists only gold labels and predicted ones alike
        assert (row["precision"], row["recall"], row["f1"]) == pytest.approx(
            (theirs[label]["precision"], theirs[label]["recall"], theirs[label]["f1-score"]), abs=1e-4), label
    total = evaluation_report(project, version=version)["report"]["total"]["exact"]
    assert (total["precision"], total["recall"], total["f1"]) == pytest.approx(
        (theirs["micro avg"]["precision"], theirs["micro avg"]["recall"], theirs["micro avg"]["f1-score"]), abs=1e-4)


def test_the_page_and_the_json_are_for_curators_and_managers(evaluated, client):
    project, docs, curator = evaluated
    annotator = make_user("ayse")
    project.memberships.create(user=annotator, role=Role.ANNOTATOR)
    client.force_login(annotator)
    assert client.get(f"/annotate/p/{project.slug}/models").status_code == 403
    assert client.get(f"/api/v1/projects/{project.slug}/models").status_code == 403
    client.force_login(curator)
    page = client.get(f"/annotate/p/{project.slug}/models?model=ner:1")
    html = page.content.decode()
    assert page.status_code == 200 and "wrong boundary: <strong>2</strong>" in html and "<svg class=\"trend\"" in html
    assert f'href="/annotate/p/{project.slug}/curation/{docs[0].pk}/"' in html  # each error links to its document
    answer = client.get(f"/api/v1/projects/{project.slug}/models", {"model": "ner:2"}).json()
    assert answer["report"]["model"] == "ner:2" and len(answer["versions"]) == 2
    assert client.get(f"/api/v1/projects/{project.slug}/models", {"model": "nope:1"}).status_code == 404
    slip = client.get(f"/api/v1/projects/{project.slug}/models", {"models": "ner:1"})  # not the newest, silently
    assert slip.status_code == 400 and slip.json()["detail"].startswith("Unknown parameter: models (did you mean model?)")
    assert client.get(f"/annotate/p/{project.slug}/models?model=nope:1").status_code == 404
