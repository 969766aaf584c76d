"""Sessions and their users are read with fixed SQL statements (config/sessions.py, config/auth_backends.py):
the same answers as Django's own ORM reads, in one query each."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import PASSWORD, make_user


def test_a_login_is_read_back_in_three_queries_and_ends_as_django_says(client, db, django_assert_num_queries):
    user = make_user("ayse")
    assert client.post("/accounts/login/", {"username": "ayse", "password": PASSWORD}).status_code == 302
    with django_assert_num_queries(3):  # the session, the user, the user's rate count (one upsert)
        assert client.get("/api/v1/me").json()["username"] == "ayse"
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me").status_code == 401  # expired
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me").status_code == 401  # deactivated
    user.is_active = True
    user.set_password("an0ther-passw0rd")  # a new password ends the other sessions
    user.save()
    assert client.get("/api/v1/me").status_code == 401


def test_a_forged_session_or_user_id_is_anonymous(client, db):
    from config.auth_backends import ModelBackend

    client.cookies["sessionid"] = "x" * 32
    assert client.get("/api/v1/me").status_code == 401
    assert ModelBackend().get_user("not-a-number") is None and ModelBackend().get_user(987654) is None
