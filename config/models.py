"""What the site keeps beyond Django's own tables: the language a user chose for the interface, and sessions
that carry their user's id."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserLanguage(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_choice",
        verbose_name=_("user"),
    )
    language = models.CharField(max_length=8, verbose_name=_("language"))

    class Meta:
        verbose_name = _("user language")
        verbose_name_plural = _("user languages")

    def __str__(self):
        return f"{self.user_id}: {self.language}"


class Session(AbstractBaseSession):
    """Django's database session, with the id of its user beside the data (the data is signed, so SQL cannot
    read it there): a request reads the session and its user in one statement (config/sessions.py)."""

    user_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("user id"))

    class Meta(AbstractBaseSession.Meta):
        db_table = "config_session"
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from config.sessions import SessionStore

        return SessionStore
