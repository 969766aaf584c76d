"""Phone and tablet (#28, item 6), in Chromium with touch emulation: at 390 px the labels, the save state and
Submit sit in a bar at the bottom of the screen; words are chosen by tapping the first and the last; a tap (or
a long press) on a mark opens its menu. At 768 px the side panel fits beside the text."""

import pytest
from playwright.sync_api import expect

from annotate.models import Span
from tests.browser.annotation_helpers import open_own_task, wait_version
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "\n".join(
    f"Dışişleri Bakanı Hakan Fidan, {i}. turda Elisa Spiropali ile Ankara'da bir araya geldi ve iki ülke "
    "arasındaki ilişkileri, bölgesel gelişmeleri ve enerji iş birliğini ele aldı." for i in range(1, 41))


def phone(browser, live_server, width=390, height=844):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height},
                                  has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def word_centre(page, needle, nth=0):
    """Where a word is drawn on the screen (its middle), after scrolling it into view."""
    return page.evaluate("""([needle, nth]) => {
      const walker = document.createTreeWalker(document.getElementById('text'), NodeFilter.SHOW_TEXT);
      let node, seen = 0;
      while ((node = walker.nextNode())) {
        let at = node.data.indexOf(needle);
        while (at >= 0) {
          if (seen++ === nth) {
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + needle.length);
            node.parentElement.scrollIntoView({block: 'center'});
            const r = range.getClientRects()[0];
            return [r.left + r.width / 2, r.top + r.height / 2];
          }
          at = node.data.indexOf(needle, at + 1);
        }
      }
      return null;
    }""", [needle, nth])


def in_view(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return box and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0 \
        and box["x"] + box["width"] <= size["width"]


def stored(task):
    return sorted((s.label.name, task.document.text[s.start:s.end]) for s in Span.objects.filter(task=task).select_related("label"))


def test_on_a_phone_the_bar_is_at_the_bottom_and_words_are_chosen_by_taps(browser, live_server):
    context, page, errors = phone(browser, live_server)
    task = open_own_task(page, LONG)
    dock = page.locator(".dock")
    expect(dock).to_be_visible()
    box = dock.bounding_box()
    assert abs(box["y"] + box["height"] - 844) <= 1 and box["width"] >= 388  # fixed along the bottom edge
    assert box["height"] <= 844 * 0.3  # and leaves most of the screen to the article
    for locator in (page.locator("#save-state"), page.get_by_role("button", name="Submit and go to the next task"),
                    page.locator('.dock [data-label]').first):
        assert in_view(page, locator), locator
    # Far down the article, the bar is still there.
    page.locator("#text .line").nth(35).scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 1000
    assert in_view(page, page.locator("#save-state")) and in_view(page, page.locator('.dock [data-label]').first)

    # Tap the first word, then the last: the words between are chosen; a tap on PER marks them.
    page.touchscreen.tap(*word_centre(page, "Hakan", 2))
    expect(page.locator("#notice")).to_contain_text("“Hakan” chosen")
    page.touchscreen.tap(*word_centre(page, "Fidan", 2))
    expect(page.locator("#notice")).to_contain_text("Selected “Hakan Fidan”")
    per = page.locator('.dock [data-label]', has_text="PER")
    assert in_view(page, per)
    per.tap()
    wait_version(page, 1)
    assert stored(task) == [("PER", "Hakan Fidan")]
    # One tap and a label: that one word.
    page.touchscreen.tap(*word_centre(page, "Ankara", 2))
    page.locator('.dock [data-label]', has_text="GPE").tap()
    wait_version(page, 2)
    assert stored(task) == [("GPE", "Ankara"), ("PER", "Hakan Fidan")]

    # A tap on a mark opens its menu, above the bar; Delete there removes it.
    page.touchscreen.tap(*word_centre(page, "Ankara", 2))
    menu = page.get_by_role("menu")
    expect(menu).to_contain_text("GPE")
    assert in_view(page, menu) and menu.bounding_box()["y"] + menu.bounding_box()["height"] <= dock.bounding_box()["y"]
    menu.get_by_role("menuitem", name="Delete").tap()
    wait_version(page, 3)
    assert stored(task) == [("PER", "Hakan Fidan")]
    page.screenshot(path="var/screenshot-phone.png")
    context.close()
    assert not errors, errors


def test_a_long_press_on_a_mark_opens_its_menu(browser, live_server):
    context, page, errors = phone(browser, live_server)
    task = open_own_task(page, LONG)
    page.touchscreen.tap(*word_centre(page, "Hakan", 0))
    page.touchscreen.tap(*word_centre(page, "Fidan", 0))
    page.locator('.dock [data-label]', has_text="PER").tap()
    wait_version(page, 1)
    x, y = word_centre(page, "Hakan", 0)
    cdp = context.new_cdp_session(page)
    point = [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": point})
    page.wait_for_timeout(700)  # held: longer than a tap
    expect(page.get_by_role("menu")).to_contain_text("PER")
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    menu.get_by_role("menuitem", name="ORG").tap()
    wait_version(page, 2)
    assert stored(task) == [("ORG", "Hakan Fidan")]
    context.close()
    assert not errors, errors


def test_on_a_tablet_the_side_panel_fits_beside_the_text(browser, live_server, db):
    from annotate.models import Role, Task
    from annotate.services import tasks_assign
    from tests.factories import import_texts, make_collection, make_project, make_user

    collection = make_collection("wire")
    import_texts(collection, LONG, language="tr")
    user = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    context, page, errors = phone(browser, live_server, width=768, height=1024)
    log_in(page, "ayse")
    page.goto(Task.objects.get().get_absolute_url())
    text, side = page.locator("#text").bounding_box(), page.locator(".annotate-layout > .side").bounding_box()
    assert side["x"] >= text["x"] + text["width"] and side["x"] + side["width"] <= 768  # beside, within the screen
    assert text["width"] >= 400  # and the text keeps a readable measure
    assert page.locator(".dock").evaluate("e => getComputedStyle(e).position") != "fixed"
    for locator in (page.locator("#save-state"), page.get_by_role("button", name="Submit and go to the next task"),
                    page.locator(".legend [data-label]").first):
        assert in_view(page, locator), locator
    assert page.evaluate("document.documentElement.scrollWidth") <= 768  # nothing sticks out sideways
    page.screenshot(path="var/screenshot-tablet.png")
    context.close()
    assert not errors, errors
