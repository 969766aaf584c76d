"""The project to train on (tests/annotate/training/ and the browser test of training): generated articles
(annotate/training/demo_corpus.py) with gold sets."""

import pytest

from annotate.models import Role
from annotate.training.demo_corpus import gold_sets_write, training_documents_import
from tests.factories import make_collection, make_project, make_user


@pytest.fixture
def trainable(db):
    """A project of 60 generated articles, 48 of them with an accepted gold set, and its people."""
    collection = make_collection("wire")
    written = training_documents_import(collection=collection, count=60)
    users = {name: make_user(name) for name in ("manager", "curator", "annotator")}
    project = make_project("p", collections=[collection], overlap=1, members=[
        (users["manager"], Role.MANAGER), (users["curator"], Role.CURATOR), (users["annotator"], Role.ANNOTATOR)])
    gold = dict(list(sorted(written.items()))[:48])
    assert gold_sets_write(project=project, curator=users["curator"], written=gold) == 48
    return {"project": project, "collection": collection, "written": written, "gold": gold, **users}
