"""The password-reset e-mail in the language the person chose for their account (config.language), else in
the language of the page that asked for it. Its words are Django's own (the admin's registration
templates), which Django translates into Turkish and Albanian."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation

from config.models import UserLanguage


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        chosen = UserLanguage.objects.filter(user=context["user"]).values_list("language", flat=True).first()
        language = chosen if chosen in dict(settings.LANGUAGES) else translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
