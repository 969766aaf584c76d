"""The Content-Security-Policy (settings.SECURE_CSP) allows styles and scripts from the site's own files
only, so a browser ignores a `style` attribute or an `onclick` written in a template: what it asked for is
silently not done (found on the models page, whose count field lost its width, with an error in the console).
Every template keeps to the policy."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = re.compile(r"""<[^>]*\s(style|on[a-z]+)\s*=\s*["']""", re.IGNORECASE)


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_writes_what_the_policy_blocks(path):
    found = [(number, match.group(1)) for number, line in enumerate(path.read_text().splitlines(), 1)
             for match in INLINE.finditer(line)]
    assert not found, f"{path.relative_to(TEMPLATES)}: inline {found} (a class in static/css/app.css instead)"


def test_the_pages_shown_without_a_database_are_styled_by_the_sites_stylesheet(client, db, settings):
    from django.template.loader import render_to_string

    for name in ("503.html", "507.html"):
        page = render_to_string(name)
        assert 'rel="stylesheet"' in page and "app" in page and "style=" not in page
