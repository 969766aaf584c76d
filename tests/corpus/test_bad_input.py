"""Every bad input gets a clear message naming the file (and line), and nothing is half-written."""

import io
import zipfile

import pytest

from corpus.formats.sources import InputFile
from corpus.models import Collection, Document, DocumentTokens
from corpus.services import documents_import
from tests.factories import import_paths, import_texts, make_collection, memory_input


def assert_nothing_written(report):
    assert not report.committed and report.imported == 0
    assert Document.objects.count() == 0 and DocumentTokens.objects.count() == 0
    assert Collection.objects.get().document_count == 0


def only_problem(report):
    assert len(report.rejected) == 1, report.rejected
    return report.rejected[0]


@pytest.mark.django_db
def test_not_utf8_names_the_byte_offset(data_dir):
    report = import_paths(make_collection(), data_dir / "cp1254_article.txt")
    problem = only_problem(report)
    assert problem.source.endswith("cp1254_article.txt")
    assert (
        "not valid UTF-8: byte 0xfd at byte offset 18" in problem.message and "--encoding" in problem.message
    )
    assert_nothing_written(report)


@pytest.mark.django_db
def test_encoding_override_reads_the_same_file(data_dir):
    report = import_paths(make_collection(), data_dir / "cp1254_article.txt", encoding="cp1254")
    assert report.imported == 1
    assert Document.objects.get().text == "Dışişleri Bakanı Ankara'da görüştü.\n"


@pytest.mark.django_db
def test_bad_byte_in_a_jsonl_line_names_the_line_and_offset(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "bad_line_utf8.jsonl"))
    first_line_bytes = (data_dir / "bad_line_utf8.jsonl").read_bytes().index(b"\n") + 1
    assert problem.line == 2
    assert f"byte offset {first_line_bytes + 11}" in problem.message
    assert_nothing_written(report)


@pytest.mark.django_db
def test_whitespace_only_text(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "whitespace_only.txt"))
    assert problem.message == "empty text (nothing but whitespace)"
    assert_nothing_written(report)


@pytest.mark.django_db
def test_empty_file():
    problem = only_problem(report := import_texts(make_collection(), ""))
    assert (problem.source, problem.message) == ("doc0.txt", "empty file")
    assert_nothing_written(report)


@pytest.mark.django_db
def test_malformed_json_line(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "malformed.jsonl"))
    assert problem.line == 2 and problem.message.startswith("malformed JSON:")
    assert str(problem).endswith("malformed.jsonl, line 2: " + problem.message)
    assert_nothing_written(report)


@pytest.mark.django_db
def test_json_line_without_text(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "missing_text.jsonl"))
    assert (problem.line, problem.message) == (2, "the object has no `text`")
    assert_nothing_written(report)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": 5}', "`text` must be a string"),
        ("[1, 2]", "expected a JSON object, found list"),
        (
            '{"text": "a", "language": "Turkish"}',
            "`language` 'Turkish' is not a language code like 'tr' or 'sq'",
        ),
        (
            '{"text": "a", "url": "javascript:alert(1)"}',
            "`url` 'javascript:alert(1)' is not an http(s) address",
        ),
        ('{"text": "a", "date": "2025-13-01"}', "impossible date '2025-13-01'"),
        ('{"text": "a", "date": "dün"}', "date 'dün' is not in the form YYYY-MM-DD"),
        ('{"text": "a", "meta": [1]}', "`meta` must be an object"),
        ('{"text": "abc \\ud800 def"}', "\\ud800 is half of a UTF-16 surrogate pair without its other half, not a character"),
        ('{"text": "a", "meta": {"k": "\\uDC01"}}', "\\udc01 is half of a UTF-16 surrogate pair without its other half, not a character"),
    ],
)
def test_bad_json_values(line, message):
    report = documents_import(collection=make_collection(), inputs=[memory_input("in.jsonl", line + "\n")])
    assert only_problem(report).message == message
    assert_nothing_written(report)


