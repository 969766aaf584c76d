"""A worker warms up as it boots (config/warmup.py, called by config.wsgi and config.asgi): the URLconf with
every view is imported and the project's templates are compiled before the first request, not during it."""

import logging
import sys

from django.conf import settings
from django.template import engines
from django.urls import get_resolver

from config.warmup import warm_up


def _cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return {key.split("-")[0] for key in getattr(loader, "get_template_cache", {})}


def test_every_project_template_is_compiled_and_every_view_imported(settings):
    settings.DEBUG = False  # the cached loader, as in production
    templates = settings.TEMPLATES[0]["DIRS"][0]
    expected = {p.relative_to(templates).as_posix() for p in templates.rglob("*.html")}
    done = warm_up()
    assert done["templates"] == len(expected) > 20
    assert expected <= _cached_names()
    assert get_resolver()._populated
    assert "annotate.views.annotation" in sys.modules


def test_a_template_that_does_not_compile_is_logged_and_the_worker_still_starts(settings, tmp_path, caplog):
    (tmp_path / "good.html").write_text("{{ name }}")
    (tmp_path / "bad.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with caplog.at_level(logging.INFO, logger="haber.warmup"):
        done = warm_up()
    assert done["templates"] == 1
    assert any("bad.html did not compile" in r.getMessage() for r in caplog.records)


def test_the_wsgi_and_asgi_modules_warm_up(monkeypatch):
    import importlib

    import config.asgi
    import config.warmup
    import config.wsgi

    calls = []
    monkeypatch.setattr(config.warmup, "warm_up", lambda: calls.append(1))
    importlib.reload(config.wsgi)
    importlib.reload(config.asgi)
    assert calls == [1, 1]
    assert settings.WSGI_APPLICATION == "config.wsgi.application"
