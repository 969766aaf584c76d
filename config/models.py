"""What the site keeps per user beyond Django's User: the language they chose for the interface."""

from django.conf import settings
from django.db import models


class UserLanguage(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="language_choice")
    language = models.CharField(max_length=8)

    def __str__(self):
        return f"{self.user_id}: {self.language}"
