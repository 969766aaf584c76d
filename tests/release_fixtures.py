"""The project to release (tests/annotate/releases/, the object-store test): tests/training_fixtures.py's gold sets, and near-duplicates planted in it."""

import copy
import io
import json

import pytest

from annotate.training.demo_corpus import gold_sets_write
from corpus.formats.sources import InputFile
from corpus.models import Document
from corpus.services import documents_import
from tests.training_fixtures import trainable  # noqa: F401


def reworded_copies(*, project, collection, curator, originals: dict, tag: str) -> dict[int, int]:
    """A copy of each original article with a few words changed at its end (the same story from another
    outlet), imported, with its gold set: copy id → original id."""
    made, lines = {}, []
    for number, (original_id, article) in enumerate(originals.items()):
        twin = copy.deepcopy(article)
        twin.text = article.text + " (Güncellendi)"
        made[f"{tag}_{number}"] = (original_id, twin)
        lines.append(json.dumps({"id": f"{tag}_{number}", "text": twin.text, "language": "tr"}, ensure_ascii=False))
    data = "\n".join(lines).encode()
    documents_import(collection=collection, inputs=[InputFile(name=f"{tag}.jsonl", size=len(data),
                                                               stream=io.BytesIO(data))])
    ids = dict(Document.objects.filter(external_id__in=list(made)).values_list("external_id", "id"))
    assert gold_sets_write(project=project, curator=curator,
                           written={ids[key]: twin for key, (_o, twin) in made.items()}) == len(made)
    return {ids[key]: original for key, (original, _t) in made.items()}


@pytest.fixture
def releasable(trainable):  # noqa: F811
    """`trainable`, plus a reworded copy of 12 of its gold articles (each with its gold set)."""
    originals = dict(list(trainable["gold"].items())[:12])
    twins = reworded_copies(project=trainable["project"], collection=trainable["collection"],
                            curator=trainable["curator"], originals=originals, tag="kopya")
    return {**trainable, "twins": twins}
