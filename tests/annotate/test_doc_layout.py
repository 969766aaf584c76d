"""doc_layout, the Doc every token format and trained model is built on (annotate/interop/formats/spacy.py),
against the rule written out plainly: each token takes one space of the whitespace after it; the rest of a
gap, and whitespace before the first token or after the last, is a word of its own; doc.text is the text."""

from hypothesis import given
from hypothesis import strategies as st

from annotate.interop.formats.spacy import doc_layout


def plainly(text, tokens):
    words, spaces, index, position = [], [], [], 0
    for start, end in tokens:
        if start > position:
            gap = text[position:start]
            if words and gap.startswith(" "):
                spaces[-1], gap = True, gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        index.append(len(words))
        words.append(text[start:end])
        spaces.append(False)
        position = end
    if position < len(text):
        words.append(text[position:])
        spaces.append(False)
    return words, spaces, index


pieces = st.lists(st.tuples(st.sampled_from(["", " ", "  ", "\n", " \n", "\n\n", "\t", " \u00a0"]),
                            st.sampled_from(["a", "İstanbul'da", "ı", "👍🏽", "e\u0301", "REKLAM"])), max_size=12)


@given(pieces, st.sampled_from(["", " ", "\n", "  "]))
def test_the_layout_follows_the_rule_and_gives_the_text_back(parts, tail):
    text, tokens = "", []
    for gap, word in parts:
        text += gap
        tokens.append((len(text), len(text) + len(word)))
        text += word
    text += tail
    words, spaces, index = doc_layout(text, tokens)
    assert (words, spaces, index) == plainly(text, tokens)
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text
    assert [words[i] for i in index] == [text[a:b] for a, b in tokens]
