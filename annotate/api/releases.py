"""Dataset releases through the API (issue #31). Managers cut (POST …/releases: 202 with the build job) and
withdraw; curators and managers, and their tokens, list, read, get the card, download and diff.

    GET  …/releases[?withdrawn=1]          the releases, newest first
    POST …/releases                        {name, notes, source, filters, threshold, license, split}
    GET  …/releases/<name>                 one release: options, versions, counts, files and their SHA-256
    GET  …/releases/<name>/card            the data card (README.md, text/markdown)
    GET  …/releases/<name>/download        the zip (a withdrawn release: 410 unless ?withdrawn=1)
    POST …/releases/<name>/withdraw        {reason, undo}
    GET  …/releases/<a>/diff/<b>           documents and marks added, removed, changed"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate.models import Release, ReleaseState
from annotate.permissions import project_for
from annotate.releases.diff import release_diff
from annotate.releases.services import (
    FILTERS,
    SOURCES,
    project_split_set,
    release_cut,
    release_withdraw,
    releases_settle,
)
from annotate.releases.views_data import download_response, release_dict, release_get
from config.parameters import only_parameters
from jobs.serializers import accepted

ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="What is wrong, in `detail`")
WITHDRAWN = OpenApiParameter("withdrawn", OpenApiTypes.BOOL, description="Include withdrawn releases (1)")


class CutSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40, help_text="Like 2026.12; never reused in the project")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    source = serializers.ChoiceField(choices=SOURCES, default="gold", help_text="gold: accepted gold sets; "
                                     "majority: gold, else the majority vote of the submitted sets")
    filters = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                    help_text=f"Any of: {', '.join(FILTERS)} (as the export's parameters)")
    threshold = serializers.FloatField(default=0.8, help_text="Near-duplicates: Jaccard of word 3-shingles, "
                                       "0.5–1 (default 0.8)")
    license = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                                    help_text="The data card's licence, like cc-by-4.0")
    split = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                  help_text="Set the project's split spec first (train:0.8,dev:0.1,test:0.1); "
                                            "changing it moves documents between splits")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    undo = serializers.BooleanField(default=False, help_text="List it again")


def _bad(error: ValidationError, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=code)


def _wants_withdrawn(request) -> bool:
    return request.query_params.get("withdrawn", "").lower() in ("1", "true", "yes")


class ReleasesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="projects_releases_list", parameters=[WITHDRAWN],
                   responses={200: OpenApiTypes.OBJECT, 400: ERROR})
    def get(self, request, slug):
        """The project's releases, newest first (withdrawn ones with ?withdrawn=1), and its split spec."""
        project = project_for(request.user, slug, "curate")[0]
        only_parameters(request, ["withdrawn"])
        releases_settle(project)
        releases = Release.objects.filter(project=project).select_related("project", "created_by")
        if not _wants_withdrawn(request):
            releases = releases.listed()
        return Response({"split": project.split_spec, "releases": [release_dict(r, request) for r in releases]})

    @extend_schema(request=CutSerializer, responses={202: OpenApiTypes.OBJECT, 400: ERROR, 409: ERROR})
    def post(self, request, slug):
        """Cut a release: 202 with the job that builds it (poll it) and the release."""
        project = project_for(request.user, slug, "manage")[0]
        body = CutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            if data["split"] and data["split"].replace(" ", "") != project.split_spec:
                project_split_set(project=project, spec=data["split"])
            release, job = release_cut(project=project, by=request.user, name=data["name"], notes=data["notes"],
                                       source=data["source"], filters=data["filters"], threshold=data["threshold"],
                                       license=data["license"])
        except ValidationError as error:
            taken = "already exists" in " ".join(error.messages)
            return _bad(error, status.HTTP_409_CONFLICT if taken else status.HTTP_400_BAD_REQUEST)
        return Response({"job": accepted(request, job), "release": release_dict(release, request)},
                        status=status.HTTP_202_ACCEPTED)


class ReleaseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="projects_release_retrieve", responses={200: OpenApiTypes.OBJECT, 404: ERROR})
    def get(self, request, slug, name):
        """One release (withdrawn ones too: the record is kept)."""
        project = project_for(request.user, slug, "curate")[0]
        releases_settle(project)
        return Response(release_dict(release_get(project, name), request))


class CardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "text/markdown"): OpenApiTypes.STR, 404: ERROR})
    def get(self, request, slug, name):
        """The data card: README.md of the bundle, with its Hugging Face YAML header."""
        project = project_for(request.user, slug, "curate")[0]
        release = release_get(project, name)
        if release.state != ReleaseState.READY:
            return Response({"detail": _("Release %(name)s is %(state)s: it has no card.") % {
                "name": name, "state": release.state}},
                            status=status.HTTP_404_NOT_FOUND)
        return HttpResponse(release.report.get("readme", ""), content_type="text/markdown; charset=utf-8")


class DownloadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[WITHDRAWN], responses={(200, "application/zip"): OpenApiTypes.BINARY, 404: ERROR,
                                                      410: ERROR})
    def get(self, request, slug, name):
        """The release's zip; its SHA-256 in X-Checksum-Sha256."""
        project = project_for(request.user, slug, "curate")[0]
        release = release_get(project, name)
        if release.withdrawn and not _wants_withdrawn(request):
            return Response({"detail": _("Release %(name)s was withdrawn (%(reason)s). Add ?withdrawn=1 to download "
                                         "it anyway.") % {"name": name,
                                                          "reason": release.withdrawn_reason or _("no reason given")}},
                            status=status.HTTP_410_GONE)
        return download_response(release)


class WithdrawView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=WithdrawSerializer, responses={200: OpenApiTypes.OBJECT, 400: ERROR})
    def post(self, request, slug, name):
        """Withdraw a release (hidden, kept for the record), or list it again with undo."""
        project = project_for(request.user, slug, "manage")[0]
        release = release_get(project, name)
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            release_withdraw(release=release, by=request.user, reason=body.validated_data["reason"],
                             undo=body.validated_data["undo"])
        except ValidationError as error:
            return _bad(error)
        return Response(release_dict(release, request))


class DiffView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 400: ERROR, 404: ERROR})
    def get(self, request, slug, name, other):
        """From release `name` to release `other`: documents added, removed, changed, moved to another
        split; marks added and removed per layer and label."""
        project = project_for(request.user, slug, "curate")[0]
        old, new = release_get(project, name), release_get(project, other)
        for release in (old, new):
            if release.state != ReleaseState.READY:
                return Response({"detail": _("Release %(name)s is %(state)s: only built releases are compared.") % {
                    "name": release.name, "state": release.state}}, status=status.HTTP_400_BAD_REQUEST)
        return Response(release_diff(old, new))
