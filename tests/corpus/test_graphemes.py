"""No token or sentence edge inside a grapheme cluster (UAX #29): emoji sequences, flags, skin tones and
combining marks stay whole, and a picture is a token of its own."""

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.graphemes import boundaries, edge_problem
from corpus.text import normalize_text
from corpus.tokens import tokenize

FAMILY = "👨\u200d👩\u200d👧"


def words(text, language="tr"):
    tokens, _ = tokenize(text, language)
    return [text[s:e] for s, e in tokens]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Türkiye 🇹🇷 bayrağı", ["Türkiye", "🇹🇷", "bayrağı"]),
        (f"Aile {FAMILY} geldi", ["Aile", FAMILY, "geldi"]),
        ("Tebrikler 👍🏽Ankara", ["Tebrikler", "👍🏽", "Ankara"]),
        ("🇹🇷🇦🇱", ["🇹🇷", "🇦🇱"]),
        ("Ankara😀", ["Ankara", "😀"]),
        ("Ankara'da ❤️ barış", ["Ankara", "'da", "❤️", "barış"]),
        ("ab\u0301c d", ["ab\u0301c", "d"]),  # a mark that NFC cannot compose stays with its letter
    ],
)
def test_emoji_sequences_flags_and_marks_stay_whole(text, expected):
    assert words(text) == expected


def test_a_sentence_after_an_emoji_starts_at_a_cluster_boundary():
    text = "Görüşme bitti 👍🏽\nAnkara açıklama yaptı."
    tokens, sentences = tokenize(text, "tr")
    assert [text[slice(*tokens[i])] for i in sentences] == ["Görüşme", "Ankara"]


PIECES = st.sampled_from(
    ["🇹🇷", "🇦🇱", "🇹", "👍🏽", "🏽", "👍", FAMILY, "\u200d", "❤️", "\ufe0f", "e\u0301", "\u0301", "\u0327",
     "İ", "ı", "ş", "ë", " ", "\n", "\u00a0", "'", ".", "Ankara", "Tiran", "2026", "-", "!"]
)
TEXTS = st.lists(st.one_of(PIECES, st.characters(codec="utf-8", exclude_categories=["Cs"])), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(["tr", "sq", "xx"]))
def test_every_token_and_sentence_edge_is_a_grapheme_boundary(raw, language):
    text = normalize_text(raw)
    edges = {0, len(text)} | {m.start() for m in regex.finditer(r"\X", text)}
    tokens, sentences = tokenize(text, language)
    for start, end in tokens:
        assert start in edges and end in edges, (text, text[start:end])
        piece = text[start:end]
        # A picture (emoji, sequence, flag) is a token of its own, never joined to a word.
        clusters = regex.findall(r"\X", piece)
        if any(regex.search(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]", c) for c in clusters):
            assert len(clusters) == 1, (text, piece)
    assert all(tokens[i][0] in edges for i in sentences)


def test_a_text_without_joining_characters_needs_no_cluster_walk():
    assert boundaries("Rusya'nın Dışişleri Bakanı İstanbul’da") is None
    assert boundaries("a🇹🇷b") == {0, 1, 3, 4}


def test_an_edge_inside_a_cluster_is_explained():
    text = "Bayrak 🇹🇷 ve 👍🏽 işareti"
    assert edge_problem(text, 7, 9) == ""
    assert "falls inside '🇹🇷'" in edge_problem(text, 7, 8)
    assert "start offset 14" in edge_problem(text, 14, 16)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_the_lookup_table_answers_as_the_character_class_does(text):
    from corpus.graphemes import _JOINING, has_joining

    assert has_joining(text) == (_JOINING.search(text) is not None)
