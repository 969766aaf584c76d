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


def test_spans_say_what_they_are_and_a_read_only_view_has_a_legend_and_no_editing_controls(browser, live_server, db):
    import uuid

    from annotate.models import EventRole, Label, Role
    from annotate.services import annotation_apply, task_submit, tasks_assign
    from tests.factories import import_texts, make_collection, make_project, make_user

    text = "Dışişleri Bakanı Hakan Fidan, Elisa Spiropali ile Ankara'da bir araya geldi."
    collection = make_collection("wire")
    import_texts(collection, text, language="tr")
    ayse, curator = make_user("ayse"), make_user("curator")
    project = make_project("p", collections=[collection], overlap=1,
                           members=[(ayse, Role.ANNOTATOR), (curator, Role.CURATOR)])
    tasks_assign(project=project, annotators=[ayse])
    task = Task.objects.get()
    labels = {lab.name: lab.pk for lab in Label.objects.filter(project=project)}

    def change(action, **payload):
        fresh = Task.objects.get(pk=task.pk)
        annotation_apply(task=fresh, by=ayse, op_id=uuid.uuid4(), base_version=fresh.version, action=action,
                         payload=payload)

    spans = []
    for needle in ("Hakan Fidan", "Elisa Spiropali"):
        spans.append(str(uuid.uuid4()))
        change("span.create", id=spans[-1], label=labels["PER"], start=text.index(needle),
               end=text.index(needle) + len(needle))
    event = str(uuid.uuid4())
    change("event.create", id=event, type=labels["MEETING"], start=text.index("bir araya geldi"),
           end=text.index("bir araya geldi") + 15)
    participant = EventRole.objects.get(event_type_id=labels["MEETING"], name="participant").pk
    for span in spans:
        change("argument.add", event=event, role=participant, span=span)
    task_submit(task=Task.objects.get(pk=task.pk), by=ayse)

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, "curator")
    page.goto(task.get_absolute_url())
    first = page.locator("#text .ann.start").first
    assert first.evaluate("el => getComputedStyle(el, '::before').content") == '"PER"'  # the name, not a colour
    assert first.get_attribute("title") == "PER"
    assert page.locator(".legend .chip").filter(has_text="MEETING").is_visible()  # a legend in a read-only view
    assert page.locator(".legend button, .legend kbd").count() == 0  # nothing to press
    assert page.locator("#event-list li.event").inner_text().count("participant") == 2
    assert page.locator(".remove-arg").count() == 0  # no × where nothing may be changed
    page.keyboard.press("p")  # a label key in a read-only view sends nothing
    page.wait_for_timeout(300)
    assert Task.objects.get(pk=task.pk).version == 5
    context.close()
