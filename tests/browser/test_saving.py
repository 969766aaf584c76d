"""The page's save queue in Chromium: nothing is shown as saved before the server stored it, and nothing
queued is lost when the session ends, the server fails, refuses, or another tab changed the task."""

import pytest
from playwright.sync_api import expect

from annotate.models import AnnotationChange, Span, Task
from annotate.services import annotation_apply, task_submit
from tests.browser.annotation_helpers import drag_select, wait_version
from tests.browser.test_annotation_page import open_seed, stored
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "000_d679b310741a05b0"
THREE = [("Xi Jinping", "p"), ("Vladimir Putin", "p"), ("Rusya Devlet Başkanı", "t")]
WATCH_SAVE_STATE = """() => {
  window.saveStates = [];
  new MutationObserver(() => window.saveStates.push(document.querySelector('#save-state').textContent))
    .observe(document.querySelector('#save-state'), {childList: true, characterData: true, subtree: true});
}"""


def test_three_changes_after_the_session_ended_are_stored_once_after_logging_in(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, SEED)
    page.context.clear_cookies(name="sessionid")
    page.evaluate(WATCH_SAVE_STATE)
    top = "document.querySelector('#text').getBoundingClientRect().top + window.scrollY"
    text_top = page.evaluate(f"() => {top}")
    for needle, key in THREE:
        drag_select(page, needle)
        page.keyboard.press(key)
        expect(page.locator("#session-ended")).to_be_visible()
        expect(page.locator("#session-ended")).to_contain_text("Your session ended: log in again")
        assert page.evaluate(f"() => {top}") == text_top  # the message floats; the text stays put
    expect(page.locator("#save-state")).to_contain_text("log in again")
    page.wait_for_timeout(2500)  # retries go on while the session is gone
    assert Span.objects.filter(task=task).count() == 0
    assert "Saved" not in page.evaluate("window.saveStates")
    with page.context.expect_page() as opened:
        page.locator("#login-again").click()
    login = opened.value
    login.get_by_label("Username").fill(user.username)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Log in").click()
    login.wait_for_url("**/")
    page.bring_to_front()
    wait_version(page, 3)
    expect(page.locator("#session-ended")).to_be_hidden()
    assert sorted(stored(task)) == [("PER", "Vladimir Putin"), ("PER", "Xi Jinping"), ("TITLE", "Rusya Devlet Başkanı")]
    assert AnnotationChange.objects.filter(task=task).count() == 3
    expect(page.locator("#text .ann.entity").first).to_be_visible()


def test_server_errors_are_retried_until_the_change_is_stored_once(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, SEED)
    failures = {"left": 2}

    def flaky(route):
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    page.route("**/change", flaky)
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    expect(page.locator("#save-state")).to_contain_text("Waiting for the server")
    wait_version(page, 1)
    assert stored(task) == [("PER", "Xi Jinping")] and failures["left"] == 0


def test_a_refused_change_stays_visible_with_the_reason_until_discarded(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, SEED)
    task_submit(task=task, by=user)  # e.g. from another tab: the task can no longer change
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    refused = page.locator("#not-saved li")
    expect(refused).to_contain_text("Not saved: PER “Xi Jinping”")
    expect(refused).to_contain_text("This task is submitted; it can no longer change.")
    expect(page.locator("#save-state")).to_have_text("Not saved: the latest change was refused (listed below)")
    assert Span.objects.filter(task=task).count() == 0
    refused.get_by_role("button", name="Discard").click()
    expect(refused).to_have_count(0)
    expect(page.locator("#save-state")).to_have_text("Saved")


def test_a_refused_change_never_takes_over_the_indicator_of_later_ones(page, seeded):
    """#28 item 2: the refused change is listed on its own; the indicator tells the latest change's state."""
    _project, user = seeded
    task = open_seed(page, user, SEED)
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    wait_version(page, 1)
    xi = Span.objects.get(task=task)
    page.route("**/change", lambda route: route.fulfill(status=400, content_type="application/json",
                                                          body='{"error": "Refused for the test."}'), times=1)
    page.locator(f'#text [data-id="{xi.client_id}"]').first.click()
    page.keyboard.press("Delete")
    refused = page.locator("#not-saved li")
    expect(refused).to_contain_text("Refused for the test.")
    expect(page.locator("#save-state")).to_contain_text("Not saved")
    drag_select(page, "Vladimir Putin")
    page.keyboard.press("p")
    wait_version(page, 2)  # the latest change is stored: "Saved", and the refused one stays listed
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(refused).to_have_count(1)


def test_after_another_tab_changed_the_task_queued_changes_are_resent_and_the_others_listed(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, SEED)
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    wait_version(page, 1)
    xi = Span.objects.get(task=task)
    # Another tab (here: the same service) removes Xi Jinping; this page still shows it.
    annotation_apply(task=Task.objects.get(pk=task.pk), by=user, op_id="7a0c1a52-44a8-4a43-9a8b-8f5d1a3d8a11",
                     base_version=1, action="span.delete", payload={"id": str(xi.client_id)})
    held = []
    page.route("**/change", lambda route: held.append(route))  # the first request waits until the second change is queued
    page.locator(f'#text [data-id="{xi.client_id}"]').first.click()
    page.keyboard.press("Delete")  # 409, then it no longer applies: listed
    drag_select(page, "Vladimir Putin")
    page.keyboard.press("p")  # queued behind it, then re-sent on the fresh version
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].fallback()  # the held request goes on; later ones are not routed
    page.unroute("**/change")
    expect(page.locator("#not-saved li")).to_contain_text("No longer applies after the other tab's change")
    expect(page.locator("#not-saved li")).to_contain_text("does not exist")
    expect(page.locator("#workspace")).to_have_attribute("data-version", "3")
    expect(page.locator("#save-state")).to_have_text("Saved")  # the latest change (Putin) is stored; the other is listed
    assert stored(task) == [("PER", "Vladimir Putin")]


def test_a_login_in_another_tab_changes_the_token_and_the_page_fetches_it_and_saves(page, seeded):
    """The CSRF token is the session's (CSRF_USE_SESSIONS): logging out and in again in another tab gives the
    session a new one; the first tab's next change is refused for it, fetches it, and is stored once."""
    _project, user = seeded
    task = open_seed(page, user, SEED)
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Log out", exact=False).click()
    other.goto("/accounts/login/")
    other.get_by_label("Username").fill(user.username)
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    other.wait_for_url("**/")
    other.close()
    page.bring_to_front()
    answers = []
    page.on("response", lambda r: answers.append((r.url.rsplit("/", 1)[-1], r.status)) if "/change" in r.url or
            "/csrf" in r.url else None)
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    wait_version(page, 1)
    assert stored(task) == [("PER", "Xi Jinping")] and AnnotationChange.objects.filter(task=task).count() == 1
    assert answers == [("change", 403), ("csrf", 200), ("change", 200)]  # refused once, token fetched, stored
    expect(page.locator("#session-ended")).to_be_hidden()
