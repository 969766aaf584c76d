"""Near-duplicate grouping on its own (annotate/releases/grouping.py): the same story with a few words changed
is grouped, another story is not; the first document anchors its group whatever joins later; Turkish
case does not tell copies apart; a text without words joins nothing; the threshold is checked."""

import pytest

from annotate.releases.grouping import NearDuplicates, shingle_hashes
from annotate.training.demo_corpus import articles

STORY = " ".join(a.text for a in articles(3, seed=31))  # ~200 words of our own generated wire text


def reworded(text: str, changes: int, tag: str) -> str:
    words = text.split()
    for n in range(changes):
        words[(n * 37) % len(words)] = f"{tag}{n}"
    return " ".join(words)


def test_a_reworded_copy_is_grouped_and_another_story_is_not():
    groups = NearDuplicates()
    groups.add(1, STORY)
    groups.add(2, " ".join(a.text for a in articles(3, seed=32)))
    groups.add(3, reworded(STORY, 2, "degisti"))
    assert groups.anchor_of(3) == 1 and groups.anchor_of(2) == 2
    report = groups.report()
    assert report["groups"] == 1 and report["documents_in_groups"] == 2
    assert report["examples"][0]["documents"] == [1, 3] and report["examples"][0]["lowest_similarity"] >= 0.8


def test_the_first_document_stays_the_anchor_when_a_group_is_joined_later():
    groups = NearDuplicates()
    groups.add(5, STORY)
    groups.add(9, reworded(STORY, 1, "a"))
    groups.add(12, reworded(STORY, 2, "b"))
    assert {groups.anchor_of(k) for k in (5, 9, 12)} == {5}


def test_turkish_case_does_not_tell_copies_apart_and_an_empty_text_joins_nothing():
    assert set(shingle_hashes("İSTANBUL'DA İKİ BAKAN GÖRÜŞTÜ")) == set(shingle_hashes("istanbul'da iki bakan görüştü"))
    groups = NearDuplicates()
    groups.add(1, STORY)
    groups.add(2, STORY.upper())
    groups.add(3, " -- ... ")
    groups.add(4, "")
    assert groups.anchor_of(2) == 1 and groups.anchor_of(3) == 3 and groups.anchor_of(4) == 4


@pytest.mark.parametrize("threshold", [0.2, 1.5, float("nan")])
def test_a_threshold_outside_half_to_one_is_refused(threshold):
    with pytest.raises(ValueError, match=r"between 0\.5 and 1"):
        NearDuplicates(threshold=threshold)
