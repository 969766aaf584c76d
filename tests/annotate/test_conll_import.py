"""CoNLL in: the linspector Turkish NER development set round-trips through import and conll2003 export."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.models import Project, Span, Task
from tests.conftest import SEEDS
from tests.factories import export_text, make_annotator, make_project

LINSPECTOR = SEEDS.parent.parent / "external" / "tr_twnertc_linspector" / "dev.txt"


def sentences(text: str, tag_column: int = -1):
    """Each sentence as a tuple of (token, tag), DOCSTART lines and blank lines aside."""
    out, current = [], []
    for line in text.splitlines():
        if line.startswith("-DOCSTART-"):
            continue
        if not line.strip():
            if current:
                out.append(tuple(current))
                current = []
            continue
        columns = line.split()
        current.append((columns[0], columns[tag_column]))
    if current:
        out.append(tuple(current))
    return out


def test_linspector_dev_round_trips_token_for_token_and_tag_for_tag(db, tmp_path, capsys):
    if not LINSPECTOR.is_file():
        pytest.fail(f"expected {LINSPECTOR} (../shared/external beside the checkout)")
    project = make_project("ner", schema=None, overlap=1)
    make_annotator(project, "gold")
    call_command("import_annotations", "ner", str(LINSPECTOR), "--format", "conll", "--as", "gold",
                 "--collection", "linspector", "--create-labels")
    source = sentences(LINSPECTOR.read_text(encoding="utf-8"))
    out = capsys.readouterr().out
    exported, report = export_text(Project.objects.get(slug="ner"), format="conll")
    assert report.misaligned_count == 0 and report.nested_left_out == 0
    back = sentences(exported)
    # One sentence occurs twice in the file with different tags ("Bir gece Nasuada…"); a text is one document
    # with one set per annotator, so its second occurrence is reported as already there and left out.
    texts = {}
    for sentence in source:
        texts.setdefault(tuple(t for t, _ in sentence), set()).add(sentence)
    conflicting = {t for t, versions in texts.items() if len(versions) > 1}
    assert len(conflicting) == 1 and "1 already there" in out
    assert sorted(b for b in back if tuple(t for t, _ in b) not in conflicting) == sorted(
        set(s for s in source if tuple(t for t, _ in s) not in conflicting))
    assert len(back) == len(texts) == 5399
    assert Span.objects.filter(task__project__slug="ner").count() > 3000


def test_broken_iob_and_unknown_labels_are_reported_and_nothing_is_written(db, tmp_path, capsys):
    project = make_project("ner", schema="news-diplomacy", overlap=1)
    make_annotator(project, "gold")
    path = tmp_path / "bad.conll"
    path.write_text("-DOCSTART- -X- O O\n\nRusya -X- _ I-GPE\nPutin -X- _ B-PERSON\nve\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_annotations", "ner", str(path), "--format", "conll", "--as", "gold", "--collection", "c")
    err = capsys.readouterr().err
    assert "line 3: I-GPE does not continue a GPE" in err
    assert "line 5: a token and a tag are needed" in err
    assert "unknown entity label 'PERSON'" in err
    assert not Task.objects.exists()


def test_conll_columns_split_on_space_and_tab_only_and_tokens_become_nfc(db, tmp_path):
    """A no-break space or a line separator inside a token stays in it; an NFD token is stored NFC."""
    import unicodedata

    from annotate.models import Span

    nfd = unicodedata.normalize("NFD", "Güneş")
    path = tmp_path / "t.conll"
    path.write_text(f"10\u00a0000 O\nkişi\u2028satır O\n{nfd}\tB-PER\n\n", encoding="utf-8")
    project = make_project("ner", schema="news-diplomacy", overlap=1)
    make_annotator(project, "gold")
    call_command("import_annotations", "ner", str(path), "--format", "conll", "--as", "gold", "--collection", "c")
    span = Span.objects.get()
    text = span.task.document.text
    assert text == "10\u00a0000 kişi\u2028satır Güneş" and unicodedata.is_normalized("NFC", text)
    assert text[span.start : span.end] == "Güneş"
