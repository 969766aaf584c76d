import unicodedata

from hypothesis import given
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
