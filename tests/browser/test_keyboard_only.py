"""Keyboard alone, no mouse (#32): two annotators each do a whole task (log in, open it, mark, submit) and a
curator settles their disagreement, adds a mark and accepts the gold set, with Tab, arrows, the label keys and
Enter; at every Tab stop the focus is visible (an outline or a ring)."""

import json

import pytest
from playwright.sync_api import expect

from annotate.models import Span, Task
from tests.browser.annotation_helpers import DISAGREEMENT_TEXT, curation_team, wait_version
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = DISAGREEMENT_TEXT

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== "none";
  return {shown: outline || ring, what: el.tagName + " " + (el.id || el.textContent.trim().slice(0, 30))};
}"""


def tab_to(page, accessible_text: str, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element's text, value or label contains `accessible_text`,
    checking at every stop that the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUS_SHOWN)
        if focused is None:
            continue
        assert focused["shown"], f"the focus cannot be seen on {focused['what']}"
        here = page.evaluate("""() => { const el = document.activeElement;
            return [el.id, el.textContent, el.value, el.getAttribute('aria-label')].join(' '); }""")
        if accessible_text in here:
            return
    raise AssertionError(f"{accessible_text!r} cannot be reached with Tab")


def words(page, skip: int, take: int) -> str:
    """From the caret: skip words with →, then select `take` words with Shift+→; the selected text."""
    for _ in range(skip):
        page.keyboard.press("ArrowRight")
    for _ in range(take):
        page.keyboard.press("Shift+ArrowRight")
    return page.evaluate("window.getSelection().toString()")


def log_in_by_keyboard(page, username: str) -> None:
    page.goto("/accounts/login/")
    if page.evaluate("document.activeElement.name") != "username":
        tab_to(page, "username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def annotate_by_keyboard(browser, live_server, username: str, marks: list[tuple[int, int, str, str]]) -> None:
    """Log in, open the first task from My work, and for each (words to skip from the caret, words to take,
    the text that selects, label key) mark it; then submit. All with the keyboard."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in_by_keyboard(page, username)
    tab_to(page, "Start")  # My work: the project's first open task
    page.keyboard.press("Enter")
    # The page's deferred script gives the text the focus once it has run, a moment after #text is there.
    expect(page.locator("#text")).to_be_focused()
    for version, (skip, take, text, key) in enumerate(marks, start=1):
        assert words(page, skip, take) == text
        page.keyboard.press(key)
        wait_version(page, version)
    tab_to(page, "Submit and go to the next task")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    context.close()


@pytest.mark.slow
def test_a_whole_task_and_its_curation_with_the_keyboard_alone(browser, live_server, db):
    ayse, burak = curation_team()
    # From the start, → → reaches "Lavrov"; after a mark the caret is at its end, and → → → reaches "Ankara".
    annotate_by_keyboard(browser, live_server, "ayse", [(2, 1, "Lavrov", "p"), (3, 1, "Ankara", "g")])
    annotate_by_keyboard(browser, live_server, "burak", [(2, 1, "Lavrov", "p"), (3, 1, "Ankara", "l")])
    for user in (ayse, burak):
        task = Task.objects.get(annotator=user)
        assert task.status == "submitted"
        assert sorted(TEXT[s.start:s.end] for s in Span.objects.filter(task=task)) == ["Ankara", "Lavrov"]

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in_by_keyboard(page, "curator")
    page.goto("/annotate/p/gold/curation")
    tab_to(page, TEXT[:20])
    page.keyboard.press("Enter")
    expect(page.locator("#text")).to_be_focused()  # as on the task: the script has run
    tab_to(page, "Accept LOC (burak)")
    page.keyboard.press("Enter")
    wait_version(page, 2)
    expect(page.get_by_role("heading", name="Who said what")).to_contain_text("0 not settled")
    tab_to(page, "text", backwards=True)  # back to the gold text
    assert page.evaluate("document.activeElement.id") == "text"
    assert words(page, 3, 2) == "salı günü"  # from the start of the text
    page.keyboard.press("d")
    wait_version(page, 3)
    tab_to(page, "Accept as gold")
    page.keyboard.press("Enter")
    page.wait_for_url("**/annotate/p/gold/curation")
    lines = page.evaluate("fetch('/api/v1/projects/gold/export?source=gold').then(r => r.text())").splitlines()
    context.close()
    (record,) = [json.loads(line) for line in lines]
    assert [(e["text"], e["label"]) for e in record["entities"]] == [
        ("Lavrov", "PER"), ("salı günü", "DATE"), ("Ankara", "LOC")]
