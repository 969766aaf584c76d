"""config.paging: one reading of ?page= for every list, and a page far past the end is an empty page."""

import pytest

from config.paging import MAX_PAGE, page_number
from tests.factories import make_collection, make_documents, make_user


@pytest.mark.parametrize(("raw", "page"), [(None, 1), ("", 1), ("3", 3), ("-4", 1), ("0", 1),
                                           ("182376208829461248", MAX_PAGE)])
def test_a_page_number_is_at_least_one_and_capped(raw, page):
    assert page_number(raw) == page


@pytest.mark.parametrize("raw", ["x", "1.5", "9" * 5000])
def test_anything_else_is_a_value_error(raw):
    with pytest.raises(ValueError):
        page_number(raw)


def test_the_documents_page_far_past_its_end_is_empty_not_an_error(client, db):
    collection = make_collection("wire")
    make_documents(collection, 2)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    answer = client.get(f"/corpus/c/{collection.slug}/", {"page": "9" * 18})
    assert answer.status_code == 200
