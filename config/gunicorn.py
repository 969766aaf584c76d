"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi --workers 3 --bind …`.

* The application is loaded once, in the master, before the workers are forked (preload_app): they share
  its pages instead of loading it three times (config/wsgi.py freezes what is loaded for that).
* GUNICORN_JOB_WORKERS=N (default 0) also runs N background-job workers, forked from the same master
  (jobs/forked.py), so that they share those pages too: one process tree to supervise on a small machine,
  and ~60 MiB less than a separate `manage.py jobs_worker`. Larger installations run job workers on their
  own (docs/deploy.md). A reload (SIGHUP) renews the web workers, not these: restart gunicorn to give them
  new code."""

import os
import signal
import time

preload_app = True
_job_workers = int(os.environ.get("GUNICORN_JOB_WORKERS", "0") or 0)
_supervisor = []


def when_ready(server):
    if _job_workers > 0:
        from jobs.forked import job_workers_fork

        listeners = [listener.fileno() for listener in server.LISTENERS]
        _supervisor.append(job_workers_fork(_job_workers, close_fds=listeners))
        server.log.info("Job workers: %d, supervised by pid %s", _job_workers, _supervisor[0])


def on_exit(server):
    """The job workers finish the job at hand before gunicorn leaves (up to its graceful timeout)."""
    for pid in _supervisor:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        deadline = server.cfg.graceful_timeout
        while deadline > 0:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:  # gunicorn's own reaping took it
                break
            time.sleep(0.2)
            deadline -= 0.2


def post_fork(server, worker):
    """Each web worker gives its freed memory back a second after its last request (jobs/memory.py)."""
    from jobs.memory import IdleTrimmer

    worker.idle_trimmer = IdleTrimmer()
    worker.idle_trimmer.start()


def post_request(worker, req, environ, resp):
    worker.idle_trimmer.busy()
