"""A person changes their own password from the top bar, on a page in the site's look and language (the
templates in templates/registration/ replace the admin's, whose "Home" led annotators to a page they may
not open). This session stays logged in; the person's other sessions end."""

from django.test import Client

from config.models import Session
from tests.factories import PASSWORD, make_user

NEW = "Yeni-parola-2026!"


def test_the_top_bar_leads_to_a_password_change_in_the_sites_look(client, db):
    user = make_user("ayse")
    other = Client()
    other.force_login(user)  # the same person in another browser
    client.force_login(user)
    home = client.get("/").content.decode()
    assert 'href="/accounts/password_change/"' in home
    page = client.get("/accounts/password_change/").content.decode()
    assert 'class="topbar"' in page and "Django administration" not in page and "/admin/" not in page
    assert "<title>Password change" in page and 'name="old_password"' in page
    refused = client.post("/accounts/password_change/", {"old_password": "wrong", "new_password1": NEW,
                                                          "new_password2": NEW})
    assert refused.status_code == 200 and "Your old password was entered incorrectly" in refused.content.decode()
    done = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": NEW,
                                                       "new_password2": NEW}, follow=True)
    assert "Your password was changed." in done.content.decode() and 'href="/"' in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW)
    # This session was saved again with the new hash (and its user's id); the other one has ended.
    assert client.get("/api/v1/me").json()["username"] == "ayse"
    assert Session.objects.filter(user_id=user.pk).count() == 2
    assert other.get("/api/v1/me").status_code == 401


def test_the_password_change_page_speaks_turkish(client, db):
    client.force_login(make_user("ayse"))
    page = client.get("/accounts/password_change/", headers={"accept-language": "tr"}).content.decode()
    assert "Parolamı değiştir" in page and "Parolayı değiştir" in page  # the button, and the top bar's link


def test_the_password_change_page_asks_for_a_login_first(client, db):
    answer = client.get("/accounts/password_change/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
