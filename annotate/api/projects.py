"""The project API under /api/v1/projects/: token or session authentication, roles checked per view."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate.dashboard import project_progress
from annotate.jobs import assign_report_dict, tasks_assign_enqueue_if_large
from annotate.models import Membership, Project, Task
from annotate.permissions import project_for
from annotate.quality.agreement.against_gold import project_report
from annotate.quality.agreement.filters import report_filter
from annotate.quality.evaluation import evaluation_report
from annotate.selection import DocumentFilter
from annotate.services import annotators_resolve, schema_dump, tasks_assign
from config.parameters import only_parameters
from jobs.serializers import JobSerializer, accepted


class ProjectSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    overlap = serializers.IntegerField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=["annotator", "curator", "manager"]))


class ProjectListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProjectSummarySerializer(many=True))
    def get(self, request):
        roles: dict[int, list[str]] = {}
        for project_id, role in Membership.objects.filter(user=request.user).values_list(
            "project_id", "role"
        ):
            roles.setdefault(project_id, []).append(role)
        return Response(
            [
                {"slug": p.slug, "name": p.name, "overlap": p.overlap, "roles": sorted(roles.get(p.pk, []))}
                for p in Project.objects.for_user(request.user).order_by("slug")
            ]
        )


class SchemaView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug):
        return Response(schema_dump(project_for(request.user, slug, "view")[0]))


class ProgressView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug):
        return Response(project_progress(project_for(request.user, slug, "curate")[0]).as_dict())


class AgreementView(APIView):
    """GET /api/v1/projects/<slug>/agreement[?collection=&from=&to=]: the agreement report (curators, managers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("collection", str, description="a collection of the project"),
                    OpenApiParameter("from", OpenApiTypes.DATE, description="sets submitted on or after"),
                    OpenApiParameter("to", OpenApiTypes.DATE, description="sets submitted on or before")],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Per layer and label: pairwise exact and "
                                        "overlapping F1, token kappa per pair, alpha across annotators; against_gold: each "
                                        "annotator's precision, recall and F1 against the accepted gold sets"),
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bad or unknown filter, named")})
    def get(self, request, slug):
        project = project_for(request.user, slug, "curate")[0]
        only_parameters(request, ["collection", "from", "to"])
        try:
            chosen = report_filter(project, request.query_params)
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(project_report(project, **chosen.as_kwargs()))


class ModelEvaluationView(APIView):
    """GET /api/v1/projects/<slug>/models[?model=NAME:VERSION]: every model version against gold (curators,
    managers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("model", str, description="MODEL:VERSION (default: the newest)")],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="gold_documents; versions: each model "
                                        "version's exact and overlapping F1 (the trend); report: for one version, "
                                        "precision, recall and F1 per label, error_counts and errors by kind "
                                        "(false positive, false negative, wrong label, wrong boundary)"),
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="An unknown parameter, named"),
                   404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such model in the project")})
    def get(self, request, slug):
        project = project_for(request.user, slug, "curate")[0]
        only_parameters(request, ["model"])
        try:
            return Response(evaluation_report(project, version=request.query_params.get("model") or None))
        except LookupError as error:
            return Response({"detail": str(error)}, status=status.HTTP_404_NOT_FOUND)


class NextTaskView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 204: OpenApiResponse(description="No task left")})
    def get(self, request, slug):
        project = project_for(request.user, slug, "annotate")[0]
        task = Task.objects.next_for(request.user, project)
        if task is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            {
                "id": task.pk,
                "document": task.document_id,
                "status": task.status,
                "url": request.build_absolute_uri(task.get_absolute_url()),
            }
        )


class AssignSerializer(serializers.Serializer):
    annotators = serializers.ListField(child=serializers.CharField(max_length=150), allow_empty=False, min_length=1)
    collections = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    language = serializers.RegexField(r"^[a-z]{2,3}$", required=False, allow_blank=True, default="")
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
    search = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    overlap = serializers.IntegerField(
        required=False, min_value=1, max_value=50, allow_null=True, default=None
    )


class AssignView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AssignSerializer, responses={
        200: OpenApiResponse(OpenApiTypes.OBJECT, description="The assignment's report: it ran in the request "
                             "(at most ASSIGN_INLINE_MAX documents selected)"),
        202: OpenApiResponse(JobSerializer, description="More documents than ASSIGN_INLINE_MAX: the assignment "
                             "is a background job; poll its `url`, whose `result` is the report"),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="What is wrong with the request, named"),
        403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not a manager of the project")})
    def post(self, request, slug):
        project = project_for(request.user, slug, "manage")[0]
        params = AssignSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        selection = DocumentFilter(collections=data["collections"], language=data["language"],
                                   date_from=data["date_from"], date_to=data["date_to"], search=data["search"])
        try:
            annotators = annotators_resolve(project, data["annotators"])
            job = tasks_assign_enqueue_if_large(project=project, owner=request.user, annotators=annotators,
                                                selection=selection, overlap=data["overlap"])
            if job is not None:
                body = accepted(request, job)
                return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
            report = tasks_assign(project=project, annotators=annotators, selection=selection,
                                  overlap=data["overlap"], by=request.user)
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(assign_report_dict(report, selection))
