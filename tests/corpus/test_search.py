"""corpus.search (the lexemes of texts and queries) and the PostgreSQL search built on it."""

import re

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.models import Document
from corpus.search import MAX_POSITION, MAX_POSITIONS, _lexemes, fold, search_query, search_vector
from corpus.services import TokenizedText, documents_create_tokenized
from corpus.services.search_index import search_vectors_backfill
from tests.factories import import_texts, make_collection


def lexemes(vector: str) -> dict[str, list[int]]:
    out = {}
    for item in vector.split():
        lexeme, positions = item.rsplit(":", 1)
        out[lexeme.strip("'")] = [int(p) for p in positions.split(",")]
    return out


def test_turkish_capitals_meet_their_lowercase_forms():
    headline = lexemes(search_vector("DİYARBAKIR'DA IRAK HEYETİ", "tr"))
    assert headline == lexemes(search_vector("Diyarbakır'da ırak heyeti", "tr"))
    assert search_query("Diyarbakır", "tr") == "'diyarbakir'" and "diyarbakir" in headline
    assert search_query("ırak", "tr") == "'irak'" and "irak" in headline


def test_other_languages_are_lowercased_without_stemming_and_fold_the_dots():
    assert lexemes(search_vector("Kryeministri İSTANBUL Irak video-telefonatë", "sq")) == {
        "kryeministri": [1], "istanbul": [2], "irak": [3], "video": [4], "telefonatë": [5]
    }


def test_turkish_words_are_stemmed_and_stopwords_dropped_but_counted():
    assert lexemes(search_vector("bu ve şu anlaşmaları", "tr")) == {"anlaşma": [4]}
    assert search_query("anlaşma", "tr") == "'anlaşma'"
    assert search_query("ve", "tr") == "" and search_query("", "tr") == ""


def test_apostrophes_and_hyphens_split_words_and_make_a_phrase_in_a_query():
    assert list(lexemes(search_vector("Rusya'nın ŞİÖ’nün", "tr"))) == ["rusya", "nin", "şiö", "nün"]
    assert search_query("Rusya'nın", "tr") == "('rusya' <-> 'nin')"
    assert search_query("video-telefonatë", "sq") == "('video' <-> 'telefonatë')"


def test_web_search_syntax():
    assert search_query('"Erdoğan ve Putin"', "tr") == "('erdoğa' <2> 'put')"  # the stopword keeps its place
    assert search_query("Putin or Xi -Lavrov", "tr") == "'put' | 'xi' & !'lavrov'"
    assert search_query('-"Putin Xi"', "sq") == "!('putin' <-> 'xi')"
    assert search_query('"unclosed phrase', "sq") == "('unclosed' <-> 'phrase')"
    assert search_query("or Putin or", "sq") == "'putin'"
    assert search_query("'\\:*&|!()<>", "sq") == ""


WORDS_AND_INFLECTIONS = st.sampled_from([
    "anlaşma", "anlaşmaları", "anlaşmanın", "Anlaşması", "ve", "bu", "IRAK", "ırak", "Irak'ta", "İSTANBUL",
    "görüştü", "görüşme", "telefonatë", "Kryeministri", "kryeministri", "2024",
])


def test_postgresql_limits_are_kept():
    many = lexemes(search_vector("söz " * (MAX_POSITIONS + 10), "sq"))
    assert len(many["söz"]) == MAX_POSITIONS
    far = lexemes(search_vector("a " * (MAX_POSITION + 5) + "uzak", "sq"))
    assert far["uzak"] == [MAX_POSITION]
    assert lexemes(search_vector("kısa " + "x" * 3000, "sq")) == {"kisa": [1]}


def plain_vector(text: str, language: str) -> dict[str, list[int]]:
    """The definition, word by word: each word's lexeme gets its position (stopwords count, and get none)."""
    found: dict[str, list[int]] = {}
    for position, word in enumerate(re.findall(r"[^\W_]+", fold(text, language)), 1):
        lexeme = _lexemes([word], language)[word]
        if lexeme:
            found.setdefault(lexeme, []).append(min(position, MAX_POSITION))
    return {lexeme: positions[:MAX_POSITIONS] for lexeme, positions in found.items()}


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.one_of(WORDS_AND_INFLECTIONS, st.text(max_size=6)), max_size=60),
       language=st.sampled_from(["tr", "sq"]))
