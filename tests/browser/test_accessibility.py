"""axe-core (WCAG 2.2 A and AA rules, the copy axe-playwright-python ships: nothing fetched) on every page of the
URL conf that answers a GET with HTML, with the demo data (`load_demo`), for each demo role, in the light and
the dark theme, in English, Turkish and Albanian: no serious or critical violation.

The pages are found by walking the URL conf (the site's own pages: not the API, the admin or the files),
each route filled from the demo data; a page a role may not open (403, 404) is left out for that role, and
the walk must reach at least the pages listed in EXPECTED."""


import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.page_walk import EXPECTED, demo_pages, demo_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
def _violations(page, axe) -> list[str]:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save()
    return demo_values()


def test_the_check_finds_what_axe_finds(page):
    from axe_playwright_python.sync_playwright import Axe

    page.set_content('<html lang="en"><body><main><img src="data:,"><button></button></main></body></html>')
    assert {problem.split(" ")[0] for problem in _violations(page, Axe())} >= {"image-alt", "button-name"}


@pytest.mark.slow
@pytest.mark.parametrize("role", ["manager", "curator", "annotator1"])
def test_no_serious_or_critical_violation_on_any_page_in_any_theme_or_language(browser, live_server, demo, role):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = demo_pages(demo)
    found, opened = {}, set()
    for scheme in ("light", "dark"):
        context = browser.new_context(base_url=live_server.url, color_scheme=scheme,
                                      viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, role)
        for language in ("en", "tr", "sq"):
            page.goto("/")
            page.locator("select[name=language]").select_option(language)
            expect(page.locator("html")).to_have_attribute("lang", language)
            for name, url in pages:
                answer = page.goto(url)
                if answer.status in (403, 404) or "text/html" not in answer.headers.get("content-type", ""):
                    continue
                assert answer.status == 200, (url, answer.status)
                assert page.locator("html").get_attribute("lang") == language, url
                opened.add(name)
                if problems := _violations(page, axe):
                    found[f"{url} ({scheme}, {language})"] = problems
        context.close()
    expected = {"manager": EXPECTED, "curator": {"home", "annotate:projects", "annotate:curation", "annotate:curate"},
                "annotator1": {"home", "annotate:projects", "annotate:task", "annotate:guidelines"}}[role]
    assert expected <= opened, f"pages the walk did not reach: {expected - opened}"
    assert not found, "\n".join(f"{where}: {problems}" for where, problems in found.items())
