"""A worker that is ready before its first request: gunicorn imports config.wsgi in each worker as it boots,
and without this the first request of every worker paid for importing every view (Django reads the URLconf
lazily) and compiling the templates it renders: 435 ms for a span save against 6 ms for the next one
(bench/load.py's cold start). Doing both at boot keeps a restarted server from answering its first
seconds of traffic late."""

import logging
import time

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

logger = logging.getLogger("haber.warmup")


def warm_up() -> dict:
    """Import the URLconf with every view, and compile the project's own templates into the cached loader.
    Returns what it did (for the log and the tests)."""
    began = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 -- imports config.urls and every view module
    resolver.reverse_dict  # noqa: B018 -- builds the lookup tables once
    compiled = 0
    engine = engines["django"]
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(directory.rglob("*.html")):
            try:
                engine.get_template(path.relative_to(directory).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):  # a bad template shows on its own page, not at boot
                logger.exception("template %s did not compile", path)
                continue
            compiled += 1
    done = {"templates": compiled, "ms": round((time.perf_counter() - began) * 1000)}
    logger.info("worker warmed up", extra=done)
    return done
