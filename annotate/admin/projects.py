"""The Django admin for projects, members and label schemas: list columns, filters, search, and the
assignment and schema actions (assign the project's collections; load and download a schema)."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from annotate.jobs import tasks_assign_enqueue_if_large
from annotate.models import (
    EventRole,
    Label,
    Membership,
    Project,
    Role,
)
from annotate.selection import DocumentFilter
from annotate.services import SchemaError, schema_dump, schema_load, tasks_assign
from annotate.services.schema import label_retire


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class SchemaFileForm(forms.Form):
    file = forms.FileField()


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "overlap", "created_by", "created_at", "schema_link"]
    search_fields = ["slug", "name", "description"]
    list_filter = ["overlap", "collections"]
    filter_horizontal = ["collections"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["assign_to_annotators", "download_schema"]

    @admin.display(description=_("Schema"))
    def schema_link(self, project):
        return format_html(
            '<a href="{}">load…</a>', reverse("admin:annotate_project_schema", args=[project.pk])
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/schema/",
                self.admin_site.admin_view(self.load_schema_view),
                name="annotate_project_schema",
            ),
            *super().get_urls(),
        ]

    def load_schema_view(self, request, pk):
        project = get_object_or_404(Project, pk=pk)
        if not self.has_change_permission(request, project):
            return redirect("admin:index")
        form = SchemaFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                changes = schema_load(
                    project=project, data=json.loads(form.cleaned_data["file"].read().decode("utf-8"))
                )
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                form.add_error("file", f"not UTF-8 JSON: {error}")
            except SchemaError as error:
                for problem in error.problems:
                    form.add_error("file", problem)
            else:
                self.message_user(request, changes.summary(), messages.SUCCESS)
                return redirect("admin:annotate_project_change", project.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Load a schema into {project}",
            "form": form,
            "project": project,
            "opts": self.model._meta,
        }
        return render(request, "admin/annotate/load_schema.html", context)

    @admin.action(description=_("Assign the project's collections to its annotators (the project's overlap)"))
    def assign_to_annotators(self, request, queryset):
        for project in queryset:
            annotators = [
                m.user for m in project.memberships.filter(role=Role.ANNOTATOR).select_related("user")
            ]
            try:
                job = tasks_assign_enqueue_if_large(project=project, owner=request.user, annotators=annotators,
                                                    selection=DocumentFilter(), overlap=None)
                if job is not None:  # as on the assign page
                    self.message_user(request, format_html(_('{}: {}, by a background job: <a href="{}">its progress</a>.'),
                                                           project.slug, job.label, job.get_absolute_url()),
                                      messages.SUCCESS)
                    continue
                report = tasks_assign(project=project, annotators=annotators, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{project.slug}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{project.slug}: {report.summary()}", messages.SUCCESS)

    @admin.action(description=_("Download the schema (JSON) of one project"))
    def download_schema(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one project."), messages.WARNING)
            return None
        project = queryset.get()
        response = HttpResponse(
            json.dumps(schema_dump(project), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{project.slug}-schema.json"'
        return response


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role", "added_at"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__slug"]
    autocomplete_fields = ["user", "project"]


class EventRoleInline(admin.TabularInline):
    model = EventRole
    fk_name = "event_type"
    extra = 0
    filter_horizontal = ["allowed_labels"]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "layer", "shortcut", "colour", "retired", "position"]
    list_filter = ["layer", "retired", "project"]
    search_fields = ["name", "description", "project__slug"]
    inlines = [EventRoleInline]
    actions = ["retire"]

    @admin.action(description=_("Retire the selected labels (annotations keep them; the page hides them)"))
    def retire(self, request, queryset):
        for label in queryset:
            label_retire(label=label)
        count = queryset.count()
        self.message_user(request, ngettext("%(count)s label retired.", "%(count)s labels retired.", count) % {
            "count": count}, messages.SUCCESS)


@admin.register(EventRole)
class EventRoleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "min_count", "max_count", "retired"]
    list_filter = ["retired", "event_type__project"]
    search_fields = ["name", "event_type__name"]
    filter_horizontal = ["allowed_labels"]
