"""corpus.jsonsafe.parse_json_list: a JSON list read item by item gives what the whole parse gives, refuses
what parse_json refuses, and gives the items before a break first."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.jsonsafe import JsonRefused, parse_json, parse_json_list

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(items=st.lists(values, max_size=6), indent=st.sampled_from([None, 0, 2]), pad=st.sampled_from(["", " \n"]))
def test_a_list_read_item_by_item_equals_the_whole_parse(items, indent, pad):
    text = pad + json.dumps(items, indent=indent, ensure_ascii=False) + pad
    try:
        whole = parse_json(text)
    except JsonRefused:  # a NUL in a string: refused by both
        with pytest.raises(JsonRefused):
            list(parse_json_list(text))
        return
    assert list(parse_json_list(text)) == whole


@pytest.mark.parametrize(("text", "reason"), [
    ('{"a": 1}', "must be a JSON list"),
    ("not json", "malformed JSON"),
    ("[1,]", "malformed JSON"),
    ("[1 2]", "expected ','"),
    ("[1] x", "extra data after the list"),
    ("[NaN]", "NaN is not a JSON number"),
    ("[1e400]", "too large"),
    ('["\\ud800"]', "surrogate"),
    ('["a\\u0000"]', "NUL"),
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
])
def test_a_broken_list_is_refused_with_its_reason(text, reason):
    with pytest.raises(JsonRefused, match=reason):
        list(parse_json_list(text))


def test_the_items_before_a_break_come_first():
    items = parse_json_list('[{"a": 1},\n {"b": [2]}, {"c": ')
    assert next(items) == {"a": 1}
    assert next(items) == {"b": [2]}
    with pytest.raises(JsonRefused, match=r"malformed JSON: .*line 2"):
        next(items)
