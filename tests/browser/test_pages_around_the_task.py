"""The pages around the annotation page (#28, item 7), as a curator, a manager and a person who forgot their
password use them in Chromium: the counts leave out accepted gold, an argument row shows its entity's own
offsets, the export download carries what the summary shows, the reassign preview says why nothing moved,
and the login says how many attempts are left and for how long it locks."""

import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from annotate.models import EventRole, Label, Role, Task
from annotate.services import annotation_apply, task_submit, tasks_assign
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, import_texts, make_collection, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Dışişleri Bakanı Hakan Fidan, Elisa Spiropali ile Ankara'da bir araya geldi."


def at(needle):
    return {"start": TEXT.index(needle), "end": TEXT.index(needle) + len(needle)}


@pytest.fixture
def two_sets(db):
    """One article two annotators have submitted: both mark the meeting, Hakan Fidan and Elisa Spiropali, and
    her as a participant; only ayse says he is one too."""
    collection = make_collection("wire", "Wire")
    import_texts(collection, TEXT, language="tr")
    ayse, burak, curator, manager = make_user("ayse"), make_user("burak"), make_user("curator"), make_user("mehmet")
    project = make_project("p", collections=[collection], overlap=2, members=[
        (ayse, Role.ANNOTATOR), (burak, Role.ANNOTATOR), (curator, Role.CURATOR), (manager, Role.MANAGER)])
    tasks_assign(project=project, annotators=[ayse, burak])
    labels = {lab.name: lab.pk for lab in Label.objects.filter(project=project)}
    participant = EventRole.objects.get(event_type_id=labels["MEETING"], name="participant").pk
    for user in (ayse, burak):
        task = Task.objects.get(annotator=user)

        def change(action, task=task, user=user, **payload):
            fresh = Task.objects.get(pk=task.pk)
            annotation_apply(task=fresh, by=user, op_id=uuid.uuid4(), base_version=fresh.version, action=action,
                             payload=payload)

        span, other, event = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        change("span.create", id=span, label=labels["PER"], **at("Hakan Fidan"))
        change("span.create", id=other, label=labels["PER"], **at("Elisa Spiropali"))
        change("event.create", id=event, type=labels["MEETING"], **at("bir araya geldi"))
        change("argument.add", event=event, role=participant, span=other)
        if user is ayse:
            change("argument.add", event=event, role=participant, span=span)
        task_submit(task=Task.objects.get(pk=task.pk), by=user, confirm=True)
    return project


def person(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    if username:
        log_in(page, username)
    return context, page


def test_the_curator_sees_the_argument_where_its_entity_is_and_accepted_gold_leaves_the_counts(browser, live_server, two_sets):
    context, page = person(browser, live_server, "curator")
    expect(page.get_by_role("link", name="Ready for curation: 1")).to_be_visible()  # the home page
    page.get_by_role("link", name="Ready for curation: 1").click()
    expect(page.get_by_role("heading", name="Ready for curation")).to_contain_text("1")
    page.get_by_role("link", name=TEXT[:20], exact=False).click()
    row = page.locator('tr[data-kind="argument"]', has_text="Hakan Fidan")
    expect(row).to_have_count(1)
    fidan = at("Hakan Fidan")
    # The argument's row says where its entity is (Hakan Fidan), not where the trigger is.
    expect(row.locator("td").first).to_contain_text(f"{fidan['start']}–{fidan['end']}")
    expect(row.locator("td").first).to_contain_text("participant")
    # The gold set holds what both said; ayse's second participant is hers to accept, by the role's name.
    row.get_by_role("button", name="Accept participant (ayse)").click()
    expect(row.locator(".gold-cell")).to_have_text("✓")
    page.get_by_role("button", name="Accept as gold").click()
    page.wait_for_url("**/annotate/p/p/curation")
    expect(page.locator(".gold-state")).to_have_text("gold")  # still listed, as gold,
    expect(page.get_by_role("heading", name="Ready for curation")).to_contain_text("0")  # and no longer counted
    page.goto("/")  # the home page: My work
    expect(page.get_by_role("link", name="Ready for curation: 0")).to_be_visible()
    context.close()


def test_the_download_carries_exactly_what_the_summary_shows_even_right_after_typing(browser, live_server, two_sets):
    context, page = person(browser, live_server, "mehmet")
    exports = []
    page.on("request", lambda r: exports.append(r.url) if "/api/v1/projects/p/export" in r.url else None)
    page.goto("/annotate/p/p/export")
    page.get_by_label("Format").select_option("conll")
    page.get_by_label("Collections").select_option("wire")
    page.get_by_label("Leave boilerplate out").select_option("1")
    expect(page.locator("#preview")).to_contain_text("exclude_boilerplate=1")
    # Type a label filter and click Download at once, as an impatient person does: the click must not fetch
    # the summary's previous parameters.
    page.get_by_label("Labels", exact=False).first.fill("PER")
    download = page.locator("#preview .download").bounding_box()
    page.mouse.click(download["x"] + 5, download["y"] + 5)
    expect(page.locator("#preview .curl")).to_contain_text("labels=PER")
    with page.expect_download() as info:
        page.locator("#preview .download").click()
    assert "labels=PER" in info.value.url
    assert exports, "no download was asked for"
    for url in exports:  # every download asked for carried every parameter the summary showed
        query = parse_qs(urlparse(url).query)
        assert query.get("labels") == ["PER"] and query.get("format") == ["conll"], url
        assert query.get("collection") == ["wire"] and query.get("exclude_boilerplate") == ["1"], url
    context.close()


def test_the_reassign_preview_says_why_nothing_would_move(browser, live_server, two_sets):
    context, page = person(browser, live_server, "mehmet")
    page.goto("/annotate/p/p/assign")
    form = page.locator("form.assign")
    form.get_by_label("Reassign", exact=False).check()
    form.get_by_label("From", exact=True).select_option("ayse")
    form.get_by_label("To", exact=True).select_option("burak")
    # ayse has submitted her only task: nothing moves, and the preview says why.
    expect(page.locator("#preview")).to_contain_text("ayse has no open task in this project")
    expect(page.locator("#preview")).to_contain_text("1 finished task stays with who did them")
    context.close()


def test_the_login_says_how_many_attempts_are_left_and_the_lockout_how_long(browser, live_server, db, settings):
    make_user("ayse")
    context, page = person(browser, live_server, None)
    page.goto("/accounts/login/")
    limit = settings.AXES_FAILURE_LIMIT
    for left in range(limit - 1, 0, -1):
        page.get_by_label("Username").fill("ayse")
        page.get_by_label("Password").fill("not-" + PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("status")).to_contain_text(
            f"{left} attempt{'s' if left != 1 else ''} left before this login is locked for 15 minutes")
    page.get_by_label("Username").fill("ayse")
    page.get_by_label("Password").fill("not-" + PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    expect(page.locator("main")).to_contain_text("locked from this address for 15 minutes")
    # The right password does not get through while the lock lasts.
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ayse")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    context.close()
