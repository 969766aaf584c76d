"""GET /api/v1/jobs/ (the jobs you may see, newest first), GET /api/v1/jobs/<id> (one job: poll it) and
GET /api/v1/jobs/<id>/file (the file a finished export job wrote) and POST /api/v1/jobs/<id>/cancel."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Job, JobState
from .registry import JobError
from .serializers import JobSerializer
from .services import job_cancel
from .views import file_response

LIST_LIMIT = 100


class JobsView(APIView):
    @extend_schema(responses={200: JobSerializer(many=True)})
    def get(self, request):
        jobs = Job.objects.visible_to(request.user).select_related("owner")[:LIST_LIMIT]
        return Response(JobSerializer(jobs, many=True, context={"request": request}).data)


class JobView(APIView):
    @extend_schema(responses={
        200: JobSerializer,
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such job, or not yours to see")})
    def get(self, request, pk):
        job = get_object_or_404(Job.objects.visible_to(request.user).select_related("owner"), pk=pk)
        return Response(JobSerializer(job, context={"request": request}).data)


class JobFileView(APIView):
    @extend_schema(responses={
        (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file the job wrote"),
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such job, not finished, or it wrote no file")})
    def get(self, request, pk):
        job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk, state=JobState.SUCCEEDED)
        return file_response(job)


class JobCancelView(APIView):
    @extend_schema(request=None, responses={
        202: JobSerializer,
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such job, or not yours to see"),
        409: OpenApiResponse(OpenApiTypes.OBJECT, description="Finished, or a kind that cannot stop part-way")})
    def post(self, request, pk):
        """Ask the job to stop: a queued job is cancelled at once; a running training stops at its next step
        (poll the job until its state is cancelled)."""
        job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
        try:
            job = job_cancel(job=job, by=request.user)
        except JobError as error:
            return Response({"detail": str(error)}, status=409)
        return Response(JobSerializer(job, context={"request": request}).data, status=202)
