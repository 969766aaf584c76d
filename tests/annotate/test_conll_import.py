"""CoNLL in: the linspector Turkish NER development set round-trips through import and conll2003 export."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.models import Project, Span, Task
from tests.conftest import SHARED, shared_path
from tests.factories import export_text, make_annotator, make_project

LINSPECTOR = SHARED / "external" / "tr_twnertc_linspector" / "dev.txt"


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


@pytest.mark.slow
def test_linspector_dev_round_trips_token_for_token_and_tag_for_tag(db, tmp_path, capsys):
    """One sentence occurs twice in the file with different tags ("Bir gece Nasuada…"). Without
    keep-repeats the import says so with both line numbers and writes nothing (the second copy's entities
    would be lost); with it, every copy is a document and the export gives the file back sentence for
    sentence, in order."""
    shared_path("external", "tr_twnertc_linspector", "dev.txt")
    project = make_project("ner", schema=None, overlap=1)
    make_annotator(project, "gold")
    args = ["import_annotations", "ner", str(LINSPECTOR), "--format", "conll", "--as", "gold",
            "--collection", "linspector", "--attach-collection", "--create-labels"]
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command(*args)
    err = capsys.readouterr().err
    assert "line 65523: the same text as line 28801 with other tags" in err
    assert not Span.objects.exists()

    call_command(*args, "--keep-repeats")
    out = capsys.readouterr().out
    source = sentences(LINSPECTOR.read_text(encoding="utf-8"))
    exported, report = export_text(Project.objects.get(slug="ner"), format="conll")
    assert report.misaligned_count == 0 and report.nested_left_out == 0
    assert sentences(exported) == source
    assert len({tuple(t for t, _ in s) for s in source}) < len(source)  # the file repeats texts, each kept
    assert "kept as copy 2" in out and f"Imported {len(source):,} annotation sets" in out
    assert Span.objects.filter(task__project__slug="ner").count() > 3000


def test_a_repeat_with_the_same_tags_is_kept_once_with_a_note(db, tmp_path, capsys):
    project = make_project("ner", schema=None, overlap=1)
    make_annotator(project, "gold")
    path = tmp_path / "repeats.conll"
    path.write_text("Ankara B-LOC\nsıcak O\n\nTiran B-LOC\n\nAnkara B-LOC\nsıcak O\n\n", encoding="utf-8")
    call_command("import_annotations", "ner", str(path), "--format", "conll", "--as", "gold", "--collection", "c", "--attach-collection",
                 "--create-labels")
    out = capsys.readouterr().out
    assert "line 6: the same text and tags as line 1, kept once" in out
    assert "Imported 2 annotation sets" in out and "1 already there" in out


def test_broken_iob_and_unknown_labels_are_reported_and_nothing_is_written(db, tmp_path, capsys):
    project = make_project("ner", schema="news-diplomacy", overlap=1)
    make_annotator(project, "gold")
    path = tmp_path / "bad.conll"
    path.write_text("-DOCSTART- -X- O O\n\nRusya -X- _ I-GPE\nPutin -X- _ B-PERSON\nve\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_annotations", "ner", str(path), "--format", "conll", "--as", "gold", "--collection", "c", "--attach-collection")
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
    call_command("import_annotations", "ner", str(path), "--format", "conll", "--as", "gold", "--collection", "c", "--attach-collection")
    span = Span.objects.get()
    text = span.task.document.text
    assert text == "10\u00a0000 kişi\u2028satır Güneş" and unicodedata.is_normalized("NFC", text)
    assert text[span.start : span.end] == "Güneş"
