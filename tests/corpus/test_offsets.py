"""Property tests of the server-side UTF-16 conversion on emoji, combining marks and Turkish İ/ı."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.offsets import Utf16Index, utf16_length
from corpus.text import normalize_text

PIECES = ["a", "ı", "İ", "ş", "🇹🇷", "👍🏽", "e\u0301", "\u0307", " ", "\n", "😀", "Ç", "'"]
texts = st.lists(st.sampled_from(PIECES) | st.characters(exclude_categories=["Cs"]), max_size=40).map(lambda p: normalize_text("".join(p)))


@given(texts)
def test_every_code_point_offset_round_trips(text):
    index = Utf16Index(text)
    for cp in range(len(text) + 1):
        u16 = index.to_utf16(cp)
        assert u16 == utf16_length(text[:cp])
        assert index.to_code_points(u16) == cp


@given(texts, st.data())
def test_a_utf16_slice_is_the_same_text_as_the_code_point_slice(text, data):
    index = Utf16Index(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    encoded = text.encode("utf-16-le")
    s16, e16 = index.to_utf16(start), index.to_utf16(end)
    assert encoded[2 * s16 : 2 * e16].decode("utf-16-le") == text[start:end]


def test_examples_and_errors():
    text = "🇹🇷 İstanbul'da 👍🏽 ı"
    index = Utf16Index(text)
    assert index.to_utf16(2) == 4 and index.to_utf16(3) == 5
    assert text[index.to_code_points(5) :].startswith("İstanbul")
    with pytest.raises(ValueError, match="inside a character"):
        index.to_code_points(1)
    with pytest.raises(ValueError, match="outside the text"):
        index.to_utf16(len(text) + 1)
