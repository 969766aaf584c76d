"""A person sees, makes and replaces their own API token (/accounts/token), and a script then calls the API
with it (found as an ML engineer: the export page printed a curl line with $HABER_TOKEN, and nothing in the
product gave one; only an administrator's `manage.py drf_create_token`)."""

from rest_framework.authtoken.models import Token

from tests.factories import make_user


def test_a_person_makes_their_token_a_script_uses_it_and_replacing_it_ends_the_old_one(client, db):
    ayse = make_user("ayse")
    client.force_login(ayse)
    page = client.get("/accounts/token")
    assert page.status_code == 200 and "You have no token yet." in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert 'href="/accounts/token"' in client.get("/").content.decode()  # in the top bar
    made = client.post("/accounts/token")
    assert made.status_code == 302 and made["Location"] == "/accounts/token"
    first = Token.objects.get(user=ayse).key
    shown = client.get("/accounts/token").content.decode()
    assert f'value="{first}"' in shown and "Your token is ready." in shown
    script = client.__class__()  # no session: the token alone
    assert script.get("/api/v1/me", headers={"Authorization": f"Token {first}"}).json()["username"] == "ayse"
    client.post("/accounts/token")
    second = Token.objects.get(user=ayse).key
    assert second != first and "the old one no longer works" in client.get("/accounts/token").content.decode()
    assert script.get("/api/v1/me", headers={"Authorization": f"Token {first}"}).status_code == 401
    assert script.get("/api/v1/me", headers={"Authorization": f"Token {second}"}).status_code == 200


def test_the_token_page_is_for_the_logged_in_only_and_shows_no_one_elses(client, db):
    ayse, mehmet = make_user("ayse"), make_user("mehmet")
    theirs = Token.objects.create(user=mehmet).key
    assert client.get("/accounts/token").status_code == 302  # to the login page
    assert client.post("/accounts/token").status_code in (302, 403) and Token.objects.count() == 1
    client.force_login(ayse)
    assert theirs not in client.get("/accounts/token").content.decode()
    client.post("/accounts/token")
    assert Token.objects.get(user=mehmet).key == theirs  # replacing one's own leaves the others'
