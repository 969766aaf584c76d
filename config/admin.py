"""The admin of what the site keeps per user: the interface language each person chose."""

from django.contrib import admin

from config.models import UserLanguage


@admin.register(UserLanguage)
class UserLanguageAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
