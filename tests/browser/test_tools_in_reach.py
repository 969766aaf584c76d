"""Eight hours a day: on a long article the labels, the save state and Submit stay on screen, and the header is
one line, at the two usual window sizes."""

import pytest

from annotate.models import Task
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0 \
        and box["x"] + box["width"] <= size["width"]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_tools_stay_on_screen_at_the_end_of_a_long_article(browser, live_server, seeded, size):
    _project, user = seeded
    task = Task.objects.get(annotator=user, document__external_id="002_25c5a9a7f4bf1039")  # the longest seed
    context = browser.new_context(base_url=live_server.url, viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    log_in(page, user.username)
    page.goto(task.get_absolute_url())
    page.locator("#text .line").last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(200)
    assert page.evaluate("window.scrollY") > 200  # the page did scroll: the article is longer than the window
    for locator in (page.locator("#save-state"), page.get_by_role("button", name="Submit and go to the next task"),
                    page.locator(".legend [data-label]").first, page.locator(".legend [data-label]").last):
        assert in_view(page, locator), locator
    heading = page.locator(".task-head h1")
    line_height = heading.evaluate("h => parseFloat(getComputedStyle(h).lineHeight) || h.getBoundingClientRect().height")
    assert heading.bounding_box()["height"] <= line_height * 1.5  # one line, however long the title
    page.screenshot(path=f"var/screenshot-tools-{size[0]}x{size[1]}.png")
    context.close()
