from django.contrib import admin

from .models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "overlap", "created_at"]
    search_fields = ["slug", "name"]
    filter_horizontal = ["collections"]
    prepopulated_fields = {"slug": ["name"]}
