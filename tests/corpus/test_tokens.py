import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.text import normalize_text
from corpus.tokens import tokenize, tokenize_packed, unpack_indexes, unpack_tokens


def words(text, language="tr"):
    tokens, _ = tokenize(text, language)
    return [text[s:e] for s, e in tokens]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rusya'nın", ["Rusya", "'nın"]),
        ("ŞİÖ'nün", ["ŞİÖ", "'nün"]),
        ("Rusya’nın", ["Rusya", "’nın"]),
        ("Zirvesi'ne katıldı.", ["Zirvesi", "'ne", "katıldı", "."]),
        ("Ay'ın güney kutbu", ["Ay", "'ın", "güney", "kutbu"]),
        ("2026'da", ["2026", "'da"]),
    ],
)
def test_turkish_apostrophe_starts_a_new_token(text, expected):
    assert words(text) == expected


def test_quotes_that_are_not_between_letters_stay_punctuation():
    assert words("''Aklını başına''") == ["'", "'", "Aklını", "başına", "'", "'"]


def test_whitespace_is_never_a_token():
    text = "Pekin\u00a0'de \u2009 Tiencin\n\nZirvesi\t."
    assert all(
        not text[s:e].isspace() and not any(c.isspace() for c in text[s:e])
        for s, e in tokenize(text, "tr")[0]
    )


def test_line_breaks_end_sentences():
    text = (
        "Haberler\n\nÇin Dışişleri Bakanı, Rus Mevkidaşı ile Görüştü\nGüncelleme:\nWang dedi. Lavrov da dedi."
    )
    tokens, starts = tokenize(text, "tr")
    firsts = [text[tokens[i][0] : tokens[i][1]] for i in starts]
    assert firsts == ["Haberler", "Çin", "Güncelleme", "Wang", "Lavrov"]


def test_albanian_and_unknown_languages_tokenize():
    assert words("Xi Jinping zhvilloi një video-telefonatë.", "sq")[:4] == [
        "Xi",
        "Jinping",
        "zhvilloi",
        "një",
    ]
    assert words("Hello, world", "zz") == ["Hello", ",", "world"]


def test_what_the_import_stores_unpacks_to_the_tokens_and_sentences():
    text = "Rusya'nın Dışişleri Bakanı konuştu.\nŞİÖ'nün zirvesi 2026'da."
    tokens, sentences = tokenize(text, "tr")
    packed_tokens, packed_sentences, count = tokenize_packed(text, "tr")
    assert unpack_tokens(packed_tokens) == tokens and count == len(tokens)
    assert unpack_indexes(packed_sentences) == sentences == [0, 6]


TEXTS = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(
            ["'", "’", " ", "\u00a0", "\u2009", "\n", "İ", "ı", "e\u0301", "🇹🇷", "👍🏽", "-", "."]
        ),
    ),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(["tr", "sq", "xx"]))
def test_every_token_slices_to_non_whitespace_and_tokens_are_ordered(raw, language):
    text = normalize_text(raw)
    tokens, starts = tokenize(text, language)
    previous_end = 0
    for start, end in tokens:
        piece = text[start:end]
        assert piece and not any(ch.isspace() for ch in piece), (text, piece)
        assert previous_end <= start < end <= len(text)
        previous_end = end
    # Nothing but whitespace is left out (with the marks on it: a grapheme cluster that holds whitespace).
    covered = "".join(text[s:e] for s, e in tokens)
    clusters = [m.group() for m in regex.finditer(r"\X", text)]
    assert covered == "".join(c for c in clusters if not any(ch.isspace() for ch in c))
    assert starts == sorted(set(starts))
    assert (starts[:1] == [0]) if tokens else starts == []
    assert all(0 <= i < len(tokens) for i in starts)


SENTENCE_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(
            [".", "!", "?", "...", "…", '"', ")", "(", " ", "\n", ",", "'", "Bakan", "dedi", "2.", "ŞİÖ"]
        ),
        st.text(alphabet="abcçğıİöşü .!?\n", max_size=8),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(SENTENCE_TEXTS, st.sampled_from(["tr", "sq"]))
def test_sentence_rule_on_arrays_matches_spacys_sentencizer(text, language):
    from spacy.pipeline import Sentencizer

    from corpus.tokens import _pipeline, _sentence_starts, code_points

    tokenizer, enders, attrs = _pipeline(language)
    doc = tokenizer(text)
    if not len(doc):
        return
    expected = [t.i for t in Sentencizer()(tokenizer(text)) if t.is_sent_start]
    table = doc.to_array(attrs).astype("int64")
    assert _sentence_starts(table, code_points(text), enders).tolist() == expected


def test_the_vocabulary_is_bounded_and_a_fresh_one_tokenizes_the_same(monkeypatch):
    """spaCy remembers every string it has tokenized; past a bound the pipeline starts afresh, so an
    import worker's memory does not grow with the corpus, and the tokens do not change."""
    import random
    from itertools import pairwise

    from corpus import tokens

    monkeypatch.setattr(tokens, "MAX_VOCABULARY_STRINGS", 3_000)
    rng = random.Random(3)
    texts = [
        " ".join("".join(rng.choice("abcçğıöşüİ") for _ in range(8)) for _ in range(300)) + " Rusya'nın."
        for _ in range(40)
    ]
    first = [tokenize(text, "tr") for text in texts]
    sizes = []
    for text in texts:
        tokenize(text, "tr")
        sizes.append(len(tokens._pipeline("tr")[0].vocab.strings))
    assert max(sizes) <= 3_000 + 400  # one document's worth past the bound at most
    assert any(after < before for before, after in pairwise(sizes))  # it was rebuilt
    assert [tokenize(text, "tr") for text in texts] == first


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=120), st.sampled_from(["tr", "sq"]))
def test_lexemes_without_unused_attributes_tokenize_as_spacy_does(text, language):
    import spacy

    from corpus.tokens import _pipeline

    tokenizer, _enders, attrs = _pipeline(language)
    if language not in REFERENCE:
        REFERENCE[language] = spacy.blank(language).tokenizer
    reference = REFERENCE[language]
    assert tokenizer(text).to_array(attrs).tolist() == reference(text).to_array(attrs).tolist()


REFERENCE = {}
