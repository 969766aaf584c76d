"""Run first in each of a release's worker processes (bundle.ranges_runner): Django set up before anything
imports a model. A module of its own, importing nothing of the project: the pool unpickles the initializer
by importing its module, and bundle.py imports models."""


def worker_setup(database: str) -> None:
    """Django set up on the job's own database (its name as the job's connection has it: a test run's
    database is named at run time, not in the settings the worker reads)."""
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database
    django.setup()
