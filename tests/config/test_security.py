"""Logins are throttled (form and API tokens), passwords are validated, the password-reset page exists only
with e-mail, and a production environment passes `check --deploy` without a warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]


def _login(client, password):
    return client.post("/accounts/login/", {"username": "ayse", "password": password})


def test_wrong_passwords_lock_the_login_out_and_then_the_right_one_fails_too(client, db):
    make_user("ayse")
    for failed in range(1, settings.AXES_FAILURE_LIMIT):
        response = _login(client, "wrong-password")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
        left = settings.AXES_FAILURE_LIMIT - failed  # the page says how many are left, and for how long
        assert f"{left} attempt{'s' if left != 1 else ''} left before this login is locked for 15 minutes." in \
            response.content.decode()
    locked = _login(client, "wrong-password")
    assert locked.status_code == 429 and b"Too many failed logins" in locked.content
    assert "locked from this address for 15 minutes" in locked.content.decode()
    right = _login(client, PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still not logged in


def test_a_right_password_before_the_limit_resets_the_count(client, db):
    make_user("ayse")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "wrong-password").status_code == 200  # counting starts again


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """The limits count in fixed windows (a minute for these rates): a clock held in the middle of one keeps a
    test from straddling two."""
    monkeypatch.setattr("limits.counting.time.time", lambda: 1_800_000_030.0)


def test_bad_api_tokens_are_throttled_by_address(client, db):
    user = make_user("ayse")
    good = Token.objects.create(user=user).key
    assert client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {good}").status_code == 200
    statuses = [client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {secrets.token_hex(20)}").status_code
                for _ in range(30)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
    throttled = client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {good}")
    assert throttled.status_code == 429 and "Retry-After" in throttled
    assert "failed token attempts" in throttled.json()["detail"]


def test_every_django_password_validator_is_on():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {"UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator"}


def _run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    # A clean environment: nothing of the test run's own (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "EMAIL_", "DEBUG", "DJANGO_"))}
    return subprocess.run([sys.executable, *code.split()] if code.startswith("manage.py") else
                          [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**base, "VAR_DIR": str(tmp_path), "SECRET_KEY": secrets.token_urlsafe(60), **env})


@pytest.mark.parametrize(("email_host", "expected"), [("", "absent"), ("smtp.example.org", "/accounts/password_reset/")])
def test_the_password_reset_page_exists_only_with_email(tmp_path, email_host, expected):
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup();"
            "from django.urls import reverse, NoReverseMatch\n"
            "try: print(reverse('password_reset'))\nexcept NoReverseMatch: print('absent')")
    result = _run(code, tmp_path, EMAIL_HOST=email_host)
    assert result.stdout.strip() == expected, result.stderr


def test_a_production_environment_passes_check_deploy_without_warnings(tmp_path):
    result = _run(
        "manage.py check --deploy --fail-level WARNING", tmp_path, DEBUG="0", ALLOWED_HOSTS="haber.example.org",
        SECURE_COOKIES="1", SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1", SECURE_PROXY_SSL_HEADER="1",
        EMAIL_HOST="smtp.example.org",  # without a mailer Django warns (mail.W001), rightly: no reset mail
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _bad_tokens(client, count, **headers):
    return [client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {secrets.token_hex(20)}", **headers).status_code
            for _ in range(count)]


def test_a_forged_x_forwarded_for_buys_nothing_without_a_proxy(client, db):
    # A new made-up address on each request: the limit still counts the socket's address.
    statuses = [_bad_tokens(client, 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")[0] for n in range(40)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(client, db, settings):
    settings.TRUSTED_PROXIES = 1
    # The proxy appends the address it saw (198.51.100.7) after whatever the client sent.
    statuses = [_bad_tokens(client, 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7")[0] for n in range(20)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
    assert _bad_tokens(client, 1, HTTP_X_FORWARDED_FOR="198.51.100.8") == [401]  # another client is not blocked


def test_the_bad_token_count_is_kept_in_the_database_for_every_process(client, db):
    from django.core.cache import caches

    from limits.models import RateCount

    _bad_tokens(client, 10)
    caches["default"].clear()  # another process has a memory of its own: the count is not there
    (row,) = RateCount.objects.filter(name__startswith="bad_token:127.0.0.1:")
    assert row.count == 10
    assert _bad_tokens(client, 1) == [429]


def test_the_counts_are_written_without_waiting_for_the_disk_on_postgresql(db):
    """An unlogged table (limits/migrations/0002): bumping a count writes no write-ahead log, so a throttled
    request's commit does not wait for the disk (the counts themselves: the tests above)."""
    from django.db import connection

    from limits.counting import rate_hit

    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED is PostgreSQL's; SQLite keeps its table as it is")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'limits_ratecount'")
        assert cursor.fetchone() == ("u",)
        # Counts write no write-ahead log (the commit has nothing to wait for): 200 of them add less than
        # what the server itself may log meanwhile (a checkpoint, a snapshot of running transactions: ~100
        # bytes each), where a logged table would add ~100 bytes a count.
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (before,) = cursor.fetchone()
        for number in range(200):
            rate_hit(f"probe:{number}", 60)
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)", [before])
        assert cursor.fetchone()[0] < 2_000


def test_an_anonymous_client_is_limited_by_address_and_told_when_to_come_back(client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"}}
    statuses = [client.get("/api/v1/schema", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(5)]
    assert [a.status_code for a in statuses] == [200, 200, 200, 429, 429]
    assert 0 < int(statuses[-1]["Retry-After"]) <= 60


def test_a_forged_x_forwarded_for_does_not_lift_the_login_lockout(client, db):
    make_user("ayse")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "ayse", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    answer = client.post("/accounts/login/", {"username": "ayse", "password": PASSWORD},
                         HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert answer.status_code == 429 and b"Too many failed logins" in answer.content
