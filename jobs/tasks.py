"""The one task on Django's Tasks framework: run a job. Everything about the job is on its row."""

from django.tasks import task

from .services import job_run


@task(takes_context=True)
def run_job(context, job_id: str) -> str:
    worker_ids = context.task_result.worker_ids
    return job_run(job_id=job_id, worker_id=worker_ids[-1] if worker_ids else "immediate")
