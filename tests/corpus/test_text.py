import itertools
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.text import derive_title, is_blank, normalize_text, text_sha256

TEXTS = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(
            ["\r\n", "\r", "\n", "\ufeff", "İ", "ı", "e\u0301", "\u00a0", "🇹🇷", "👍🏽", "'", "’"]
        ),
    )
).map("".join)


@given(TEXTS)
def test_normalization_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(TEXTS)
def test_normalized_text_is_nfc_with_lf_and_no_leading_bom(text):
    result = normalize_text(text)
    assert unicodedata.is_normalized("NFC", result)
    assert "\r" not in result
    assert not result.startswith("\ufeff")


def test_normalization_changes_only_line_endings_bom_and_composition():
    raw = "\ufeffBakan\r\nİstanbul'da\rE\u0301tude  \u00a0REKLAM\n"
    assert normalize_text(raw) == "Bakan\nİstanbul'da\nÉtude  \u00a0REKLAM\n"


def test_turkish_dotted_and_dotless_i_survive():
    assert normalize_text("İı Iı iİ") == "İı Iı iİ"


def test_blank_and_title_and_hash():
    assert is_blank(" \u00a0\n\t\u2009")
    assert not is_blank(" a ")
    assert derive_title("\n\n  Haberler \n\nÇin") == "Haberler"
    assert text_sha256("İ") == __import__("hashlib").sha256("İ".encode()).hexdigest()


_PIECES = ["a", "O", "İ", "ı", "\u0308", "\u0327", "\u0301", "\r", "\n", "\r\n", "\ufeff", " ", "🇹🇷", "👍🏽",
           "\u1100", "\u1161", "\u11a8", "e\u0301", "\u00e9"]


@given(st.one_of(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), TEXTS))
@settings(max_examples=600, deadline=None)
def test_the_offset_mapping_through_normalisation_is_exact(text):
    from corpus.text import BOM, _normalize_piece, normalize_text_mapped

    normalized, mapping = normalize_text_mapped(text)
    assert normalized == normalize_text(text)
    assert mapping[0] == 0 and mapping[len(text)] == len(normalized)
    known = [(i, m) for i, m in enumerate(mapping) if m is not None]
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(known))
    begin = len(text) - len(text.lstrip(BOM))
    for i, mi in known:
        for j, mj in known:
            if begin <= i < j:
                assert _normalize_piece(text[i:j]) == normalized[mi:mj], (text, i, j)


def test_offsets_after_a_bom_crlf_and_nfd_land_on_the_same_words():
    from corpus.text import normalize_text_mapped

    text = "\ufeffHaber\r\nO\u0308mer Gu\u0308nes\u0327, Ankara'da."
    normalized, mapping = normalize_text_mapped(text)
    for word in ("O\u0308mer Gu\u0308nes\u0327", "Ankara"):
        start = text.index(word)
        assert normalized[mapping[start] : mapping[start + len(word)]] == normalize_text(word)
    assert mapping[text.index("\u0308")] is None  # between O and the mark NFC joins to it
