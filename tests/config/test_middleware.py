"""Script requests without a session get 401 JSON, never the login redirect that fetch would follow."""

import json

import pytest


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("post", "/annotate/t/1/change", {"content_type": "application/json"}),
        ("get", "/annotate/t/1/", {"HTTP_HX_REQUEST": "true"}),
        ("post", "/annotate/t/1/note", {"HTTP_HX_REQUEST": "true"}),
        ("get", "/annotate/p/x/tasks", {"HTTP_ACCEPT": "application/json"}),
    ],
)
def test_a_script_without_a_session_gets_401_json(client, db, method, path, headers):
    json_body = headers.get("content_type") == "application/json"
    data = json.dumps({}) if json_body else ({"comment": "x"} if method == "post" else None)
    response = getattr(client, method)(path, data=data, **headers)
    assert response.status_code == 401
    assert response.json() == {"error": "Your session ended: log in again.", "login_url": "/accounts/login/"}


def test_a_person_without_a_session_is_still_sent_to_the_login_page(client, db):
    response = client.get("/annotate/t/1/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_pages_and_parts_vary_on_hx_request_and_a_history_restore_gets_the_page(client, db):
    from tests.factories import import_texts, make_collection, make_user

    collection = make_collection("wire", "Wire service")
    import_texts(collection, "Bakan Ankara'da görüştü.")
    client.force_login(make_user("editor", is_staff=True))
    url = collection.get_absolute_url() + "?q=Ankara"
    page = client.get(url)
    part = client.get(url, headers={"HX-Request": "true"})
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    for response in (page, part, restore):
        assert "HX-Request" in response["Vary"]
    assert b"<html" in page.content and b"<html" not in part.content
    assert b"<html" in restore.content  # htmx restoring history wants the whole page
