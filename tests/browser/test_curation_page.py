"""Curation in Chromium: two annotators mark the same article in their own pages and disagree on one span;
the curator finds the agreement accepted in advance, takes one side with the mouse, adds a span with the
same keys as the annotation page, accepts the set as gold, and the gold export holds exactly that."""

import json

import pytest
from playwright.sync_api import expect

from annotate.models import Task
from tests.browser.annotation_helpers import DISAGREEMENT_TEXT, curation_team, drag_select, wait_version
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = DISAGREEMENT_TEXT


def person(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, username)
    return context, page, errors


def annotate(browser, live_server, user, marks):
    """The annotator opens their task, marks each (needle, key) with the mouse, and submits."""
    context, page, errors = person(browser, live_server, user.username)
    page.goto(Task.objects.get(annotator=user).get_absolute_url())
    page.locator("#text").wait_for()
    for version, (needle, key) in enumerate(marks, start=1):
        drag_select(page, needle)
        page.keyboard.press(key)
        wait_version(page, version)
    page.get_by_role("button", name="Submit and go to the next task").click()
    page.wait_for_load_state()
    context.close()
    assert not errors, errors


@pytest.mark.slow
def test_two_annotators_disagree_the_curator_takes_a_side_and_the_gold_export_holds_it(browser, live_server, db):
    ayse, burak = curation_team()
    annotate(browser, live_server, ayse, [("Lavrov", "p"), ("Ankara", "g")])  # agree on Lavrov,
    annotate(browser, live_server, burak, [("Lavrov", "p"), ("Ankara", "l")])  # not on Ankara (GPE / LOC)

    context, page, errors = person(browser, live_server, "curator")
    page.goto("/annotate/p/gold/curation")
    page.get_by_role("link", name=TEXT[:20], exact=False).click()
    page.locator("#text").wait_for()
    # The agreement is in the gold text already; the disagreement is a row saying who said what.
    expect(page.locator("#text .ann")).to_have_count(1)
    assert page.locator("#text .ann").inner_text() == "Lavrov"
    open_row = page.locator("tr.row-open")
    expect(open_row).to_have_count(1)
    assert open_row.locator("td").nth(1).inner_text() == "GPE" and open_row.locator("td").nth(2).inner_text() == "LOC"
    expect(page.get_by_role("heading", name="Who said what")).to_contain_text("1 not settled")
    # Take burak's side with the mouse: the gold text shows it, the row is settled.
    page.get_by_role("button", name="Accept LOC (burak)").click()
    wait_version(page, 2)
    expect(page.locator("#text .ann")).to_have_count(2)
    expect(page.get_by_role("heading", name="Who said what")).to_contain_text("0 not settled")
    expect(page.locator("tr.row-settled .gold-cell")).to_have_text("LOC")
    # The same keys as the annotation page: the curator adds a DATE nobody marked, then undoes and redoes it.
    drag_select(page, "salı günü")
    page.keyboard.press("d")
    wait_version(page, 3)
    page.keyboard.press("Control+z")
    wait_version(page, 4)
    expect(page.locator("#text .ann")).to_have_count(2)
    page.keyboard.press("Control+Shift+z")
    wait_version(page, 5)
    expect(page.locator("tr.row-added")).to_have_count(1)
    page.screenshot(path="var/screenshot-curation.png", full_page=True)
    page.get_by_role("button", name="Accept as gold").click()
    page.wait_for_url("**/annotate/p/gold/curation")
    expect(page.locator(".gold-state")).to_have_text("gold")
    # The gold export, as the page's download link fetches it, holds exactly the decided set.
    lines = page.evaluate("fetch('/api/v1/projects/gold/export?source=gold').then(r => r.text())").splitlines()
    context.close()
    assert not errors, errors
    (record,) = [json.loads(line) for line in lines]
    assert record["source"] == "gold" and record["annotators"] == ["curator"]
    assert [(e["text"], e["label"]) for e in record["entities"]] == [
        ("Lavrov", "PER"), ("salı günü", "DATE"), ("Ankara", "LOC")]
