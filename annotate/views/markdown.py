"""Guidelines are Markdown written by managers: rendered with Python-Markdown, then sanitised with nh3
(ammonia), so that no script, event handler or javascript: link reaches an annotator's page."""

import functools

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def render_markdown(text: str) -> SafeString:
    return _rendered(text or "")


@functools.lru_cache(maxsize=32)
def _rendered(text: str) -> SafeString:
    """Kept per text: the annotation page shows the project's guidelines on every task (0.3 ms each time)."""
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
    return mark_safe(nh3.clean(html, url_schemes={"http", "https", "mailto"}))
