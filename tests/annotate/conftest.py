import pytest

from annotate.models import Role
from tests.factories import make_collection, make_documents, make_project, make_user


@pytest.fixture
def team(db):
    """A project with three documents and every kind of user the permission matrix needs."""
    collection = make_collection("news", "News")
    documents = make_documents(collection, 3)
    users = {
        name: make_user(name)
        for name in ("annotator", "annotator_b", "other_annotator", "curator", "manager")
    }
    project = make_project(
        "proj",
        collections=[collection],
        members=[
            (users["annotator"], Role.ANNOTATOR),
            (users["annotator_b"], Role.ANNOTATOR),
            (users["curator"], Role.CURATOR),
            (users["manager"], Role.MANAGER),
        ],
    )
    other = make_project("other", collections=[collection], members=[(users["other_annotator"], Role.ANNOTATOR)])
    return {"project": project, "other": other, "collection": collection, "documents": documents, **users}
