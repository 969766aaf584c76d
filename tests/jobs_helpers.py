"""Tests of what runs as a background job: send the request, run the queued jobs as a worker does, and read
the job as its URL gives it."""

from jobs.models import Job
from jobs.worker import run_pending


def job_finished(client, response):
    """The job of a 202 answer once the worker has run it, as GET /api/v1/jobs/<id> gives it."""
    assert response.status_code == 202, response.content
    url = response.json()["url"]
    run_pending()
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    return answer.json()


def last_job_run() -> Job:
    run_pending()
    return Job.objects.order_by("-created_at").first()
