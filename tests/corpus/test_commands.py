import pytest
from django.core.management import CommandError, call_command

from corpus.models import Collection, Document


@pytest.mark.django_db
def test_import_articles_creates_the_collection_and_reports(seeds_dir, capsys):
    call_command(
        "import_articles",
        str(seeds_dir),
        "--collection",
        "wire",
        "--create",
        "--name",
        "Wire",
        "--workers",
        "1",
    )
    out, err = capsys.readouterr()
    assert "Imported 5, duplicates skipped 0, rejected 0." in out
    assert "Importing" in err  # the progress bar
    assert Collection.objects.get(slug="wire").name == "Wire"
    call_command("import_articles", str(seeds_dir), "--collection", "wire")
    assert "Imported 0, duplicates skipped 5, rejected 0." in capsys.readouterr().out


@pytest.mark.django_db
def test_unknown_collection_without_create():
    with pytest.raises(CommandError, match="no collection 'nope'; add --create"):
        call_command("import_articles", "x.txt", "--collection", "nope")


@pytest.mark.django_db
def test_failed_import_lists_file_line_and_reason_and_writes_nothing(data_dir, seeds_dir, capsys):
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_articles",
            str(seeds_dir),
            str(data_dir / "missing_text.jsonl"),
            "--collection",
            "wire",
            "--create",
        )
    out, err = capsys.readouterr()
    assert "missing_text.jsonl, line 2: the object has no `text`" in err
    assert "rejected 1. Nothing was written" in out
    assert not Collection.objects.exists() and not Document.objects.exists()


@pytest.mark.django_db
def test_skip_invalid_language_and_encoding_options(data_dir, capsys):
    call_command(
        "import_articles",
        str(data_dir / "cp1254_article.txt"),
        str(data_dir / "impossible_date.txt"),
        "--collection",
        "c",
        "--create",
        "--skip-invalid",
        "--language",
        "tr",
        "--encoding",
        "cp1254",
    )
    assert "Imported 1, duplicates skipped 0, rejected 1." in capsys.readouterr().out
    assert Document.objects.get().language == "tr"


@pytest.mark.django_db
def test_format_option_is_checked():
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        call_command("import_articles", "x", "--collection", "c", "--format", "xml")


@pytest.mark.django_db
def test_the_command_reads_local_files_over_the_upload_limit_unless_told(tmp_path, settings, capsys):
    settings.CORPUS_MAX_FILE_BYTES = 100
    big = tmp_path / "big.jsonl"
    big.write_text("".join(f'{{"text": "Haber numarası {i}: Bakan Ankara\'da görüştü."}}\n' for i in range(20)))
    call_command("import_articles", str(big), "--collection", "wire", "--create", "--workers", "1")
    assert "Imported 20," in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_articles", str(big), "--collection", "wire", "--workers", "1", "--max-file-bytes", "200")
    assert "over the limit of 200" in capsys.readouterr().err
