"""The password-reset e-mail speaks the language of the account (config.password_reset), else the page's.
The reset pages exist only where e-mail can be sent (settings.PASSWORD_RESET_ENABLED), so these tests
mount them themselves."""

import pytest
from django.contrib.auth import views as auth_views
from django.core import mail
from django.test import Client
from django.urls import include, path

from config.models import UserLanguage
from config.password_reset import PasswordResetForm
from tests.factories import make_user

urlpatterns = [
    path("accounts/password_reset/", auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
         name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("", include("config.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.test_password_reset")]


def _reset(email: str, accept_language: str):
    mail.outbox.clear()
    answer = Client(headers={"accept-language": accept_language}).post("/accounts/password_reset/", {"email": email})
    assert answer.status_code == 302, answer.status_code
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_the_email_speaks_the_language_the_account_chose():
    user = make_user("ayse")
    user.email = "ayse@example.org"
    user.save()
    UserLanguage.objects.create(user=user, language="tr")
    sent = _reset("ayse@example.org", "en")  # asked from an English page: the account's choice wins
    assert "parola sıfırlama" in sent.subject and "parola" in sent.body and "/accounts/reset/" in sent.body
    UserLanguage.objects.filter(user=user).update(language="sq")
    sent = _reset("ayse@example.org", "tr")
    assert "Ricaktim fjalëkalimi" in sent.subject and "fjalëkalim" in sent.body


def test_without_a_choice_the_email_speaks_the_pages_language():
    user = make_user("arben")
    user.email = "arben@example.org"
    user.save()
    assert "Ricaktim fjalëkalimi" in _reset("arben@example.org", "sq").subject
    assert "Password reset" in _reset("arben@example.org", "en").subject


def test_the_login_page_links_to_the_reset_pages_which_are_in_the_sites_look():
    login = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login
    page = Client().get("/accounts/password_reset/").content.decode()
    assert 'class="topbar"' in page and "Django administration" not in page and 'name="email"' in page
    sent = Client().post("/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True).content.decode()
    assert "We’ve emailed you instructions" in sent and 'class="topbar"' in sent
    invalid = Client().get("/accounts/reset/MQ/bad-token/", follow=True).content.decode()
    assert "The password reset link was invalid" in invalid and 'href="/accounts/password_reset/"' in invalid


def test_without_e_mail_the_login_page_has_no_reset_link(client):
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="config.urls"):
        assert "password_reset" not in client.get("/accounts/login/").content.decode()
