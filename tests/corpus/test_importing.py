import datetime as dt
import unicodedata

import pytest

from corpus.models import Collection, Document, DocumentTokens
from corpus.services import documents_import
from tests.factories import import_paths, import_texts, make_collection, memory_input

SEED_EXPECTED = {
    "000_d679b310741a05b0": ("2025-09-02", "tr"),
    "001_125bbab6eada4166": ("2025-09-02", "tr"),
    "002_25c5a9a7f4bf1039": ("2025-12-03", "tr"),
    "003_f40720ea0dd32924": ("2025-11-04", "tr"),
    "004_afdae27950b3016e": ("2026-02-04", "sq"),
}


@pytest.mark.django_db
def test_the_five_seed_articles_import_with_dates_languages_and_exact_text(seeds_dir):
    collection = make_collection()
    report = import_paths(collection, seeds_dir)
    assert (report.imported, report.duplicates, report.rejected) == (5, 0, [])
    for path in sorted(seeds_dir.iterdir()):
        document = Document.objects.get(external_id=path.stem)
        date, language = SEED_EXPECTED[path.stem]
        assert (str(document.published_on), document.language) == (date, language)
        raw = path.read_bytes().decode("utf-8")
        header = f" date {date} "
        assert raw.startswith(header)
        expected = unicodedata.normalize("NFC", raw[len(header) :].replace("\r\n", "\n"))
        assert document.text == expected
        assert not document.text.startswith(("date", " "))
    collection.refresh_from_db()
    assert collection.document_count == 5


@pytest.mark.django_db
def test_seed_boilerplate_is_kept(seeds_dir):
    collection = make_collection()
    import_paths(collection, seeds_dir)
    assert " REKLAM " in Document.objects.get(external_id="001_125bbab6eada4166").text
    assert "Facebook'da Paylaş" in Document.objects.get(external_id="002_25c5a9a7f4bf1039").text


@pytest.mark.django_db
def test_importing_the_same_files_twice_changes_nothing(seeds_dir):
    collection = make_collection()
    import_paths(collection, seeds_dir)
    again = import_paths(collection, seeds_dir)
    assert (again.imported, again.duplicates) == (0, 5)
    assert Document.objects.count() == 5 and DocumentTokens.objects.count() == 5
    assert Collection.objects.get().document_count == 5


@pytest.mark.django_db
def test_duplicates_inside_one_batch_and_across_collections():
    first, second = make_collection("a"), make_collection("b")
    report = import_texts(first, "Aynı metin.", "Aynı metin.", "Başka metin.")
    assert (report.imported, report.duplicates) == (2, 1)
    assert import_texts(second, "Aynı metin.").imported == 1


@pytest.mark.django_db
def test_crlf_bom_and_decomposed_text_are_normalized(data_dir):
    import_paths(make_collection(), data_dir / "crlf_bom_nfd.txt")
    document = Document.objects.get()
    assert document.text == "Bakan\nİstanbul'da konuştu.\nÉtude sonu.\n"
    assert document.published_on == dt.date(2026, 1, 16)


@pytest.mark.django_db
def test_jsonl_fields_and_extra_keys(data_dir):
    report = import_paths(make_collection(), data_dir / "articles.jsonl")
    assert report.imported == 3
    first, second, third = Document.objects.order_by("id")
    assert (first.external_id, first.title, first.language, first.url) == (
        "a-1",
        "Birinci",
        "tr",
        "https://example.org/1",
    )
    assert first.published_on == dt.date(2026, 2, 1) and first.meta == {"desk": "dış"}
    assert (second.external_id, second.published_on, second.language) == ("2", dt.date(2026, 2, 2), "sq")
    assert second.meta == {"section": "politika"}
    assert third.external_id == "articles:3" and third.title.startswith("Üçüncü haber")


@pytest.mark.django_db
def test_a_title_longer_than_the_column_is_refused_with_its_line():
    import json

    from corpus.services import documents_import

    lines = [json.dumps({"title": "Kısa", "text": "Birinci metin."}),
             json.dumps({"title": "uzun başlık " * 50, "text": "İkinci metin."})]
    report = documents_import(collection=make_collection(), inputs=[memory_input("t.jsonl", "\n".join(lines))])
    assert not report.committed and not Document.objects.exists()
    assert [(p.source, p.line, p.message) for p in report.rejected] == [
        ("t.jsonl", 2, "`title` is longer than 500 characters")
    ]