def test_the_vector_is_the_plain_definition_word_by_word(words, language):
    """search_vector groups the words by lexeme in one pass (it runs for every imported document); it
    must give what the plain definition gives, inflections sharing a stem included, in the same order."""
    text = " ".join(words)
    assert lexemes(search_vector(text, language)) == plain_vector(text, language)
    assert list(lexemes(search_vector(text, language))) == list(plain_vector(text, language))


# --- PostgreSQL: the literals parse, and what is written can be found -----------------------------------

WORDS = st.sampled_from([
    "Rusya'nın", "IRAK", "ırak", "İstanbul", "DİYARBAKIR", "bir", "araya", "geldi", "ve", "bu", "görüştü",
    "video-telefonatë", "Putin", "Erdoğan", "2024", "ŞİÖ’nün", "anlaşmaları", "Kryeministri", "İİ", "ıı",
])
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="tsvector and tsquery are PostgreSQL's; SQLite searches by substring"
)
pg_property = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def matches(vector: str, query: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector @@ %s::tsquery", [vector, query])
        return cursor.fetchone()[0]


@on_postgresql
@pg_property
@given(text=ANY_TEXT, language=st.sampled_from(["tr", "sq"]))
def test_any_text_and_any_query_give_literals_postgresql_accepts(db, text, language):
    query = search_query(text, language)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector, %s::tsquery", [search_vector(text, language), query or "x"])


@on_postgresql
@pg_property
@given(words=st.lists(WORDS, min_size=1, max_size=30), data=st.data(), language=st.sampled_from(["tr", "sq"]))
def test_any_run_of_words_finds_its_text_as_a_phrase(db, words, data, language):
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    query = search_query('"' + " ".join(words[start:end]) + '"', language)
    if query:  # a run of stopwords alone asks for nothing
        assert matches(search_vector(" ".join(words), language), query)


@on_postgresql
def test_search_finds_capitals_and_inflections_through_the_index(db):
    collection = make_collection()
    import_texts(collection, "DİYARBAKIR'DA IRAK HEYETİ AĞIRLANDI.", "Kryeministri priti homologun.", language="tr")
    found = Document.objects.filter(collection=collection).search
    assert found("Diyarbakır").count() == 1 and found("ırak heyeti").count() == 1
    assert found('"Irak heyet"').count() == 1 and found("Diyarbakır -Irak").count() == 0
    assert found("ve").count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")  # tiny table
    assert "Bitmap Index Scan on corpus_document_search_vector" in Document.objects.search("Irak heyet").explain()


@on_postgresql
def test_documents_from_tokenized_files_are_searchable(db):
    collection = make_collection()
    documents_create_tokenized(
        collection=collection,
        items=[TokenizedText("Xi Jinping HANGZHOU'da", [(0, 2), (3, 10), (11, 19), (19, 22)], [0], "c1", "tr")],
    )
    assert Document.objects.search("Hangzhou").count() == 1


@on_postgresql
def test_backfill_writes_the_vectors_of_documents_without_one(db):
    collection = make_collection()
    import_texts(collection, "Lavrov Pekin'de.", "Wang Yi Moskova'da.", language="tr")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE corpus_document SET search_vector = NULL")
    assert Document.objects.search("Pekin").count() == 0
    assert search_vectors_backfill(batch_size=1) == 2
    assert Document.objects.search("Pekin").count() == 1 and Document.objects.search("Moskova").count() == 1


def test_turkish_capitals_are_found_the_same_way_on_both_databases(db):
    """On SQLite too (a substring there, words on PostgreSQL): I, İ, ı and i meet, as the full-text search
    folds them."""
    from corpus.models import Document
    from tests.factories import import_texts, make_collection

    collection = make_collection("caps")
    import_texts(collection, "İSTANBUL'DA IRAK heyeti ile görüşme yapıldı.", language="tr")
    import_texts(collection, "Ministri IRAK priti delegacionin në İSTANBUL sot.", language="sq")
    found = {q: sorted(Document.objects.filter(collection=collection).search(q).values_list("language", flat=True))
             for q in ("istanbul", "İstanbul", "ırak", "irak", "Irak", "heyeti", "HEYETİ")}
    assert found == {"istanbul": ["sq", "tr"], "İstanbul": ["sq", "tr"], "ırak": ["sq", "tr"], "irak": ["sq", "tr"],
                     "Irak": ["sq", "tr"], "heyeti": ["tr"], "HEYETİ": ["tr"]}
