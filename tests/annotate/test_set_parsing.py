"""set_parse: the quick path for plain items ({start, end, label}, known label, offsets in range of a text
normalization leaves alone) gives what the full checks give, item for item."""

from hypothesis import given
from hypothesis import strategies as st

from annotate.interop.importing.set_parsing import PreparedSet, Schema, set_parse
from annotate.models import Layer

PER, GPE, SHARE = object(), object(), object()  # the labels, as set_parse passes them on
SCHEMA = Schema(labels={(Layer.ENTITY, "PER"): PER, (Layer.ENTITY, "GPE"): GPE,
                        (Layer.BOILERPLATE, "SHARE"): SHARE}, roles={})
TEXTS = ["Ankara'da Lavrov ile görüştü.", "İSTANBUL ılık", "Cafe\u0301 Tiran", "👍🏽 Ankara 🇹🇷", "a\r\nb"]
items = st.fixed_dictionaries({"start": st.integers(-2, 32), "end": st.integers(-2, 32),
                               "label": st.sampled_from(["PER", "GPE", "SHARE", "PLANET", 7])})


def _marked(entries):
    """The same items with one more key, which sends every item through the full checks."""
    return [{**item, "note": "x"} for item in entries]


def _result(result):
    if isinstance(result, PreparedSet):
        ids = [span[0] for span in result.spans]
        assert len(set(ids)) == len(ids) and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
        return result.text, result.sha, [span[1:] for span in result.spans]
    return result


@given(text=st.sampled_from(TEXTS), entities=st.lists(items, max_size=6), boilerplate=st.lists(items, max_size=3))
def test_the_quick_path_gives_what_the_full_checks_give(text, entities, boilerplate):
    quick = set_parse(3, {"text": text, "entities": entities, "boilerplate": boilerplate}, SCHEMA)
    full = set_parse(3, {"text": text, "entities": _marked(entities), "boilerplate": _marked(boilerplate)}, SCHEMA)
    assert _result(quick) == _result(full)


def test_a_plain_set_keeps_its_order_labels_and_offsets():
    result = set_parse(1, {"text": TEXTS[0], "entities": [{"start": 10, "end": 16, "label": "PER"},
                                                         {"start": 0, "end": 6, "label": "GPE"}],
                           "boilerplate": [{"start": 17, "end": 20, "label": "SHARE"}]}, SCHEMA)
    assert [span[1:] for span in result.spans] == [[PER, 10, 16], [GPE, 0, 6], [SHARE, 17, 20]]