@pytest.mark.django_db
def test_zip_of_seed_and_jsonl_files(data_dir):
    report = import_paths(make_collection(), data_dir / "batch.zip")
    assert (report.imported, report.rejected) == (2, [])
    assert set(Document.objects.values_list("external_id", flat=True)) == {"one", "z2"}


@pytest.mark.django_db
def test_directory_import_and_format_override(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2026-01-01 Metin bir.")
    (tmp_path / ".hidden.txt").write_text("gizli")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.data").write_text('{"text": "JSON gibi ama düz metin"}')
    report = import_paths(make_collection(), tmp_path, fmt="txt")
    assert report.imported == 2
    texts = set(Document.objects.values_list("text", flat=True))
    assert texts == {" date 2026-01-01 Metin bir.", '{"text": "JSON gibi ama düz metin"}'}


@pytest.mark.django_db
def test_language_override_and_detection():
    collection = make_collection()
    import_texts(collection, "Kryeministri priti homologun në Tiranë.", language="tr")
    assert Document.objects.get().language == "tr"
    import_texts(collection, "Kryeministri priti sot homologun e tij në Tiranë për bisedime zyrtare.")
    assert Document.objects.order_by("-id").first().language == "sq"


@pytest.mark.django_db(transaction=True)
def test_worker_processes_give_the_same_result_as_one_process(seeds_dir, monkeypatch):
    import corpus.services.importing as importing

    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    single, parallel = make_collection("single"), make_collection("parallel")
    import_paths(single, seeds_dir, workers=1)
    import_paths(parallel, seeds_dir, workers=2)
    fields = (
        "external_id",
        "language",
        "published_on",
        "text",
        "segmentation__tokens",
        "segmentation__sentences",
    )
    rows = [
        list(Document.objects.filter(collection=c).order_by("external_id").values_list(*fields))
        for c in (single, parallel)
    ]
    assert rows[0] == rows[1] and len(rows[0]) == 5


@pytest.mark.django_db
def test_tokens_are_stored_and_load_in_one_query(seeds_dir, django_assert_num_queries):
    import_paths(make_collection(), seeds_dir)
    document = Document.objects.get(external_id="000_d679b310741a05b0")
    with django_assert_num_queries(1):
        segmentation = DocumentTokens.objects.get(document_id=document.pk)
    tokens = segmentation.token_offsets()
    words = [document.text[s:e] for s, e in tokens]
    assert words[:3] == ["BEİJİNG", ",", "2"]
    assert words[words.index("Zirvesi") : words.index("Zirvesi") + 2] == ["Zirvesi", "'ne"]
    assert len(tokens) == segmentation.token_count
    assert segmentation.sentence_spans()[0][0] == 0


@pytest.mark.django_db
def test_unknown_format_name_is_a_clear_error():
    from corpus.formats import UnknownFormatError

    with pytest.raises(
        UnknownFormatError, match="unknown format 'xml'; valid formats: auto, seed, jsonl, txt"
    ):
        import_texts(make_collection(), "metin", fmt="xml")


@pytest.mark.django_db
def test_progress_is_reported():
    seen = []
    import_texts(make_collection(), "bir", "iki", "üç", progress=seen.append)
    assert sum(seen) == 3


def test_memory_input_factory_is_seekable():
    item = memory_input("x.txt", "abc")
    assert item.open().read() == b"abc" and item.open().read() == b"abc"


def test_once_an_all_or_nothing_import_has_failed_the_rest_is_only_checked(monkeypatch, db):
    """Every problem is still reported, but nothing after the first one is tokenized: it will not be stored."""
    import corpus.pipeline
    import corpus.services.importing

    tokenized = []
    real = corpus.pipeline.tokenize_packed
    monkeypatch.setattr(corpus.pipeline, "tokenize_packed", lambda text, lang: tokenized.append(text) or real(text, lang))
    monkeypatch.setattr(corpus.services.importing, "BATCH_SIZE", 2)
    lines = ['{"text": 5}', '{"text": "Bir."}'] + [f'{{"text": "Haber {i}."}}' for i in range(6)] + ['{"text": "  "}']
    report = documents_import(collection=make_collection(), inputs=[memory_input("a.jsonl", "\n".join(lines))])
    assert not report.committed and [p.line for p in report.rejected] == [1, 9]
    assert tokenized == ["Bir."]  # the first batch's good article only
