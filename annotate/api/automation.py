"""The project API for automation: create a project, list and change its members, list its tasks. The
rules are the pages' (annotate.permissions): whoever may create projects creates one and becomes its
manager; managers change members; curators and managers read members and every task; an annotator lists
only their own tasks."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate.api.projects import ProjectListView
from annotate.models import Membership, Role, Task, TaskStatus
from annotate.permissions import can_create_projects, project_for
from annotate.services import SchemaError, membership_add, membership_remove, project_create
from annotate.services.schema import builtin_schemas
from config.paging import page_number
from config.parameters import only_parameters
from corpus.models import Collection

TASK_PAGE = 100
ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="What is wrong, in `detail` or per field")


class ProjectCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=100)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    guidelines = serializers.CharField(required=False, allow_blank=True, default="", max_length=100_000,
                                       help_text="Markdown")
    collections = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    overlap = serializers.IntegerField(min_value=1, max_value=50, required=False, default=2)
    curation_agreement = serializers.ChoiceField(choices=["unanimous", "majority"], required=False,
                                                 default="unanimous")
    schema = serializers.ChoiceField(choices=builtin_schemas(), required=False, allow_null=True, default=None,
                                     help_text="A built-in label schema; none: no labels yet")


class ProjectCreatedSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    overlap = serializers.IntegerField()
    curation_agreement = serializers.CharField()
    collections = serializers.ListField(child=serializers.SlugField())
    labels = serializers.IntegerField()


class ProjectsView(ProjectListView):
    """GET lists the projects the user may open; POST creates one."""

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectCreatedSerializer, 400: ERROR, 403: ERROR})
    def post(self, request):
        if not can_create_projects(request.user):
            raise PermissionDenied(_("You may not create projects."))
        params = ProjectCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        slugs = data.pop("collections")
        collections = list(Collection.objects.filter(slug__in=slugs))
        if missing := sorted(set(slugs) - {c.slug for c in collections}):
            return Response({"detail": _("No collection %(slugs)s.") % {"slugs": ", ".join(missing)}},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            project = project_create(**data, collections=collections, created_by=request.user)
        except (ValidationError, SchemaError) as error:
            return Response({"detail": " ".join(getattr(error, "messages", [str(error)]))},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"slug": project.slug, "name": project.name, "overlap": project.overlap,
                         "curation_agreement": project.curation_agreement,
                         "collections": sorted(c.slug for c in collections), "labels": project.labels.count()},
                        status=status.HTTP_201_CREATED)


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class MembersView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MemberSerializer(many=True), 403: ERROR, 404: ERROR})
    def get(self, request, slug):
        project = project_for(request.user, slug, "curate")[0]
        rows = Membership.objects.filter(project=project).select_related("user").order_by("user__username", "role")
        return Response([{"username": m.user.get_username(), "role": m.role} for m in rows])

    def _change(self, request, slug, adding: bool):
        project = project_for(request.user, slug, "manage")[0]
        params = MemberSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = get_user_model().objects.filter(username=params.validated_data["username"]).first()
        if user is None:
            return Response({"detail": _("No user %(name)r.") % {"name": params.validated_data["username"]}},
                            status=status.HTTP_400_BAD_REQUEST)
        role = params.validated_data["role"]
        if adding:
            membership_add(project=project, user=user, role=role)
        else:
            membership_remove(project=project, user=user, role=role)
        return Response({"username": user.get_username(), "role": role},
                        status=status.HTTP_201_CREATED if adding else status.HTTP_200_OK)

    @extend_schema(request=MemberSerializer, responses={201: MemberSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
                   description="Give a user a role in the project (managers). Adding a role twice changes nothing.")
    def post(self, request, slug):
        return self._change(request, slug, adding=True)

    @extend_schema(request=MemberSerializer, responses={200: MemberSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
                   description="Take a role away (managers). An annotator's tasks stay theirs until unassigned.")
    def delete(self, request, slug):
        return self._change(request, slug, adding=False)


class TaskRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField()
    external_id = serializers.CharField()
    annotator = serializers.CharField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    assigned_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    sent_back = serializers.BooleanField()


class TaskPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    results = TaskRowSerializer(many=True)


class TasksView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=TaskStatus.values, required=False),
                    OpenApiParameter("annotator", str, required=False, description="curators and managers only"),
                    OpenApiParameter("page", int, required=False)],
        responses={200: TaskPageSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        description=f"The project's tasks, {TASK_PAGE} a page in the order they were assigned: every task for its "
                    "curators and managers, their own for an annotator.")
    def get(self, request, slug):
        project, access = project_for(request.user, slug, "view")
        if not (access.can_curate or access.can_annotate):
            raise PermissionDenied(_("You need the annotate or curate permission in this project."))
        only_parameters(request, ["status", "annotator", "page"])
        tasks = Task.objects.filter(project=project)
        wanted = request.query_params.get("status", "")
        if wanted:
            if wanted not in TaskStatus.values:
                return Response({"detail": _("status=%(value)r is not one of: %(choices)s") % {
                    "value": wanted, "choices": ", ".join(TaskStatus.values)}},
                                status=status.HTTP_400_BAD_REQUEST)
            tasks = tasks.filter(status=wanted)
        if not access.can_curate:
            tasks = tasks.filter(annotator=request.user)
        elif annotator := request.query_params.get("annotator", "")[:150]:
            tasks = tasks.filter(annotator__username=annotator)
        try:
            page = page_number(request.query_params.get("page"))
        except ValueError:
            return Response({"detail": _("page must be a whole number.")}, status=status.HTTP_400_BAD_REQUEST)
        count = tasks.count()
        rows = (tasks.order_by("assigned_at", "id").values_list(
            "id", "document_id", "document__external_id", "annotator__username", "status", "assigned_at",
            "finished_at", "reopened_at")[(page - 1) * TASK_PAGE: page * TASK_PAGE])
        following = None
        if page * TASK_PAGE < count:
            query = request.query_params.copy()
            query["page"] = str(page + 1)
            following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"count": count, "page": page, "next": following, "results": [
            {"id": pk, "document": doc, "external_id": ext, "annotator": who, "status": state, "assigned_at": at,
             "finished_at": done, "sent_back": reopened is not None}
            for pk, doc, ext, who, state, at, done, reopened in rows]})
