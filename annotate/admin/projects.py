"""The Django admin for every annotate model: list columns, filters, search, and the assignment and
schema actions (assign the project's collections; unassign tasks; load and download a schema)."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from annotate.jobs import tasks_assign_enqueue_if_large
from annotate.models import (
    AnnotationChange,
    DocumentAgreement,
    DurationBucket,
    Event,
    EventArgument,
    EventRole,
    Label,
    Membership,
    ProgressCounter,
    Project,
    ProjectAgreement,
    Role,
    Span,
    Task,
    TaskTransition,
)
from annotate.selection import DocumentFilter
from annotate.services import SchemaError, schema_dump, schema_load, tasks_assign, tasks_unassign
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

    @admin.display(description="Schema")
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

    @admin.action(description="Assign the project's collections to its annotators (the project's overlap)")
    def assign_to_annotators(self, request, queryset):
        for project in queryset:
            annotators = [
                m.user for m in project.memberships.filter(role=Role.ANNOTATOR).select_related("user")
            ]
            try:
                job = tasks_assign_enqueue_if_large(project=project, owner=request.user, annotators=annotators,
                                                    selection=DocumentFilter(), overlap=None)
                if job is not None:  # as on the assign page
                    self.message_user(request, format_html('{}: {}, by a background job: <a href="{}">its progress</a>.',
                                                           project.slug, job.label, job.get_absolute_url()),
                                      messages.SUCCESS)
                    continue
                report = tasks_assign(project=project, annotators=annotators, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{project.slug}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{project.slug}: {report.summary()}", messages.SUCCESS)

    @admin.action(description="Download the schema (JSON) of one project")
    def download_schema(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one project.", messages.WARNING)
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

    @admin.action(description="Retire the selected labels (annotations keep them; the page hides them)")
    def retire(self, request, queryset):
        for label in queryset:
            label_retire(label=label)
        self.message_user(request, f"{queryset.count()} label(s) retired.", messages.SUCCESS)


@admin.register(EventRole)
class EventRoleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "min_count", "max_count", "retired"]
    list_filter = ["retired", "event_type__project"]
    search_fields = ["name", "event_type__name"]
    filter_horizontal = ["allowed_labels"]


class TransitionInline(admin.TabularInline):
    model = TaskTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Annotators' tasks and documents' gold sets alike (the `kind` column and filter tell them apart):
    the admin reads Task.all_kinds, not Task.objects, which leaves gold sets out on purpose."""

    list_display = [
        "id",
        "kind",
        "project",
        "annotator",
        "document_id",
        "status",
        "assigned_at",
        "finished_at",
        "seconds_spent",
    ]
    list_filter = ["kind", "status", "project", "collection"]
    search_fields = ["annotator__username", "document__external_id", "document__title"]
    raw_id_fields = ["document", "annotator", "assigned_by"]
    readonly_fields = [
        "kind",
        "project",
        "document",
        "collection",
        "annotator",
        "status",
        "assigned_at",
        "started_at",
        "finished_at",
        "seconds_spent",
        "opened_at",
    ]
    list_select_related = ["project", "annotator"]
    show_full_result_count = False
    inlines = [TransitionInline]
    actions = ["unassign_not_started"]

    def get_queryset(self, request):
        return Task.all_kinds.all()

    def has_add_permission(self, request):
        return False  # tasks come from assignment, which keeps overlap and balance

    @admin.action(description="Unassign the selected tasks that are not started")
    def unassign_not_started(self, request, queryset):
        removed = 0
        pairs = queryset.values_list("project_id", "annotator_id").distinct().order_by()
        for project, annotator in [
            (Project.objects.get(pk=p), get_user_model().objects.get(pk=a)) for p, a in pairs
        ]:
            ids = list(queryset.filter(project=project, annotator=annotator).values_list("id", flat=True))
            removed += tasks_unassign(project=project, annotator=annotator, task_ids=ids).moved
        self.message_user(
            request, f"{removed} task(s) unassigned; started, submitted and skipped tasks were kept."
        )


@admin.register(TaskTransition)
class TaskTransitionAdmin(admin.ModelAdmin):
    list_display = ["task", "from_status", "to_status", "by", "at", "comment"]
    list_filter = ["to_status"]
    search_fields = ["by__username", "comment"]
    raw_id_fields = ["task"]
    show_full_result_count = False


@admin.register(ProgressCounter)
class ProgressCounterAdmin(admin.ModelAdmin):
    list_display = ["project", "annotator", "collection", "status", "count", "seconds"]
    list_filter = ["project", "status"]
    search_fields = ["annotator__username"]


@admin.register(DurationBucket)
class DurationBucketAdmin(admin.ModelAdmin):
    list_display = ["project", "annotator", "bucket", "count"]
    list_filter = ["project"]
    search_fields = ["annotator__username"]


class _AgreementCacheAdmin(admin.ModelAdmin):
    """Kept agreement tallies: computed by the report, read here, never edited by hand (deleting them only
    makes the next report compute them again)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentAgreement)
class DocumentAgreementAdmin(_AgreementCacheAdmin):
    list_display = ["project", "document", "signature"]
    list_filter = ["project"]
    search_fields = ["signature", "project__slug"]
    raw_id_fields = ["document"]


@admin.register(ProjectAgreement)
class ProjectAgreementAdmin(_AgreementCacheAdmin):
    list_display = ["project", "updated_at"]
    search_fields = ["project__slug"]


@admin.register(Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "label", "start", "end", "origin", "created_at"]
    list_filter = ["label__layer", "label__project"]
    raw_id_fields = ["task"]
    show_full_result_count = False


class ArgumentInline(admin.TabularInline):
    model = EventArgument
    extra = 0
    raw_id_fields = ["span"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "event_type", "start", "end", "created_at"]
    list_filter = ["event_type__project"]
    raw_id_fields = ["task"]
    inlines = [ArgumentInline]
    show_full_result_count = False


@admin.register(EventArgument)
class EventArgumentAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "role", "span"]
    list_filter = ["role__event_type__project"]
    search_fields = ["role__name"]
    raw_id_fields = ["event", "span"]


@admin.register(AnnotationChange)
class AnnotationChangeAdmin(admin.ModelAdmin):
    """The append-only history: read only."""

    list_display = ["task", "seq", "kind", "action", "by", "at"]
    list_filter = ["kind"]
    search_fields = ["action", "by__username"]
    raw_id_fields = ["task"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


