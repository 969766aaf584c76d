"""A span edge inside a grapheme cluster is refused with a message, and documents tokenized before
clusters were kept whole get the current tokens from `retokenize`, with a report of what that changes."""

import uuid
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from annotate.models import Label, Role, Span, Task
from annotate.services import AnnotationError, annotation_apply, tasks_assign
from corpus import tokens as tokens_module
from corpus.models import DocumentTokens
from corpus.tokens import TOKENIZER_VERSION, UINT32
from tests.factories import import_texts, make_collection, make_project, make_user

TEXT = "Görüşme iyi geçti 👍🏽Ankara ve Tiran 🇹🇷🇦🇱 bayraklarıyla."


@pytest.fixture
def task(db):
    collection = make_collection("c")
    import_texts(collection, TEXT, language="tr")
    user = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    return Task.objects.get(annotator=user)


def create(task, start, end):
    label = Label.objects.get(project=task.project, name="GPE")
    return annotation_apply(task=Task.objects.get(pk=task.pk), by=task.annotator, op_id=uuid.uuid4(),
                            base_version=Task.objects.get(pk=task.pk).version, action="span.create",
                            payload={"id": str(uuid.uuid4()), "label": label.pk, "start": start, "end": end})


def test_half_a_flag_or_a_skin_tone_without_its_hand_is_refused(task):
    flag = TEXT.index("🇹🇷")
    with pytest.raises(AnnotationError, match="falls inside '🇹🇷'"):
        create(task, flag, flag + 1)
    tone = TEXT.index("🏽")
    with pytest.raises(AnnotationError, match="start offset"):
        create(task, tone, tone + 7)  # "🏽Ankara"
    assert not Span.objects.exists()
    create(task, flag, flag + 2)
    assert [TEXT[s.start:s.end] for s in Span.objects.all()] == ["🇹🇷"]


def _old_tokens(text, language):
    """The tokens spacy-rules-1 stored: no cluster rule."""
    real = tokens_module.has_joining
    tokens_module.has_joining = lambda _text, _codes=None: False
    try:
        return tokens_module.tokenize_packed(text, language)
    finally:
        tokens_module.has_joining = real


def test_retokenize_gives_old_documents_the_current_tokens_and_reports_affected_annotations(task):
    row = DocumentTokens.objects.get(document=task.document)
    current = bytes(row.tokens)
    old_tokens, old_sentences, count = _old_tokens(TEXT, "tr")
    DocumentTokens.objects.filter(pk=row.pk).update(tokens=old_tokens, sentences=old_sentences, token_count=count,
                                                    tokenizer="spacy-rules-1")
    old = np.frombuffer(old_tokens, dtype=UINT32).reshape(-1, 2).tolist()
    assert [TEXT[a:b] for a, b in old if "Ankara" in TEXT[a:b]] == ["🏽Ankara"]
    # Half a flag (an old token: each regional indicator was one), stored before the rule existed, and a
    # good span.
    label = Label.objects.get(project=task.project, name="GPE")
    flag = TEXT.index("🇹🇷")
    Span.objects.create(task=task, label=label, start=flag, end=flag + 1)
    Span.objects.create(task=task, label=label, start=TEXT.index("Tiran"), end=TEXT.index("Tiran") + 5)

    out, err = StringIO(), StringIO()
    call_command("retokenize", "--dry-run", stdout=out, stderr=err, verbosity=0)
    assert "1 documents checked, tokens would change in 1; 1 annotations affected." in out.getvalue()
    assert "falls inside '🇹🇷'" in err.getvalue()
    assert DocumentTokens.objects.get(pk=row.pk).tokenizer == "spacy-rules-1"

    call_command("retokenize", stdout=StringIO(), stderr=StringIO(), verbosity=0)
    row.refresh_from_db()
    assert (row.tokenizer, bytes(row.tokens)) == (TOKENIZER_VERSION, current)
    out = StringIO()
    call_command("retokenize", stdout=out, stderr=StringIO(), verbosity=0)
    assert out.getvalue() == ""  # nothing left to do, nothing said (make migrate runs it every time)
    call_command("retokenize", stdout=out, stderr=StringIO(), verbosity=1)
    assert "0 documents checked" in out.getvalue()
