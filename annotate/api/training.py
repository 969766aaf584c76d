"""The training loop through the API (issue #34): POST …/models/train starts a run (managers), GET
…/models/runs lists the runs with their curves and test scores, POST …/models/use pins a version or rolls
back to one (managers), GET …/models/<version>/download gives the trained pipeline (curators, managers)."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate.permissions import project_for
from annotate.training.data import SOURCES
from annotate.training.services import SETTABLE, model_use, training_start
from annotate.training.views_data import run_dict, runs
from annotate.views.training import download_response
from jobs.serializers import accepted

ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="What is wrong, in `detail`")


class TrainSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=SOURCES, default="gold", help_text="gold: the accepted gold sets; "
                                     "submitted: also an annotator's submitted set where a document has no gold")
    settings = serializers.DictField(required=False, default=dict, help_text=f"Any of: {', '.join(SETTABLE)}")


class UseSerializer(serializers.Serializer):
    version = serializers.CharField(allow_blank=True, max_length=160,
                                    help_text="haber:<project>:<n>, or empty for every model's predictions")
    pinned = serializers.BooleanField(default=True, help_text="Keep it when a newer run finishes")


def _bad(error: ValidationError) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


class TrainView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=TrainSerializer, responses={202: OpenApiTypes.OBJECT, 400: ERROR, 409: ERROR})
    def post(self, request, slug):
        """Start a training run: 202 with the job to poll (its result names the model) and the run."""
        project = project_for(request.user, slug, "manage")[0]
        body = TrainSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            trained, job = training_start(project=project, by=request.user, source=body.validated_data["source"],
                                          settings=body.validated_data["settings"])
        except ValidationError as error:
            code = status.HTTP_409_CONFLICT if "already under way" in " ".join(error.messages) else 400
            return Response({"detail": " ".join(error.messages)}, status=code)
        return Response({"job": accepted(request, job), "run": run_dict(trained, project)},
                        status=status.HTTP_202_ACCEPTED)


class RunsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        """Every run of the project, newest first, and the model in use."""
        project = project_for(request.user, slug, "curate")[0]
        return Response({"model_in_use": project.model_in_use, "pinned": project.model_pinned,
                         "retrain_every": project.retrain_every, "runs": runs(project)})


class UseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=UseSerializer, responses={200: OpenApiTypes.OBJECT, 400: ERROR})
    def post(self, request, slug):
        """Suggest this version's predictions (pin it, or roll back to it)."""
        project = project_for(request.user, slug, "manage")[0]
        body = UseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            model_use(project=project, version=body.validated_data["version"], pinned=body.validated_data["pinned"])
        except ValidationError as error:
            return _bad(error)
        return Response({"model_in_use": project.model_in_use, "pinned": project.model_pinned})


class DownloadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/gzip"): OpenApiResponse(OpenApiTypes.BINARY),
                              404: ERROR})
    def get(self, request, slug, version):
        """The trained spaCy pipeline as a tar.gz (meta.json names the labels, the data counts, the scores)."""
        project = project_for(request.user, slug, "curate")[0]
        return download_response(project, version)
