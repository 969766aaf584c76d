"""A document longer than CORPUS_MAX_DOCUMENT_CHARS is refused, with its file and line, by every import path:
the command (and so the page and the API, which run the same import), and an annotation import that makes
documents from a CoNLL file. The document page of the longest allowed text stays quick (bench figure in
docs/benchmarks.md); here, that it is served in one piece with its lines."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.interop.importing.files import annotation_file_import
from corpus.models import Document
from tests.factories import import_texts, make_annotator, make_collection, make_project


@pytest.fixture
def short_limit(settings):
    settings.CORPUS_MAX_DOCUMENT_CHARS = 60
    return 60


def test_the_command_refuses_a_long_article_with_its_file_and_line(db, tmp_path, short_limit, capsys):
    make_collection("wire")
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"text": "Ankara'da görüşme. " * 2}) + "\n" + json.dumps({"text": "ş" * 61}) + "\n",
                    encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--collection", "wire", "--workers", "1")
    err = capsys.readouterr().err
    assert "wire.jsonl, line 2: the text is 61 characters long; a document holds at most 60 " \
           "(CORPUS_MAX_DOCUMENT_CHARS)" in err
    assert not Document.objects.exists()  # all or nothing
    call_command("import_articles", str(path), "--collection", "wire", "--workers", "1", "--skip-invalid")
    assert Document.objects.count() == 1


def test_exactly_the_limit_goes_in(db, short_limit):
    report = import_texts(make_collection("wire"), "a" * 60)
    assert report.imported == 1, report.summary()


def test_a_conll_import_refuses_a_document_over_the_limit(db, short_limit):
    project = make_project("p", collections=[], overlap=1)
    make_annotator(project, "reader")
    words = "\n".join(f"Ankara{i} B-GPE" for i in range(12)) + "\n"  # 12 tokens of 7-8 characters: over 60
    report = annotation_file_import(project=project, stream=io.BytesIO(words.encode()), name="long.conll",
                                    fmt="conll", user="reader", collection="conll-docs", attach_collection=True)
    assert not report.committed
    assert any("long.conll, line 1: the text is" in p and "at most 60" in p for p in report.problems), report.problems
    assert not Document.objects.exists()