@pytest.mark.django_db
def test_impossible_date_in_seed_header(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "impossible_date.txt"))
    assert (problem.line, problem.message) == (1, "impossible date '2025-02-30'")
    assert_nothing_written(report)


@pytest.mark.django_db
def test_file_over_the_size_limit(settings, data_dir):
    settings.CORPUS_MAX_FILE_BYTES = 100
    problem = only_problem(report := import_paths(make_collection(), data_dir / "articles.jsonl"))
    assert "over the limit of 100 (CORPUS_MAX_FILE_BYTES)" in problem.message
    assert_nothing_written(report)


@pytest.mark.django_db
def test_binary_file(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "binary.png"))
    assert problem.message.startswith("binary file (it contains NUL bytes)")
    assert_nothing_written(report)


@pytest.mark.django_db
def test_zip_entry_with_dot_dot(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "traversal.zip"))
    assert problem.message == "zip entry '../evil.txt' has an absolute path or '..'; the archive was refused"
    assert_nothing_written(report)


@pytest.mark.django_db
def test_zip_entry_with_absolute_path(data_dir):
    problem = only_problem(report := import_paths(make_collection(), data_dir / "absolute.zip"))
    assert "'/etc/evil.txt' has an absolute path" in problem.message
    assert_nothing_written(report)


@pytest.mark.django_db
def test_zip_over_the_uncompressed_limit(settings):
    settings.CORPUS_MAX_ZIP_UNCOMPRESSED_BYTES = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", "a" * 1_000_000)
    data = buffer.getvalue()
    assert len(data) < 10_000
    report = documents_import(
        collection=make_collection(), inputs=[InputFile("bomb.zip", len(data), io.BytesIO(data))]
    )
    assert "would uncompress to 1,000,000 bytes, over the limit of 10,000" in only_problem(report).message
    assert_nothing_written(report)


@pytest.mark.django_db
def test_not_a_zip():
    report = documents_import(
        collection=make_collection(), inputs=[memory_input("x.zip", "PK\x03\x04 broken")]
    )
    assert only_problem(report).message.startswith("not a valid zip archive")


@pytest.mark.django_db
def test_missing_path():
    problem = only_problem(report := import_paths(make_collection(), "/nonexistent/file.txt"))
    assert (problem.source, problem.message) == ("/nonexistent/file.txt", "no such file or directory")
    assert_nothing_written(report)


@pytest.mark.django_db
def test_a_batch_is_all_or_nothing_and_every_problem_is_reported(data_dir, seeds_dir):
    report = import_paths(make_collection(), seeds_dir, data_dir / "malformed.jsonl", data_dir / "binary.png")
    assert [p.source.rsplit("/", 1)[-1] for p in report.rejected] == ["malformed.jsonl", "binary.png"]
    assert "Nothing was written" in report.summary()
    assert_nothing_written(report)


@pytest.mark.django_db
def test_skip_invalid_imports_the_good_and_reports_the_rest(data_dir, seeds_dir):
    report = import_paths(make_collection(), seeds_dir, data_dir / "malformed.jsonl", skip_invalid=True)
    assert report.committed and report.imported == 6  # five seeds and the good first line
    assert [(p.line, p.message[:14]) for p in report.rejected] == [(2, "malformed JSON")]
    assert Collection.objects.get().document_count == 6


@pytest.mark.django_db
def test_bad_language_override_is_refused():
    with pytest.raises(ValueError, match="language 'turkish' is not a language code"):
        import_texts(make_collection(), "metin", language="turkish")


@pytest.mark.django_db
def test_an_escaped_surrogate_pair_is_one_character_and_imports():
    line = '{"text": "Zirve sona erdi \\ud83d\\udc4d\\ud83c\\udffd tamam."}\n'
    report = documents_import(collection=make_collection(), inputs=[memory_input("in.jsonl", line)])
    assert report.committed and Document.objects.get().text == "Zirve sona erdi 👍🏽 tamam."
