"""Project pages: the list, creation, the dashboard, settings, members and guidelines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from annotate.dashboard import project_progress
from annotate.models import Membership, Project, Role
from annotate.permissions import can_create_projects, project_for
from annotate.services import membership_add, membership_remove, project_create, project_update
from annotate.suggestions.efficiency import suggestion_efficiency
from annotate.views.forms import MemberForm, ProjectCreateForm, ProjectForm
from annotate.views.markdown import render_markdown


@login_required
def project_list(request):
    """Each project's name leads where its member may go: the dashboard for its curators and managers, the
    annotator's own tasks for an annotator (the dashboard would refuse them)."""
    curates = Membership.objects.filter(project=OuterRef("pk"), user=request.user,
                                        role__in=(Role.CURATOR, Role.MANAGER))
    projects = list(Project.objects.for_user(request.user).annotate(
        members=Count("memberships__user", distinct=True), curates=Exists(curates),
    ).prefetch_related("collections"))
    for project in projects:
        project.home = (project.get_absolute_url() if project.curates or request.user.is_superuser
                        else reverse("annotate:tasks", args=[project.slug]))
    return render(
        request,
        "annotate/project_list.html",
        {
            "projects": projects,
            "can_create": can_create_projects(request.user),
        },
    )


@login_required
def project_create_view(request):
    if not can_create_projects(request.user):
        raise PermissionDenied(_("You may not create projects."))
    form = ProjectCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        schema = data.pop("schema") or None
        try:
            project = project_create(**data, schema=schema, created_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Project %(name)s created; you are its manager.") % {"name": project.name})
            return redirect(project)
    return render(request, "annotate/project_form.html", {"form": form, "creating": True})


@login_required
def project_dashboard(request, slug):
    project, access = project_for(request.user, slug, "curate")
    progress = project_progress(project)
    template = (
        "annotate/project_dashboard.html#progress" if request.htmx else "annotate/project_dashboard.html"
    )
    # Managers also see how suggestions serve each annotator (not in the part htmx refreshes).
    efficiency = suggestion_efficiency(project) if access.can_manage and not request.htmx else None
    return render(request, template, {"project": project, "access": access, "progress": progress,
                                      "efficiency": efficiency})


@login_required
def project_settings(request, slug):
    project, access = project_for(request.user, slug, "manage")
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        project_update(project=Project.objects.get(pk=project.pk), by=request.user, **data)
        messages.success(request, _("Settings saved."))
        return redirect("annotate:settings", slug=project.slug)
    return render(request, "annotate/project_form.html", {"form": form, "project": project, "access": access})


@login_required
def project_members(request, slug):
    project, access = project_for(request.user, slug, "manage")
    form = MemberForm(request.POST or None) if request.POST.get("action") != "remove" else MemberForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            membership = Membership.objects.filter(project=project, pk=request.POST.get("membership")).first()
            if membership is not None:
                membership_remove(project=project, user=membership.user, role=membership.role)
                messages.success(request, _("%(user)s is no longer %(role)s here.") % {
                    "user": membership.user, "role": membership.get_role_display()})
        elif form.is_valid():
            membership_add(
                project=project, user=form.cleaned_data["username"], role=form.cleaned_data["role"]
            )
            form = MemberForm()
        else:
            status = 400
    members = (
        Membership.objects.filter(project=project).select_related("user").order_by("user__username", "role")
    )
    # Accounts are made on the admin site; its page for a new one, for whoever may open it (Django's user
    # admin asks for both permissions).
    may_make = request.user.is_staff and request.user.has_perms(["auth.add_user", "auth.change_user"])
    account_url = reverse("admin:auth_user_add") if may_make else None
    context = {"project": project, "access": access, "form": form, "members": members, "account_url": account_url}
    template = "annotate/members.html#members" if request.htmx else "annotate/members.html"
    return render(request, template, context, status=status)


@login_required
def project_guidelines(request, slug):
    project, access = project_for(request.user, slug, "view")
    return render(
        request,
        "annotate/guidelines.html",
        {"project": project, "access": access, "guidelines": render_markdown(project.guidelines)},
    )
