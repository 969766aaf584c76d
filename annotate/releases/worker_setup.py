"""Run first in each of a release's worker processes (bundle.ranges_runner): Django set up before anything
imports a model. A module of its own, importing nothing of the project: the pool unpickles the initializer
by importing its module, and bundle.py imports models."""


def worker_setup() -> None:
    import django

    django.setup()
