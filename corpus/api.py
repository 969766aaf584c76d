"""The corpus API: GET and POST /api/v1/collections/ (list, create), and POST
/api/v1/collections/<slug>/import (multipart files in; 202 and the import job, whose result is the report)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.serializers import JobSerializer, accepted

from .formats import AUTO, FORMATS
from .formats.base import LANGUAGE_CODE
from .formats.sources import upload_too_large
from .jobs import documents_import_enqueue
from .models import Collection
from .permissions import can_browse, can_import
from .services import collection_create


class ImportParamsSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(), required=False,
        help_text="One or more files (.txt, .jsonl, seed files, or .zip archives of them); repeat the field",
    )
    format = serializers.ChoiceField(choices=[AUTO, *FORMATS], default=AUTO)
    language = serializers.RegexField(LANGUAGE_CODE, required=False, allow_blank=True)
    encoding = serializers.CharField(required=False, allow_blank=True, max_length=40)
    skip_invalid = serializers.BooleanField(default=False)


class CollectionImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request=ImportParamsSerializer, responses={
        202: OpenApiResponse(JobSerializer, description="The import job, queued: poll its `url` (GET "
                             "/api/v1/jobs/<id>) until `state` is succeeded or failed; its `result` is the "
                             "import report (imported, duplicates, rejected with file, line and reason, "
                             "committed: nothing is written unless everything is valid or skip_invalid)"),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="No files, or bad parameters"),
        403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed to import"),
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such collection"),
        413: OpenApiResponse(OpenApiTypes.OBJECT, description="Over CORPUS_MAX_UPLOAD_BYTES: use the command")})
    def post(self, request, slug):
        if not can_import(request.user):
            raise PermissionDenied(_("You may not import into collections."))
        collection = get_object_or_404(Collection, slug=slug)
        params = ImportParamsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        files = request.FILES.getlist("files") or request.FILES.getlist("file")
        if not files:
            return Response({"detail": _("Send one or more files in the multipart field `files`.")}, status=400)
        data = params.validated_data
        if too_large := upload_too_large(files):
            return Response({"detail": too_large}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        job = documents_import_enqueue(
            owner=request.user, files=files, collection=collection, fmt=data["format"],
            language=data.get("language") or None, encoding=data.get("encoding") or None,
            skip_invalid=data["skip_invalid"],
        )
        body = accepted(request, job)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class CollectionSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=100)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CollectionsView(APIView):
    """GET: the collections (who may browse the corpus); POST: a new, empty collection (who may import)."""

    @extend_schema(responses={200: CollectionSerializer(many=True),
                              403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed")})
    def get(self, request):
        if not (can_browse(request.user) or can_import(request.user)):
            raise PermissionDenied(_("You may not browse the corpus."))
        return Response([{"slug": c.slug, "name": c.name, "source": c.source}
                         for c in Collection.objects.order_by("slug")])

    @extend_schema(request=CollectionSerializer, responses={
        201: CollectionSerializer,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bad or taken slug, named"),
        403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed")})
    def post(self, request):
        if not can_import(request.user):
            raise PermissionDenied(_("You may not create collections."))
        params = CollectionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            collection = collection_create(**params.validated_data)
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"slug": collection.slug, "name": collection.name, "source": collection.source},
                        status=status.HTTP_201_CREATED)
