"""Real mouse selection in the annotation page: find where a piece of the text is drawn, then drag over it."""

FIND_JS = """([needle, nth]) => {
  const lines = Array.from(document.querySelectorAll('#text .line'));
  const text = lines.map(l => Array.from(l.querySelectorAll('.seg')).map(s => s.textContent).join('')).join('\\n');
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) return null;
  const cpStart = Array.from(text.slice(0, at)).length, cpEnd = cpStart + Array.from(needle).length;
  function position(cp, isEnd) {
    for (const seg of document.querySelectorAll('#text .seg')) {
      const s = Number(seg.dataset.s), chars = Array.from(seg.textContent);
      if (cp >= s && (cp < s + chars.length || (isEnd && cp === s + chars.length))) {
        const u16 = chars.slice(0, cp - s).join('').length;
        const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
        let node, left = u16;
        while ((node = walker.nextNode())) {
          if (left <= node.data.length) return [node, left];
          left -= node.data.length;
        }
      }
    }
    return null;
  }
  const [sn, so] = position(cpStart, false), [en, eo] = position(cpEnd, true);
  const range = document.createRange();
  range.setStart(sn, so); range.setEnd(en, eo);
  sn.parentElement.scrollIntoView({block: 'center'});
  const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
  const first = rects[0], last = rects[rects.length - 1];
  return {start: [first.left + 1, first.top + first.height / 2], end: [last.right - 1, last.top + last.height / 2],
          cpStart, cpEnd};
}"""


def drag_select(page, needle: str, nth: int = 0, *, shrink: int = 0):
    """Press the mouse just inside the first character and release just inside the last one (minus `shrink`
    pixels at the end, to select a partial word as a person might)."""
    box = page.evaluate(FIND_JS, [needle, nth])
    assert box, f"{needle!r} is not in the page"
    page.mouse.move(*box["start"])
    page.mouse.down()
    page.mouse.move(box["end"][0] - shrink, box["end"][1], steps=5)
    page.mouse.up()
    return box


def wait_saved(page):
    from playwright.sync_api import expect

    expect(page.locator("#save-state")).to_have_text("Saved")


def wait_version(page, version: int, timeout: int = 10_000):
    """Wait until the page shows the task at `version` (each saved change adds one) and nothing is queued."""
    from playwright.sync_api import expect

    expect(page.locator("#workspace")).to_have_attribute("data-version", str(version), timeout=timeout)
    expect(page.locator("#save-state")).to_have_text("Saved", timeout=timeout)


def open_own_task(page, text: str, username: str = "ayse"):
    """One article of `text` in a project whose one annotator (logged in here) has it as a task, opened."""
    from tests.browser.conftest import log_in
    from tests.factories import make_task

    task = make_task(text, username)
    log_in(page, username)
    page.goto(task.get_absolute_url())
    page.locator("#text").wait_for()
    return task


DISAGREEMENT_TEXT = "Dışişleri Bakanı Lavrov salı günü Ankara'da Hakan Fidan ile görüştü."


def curation_team():
    """One article (DISAGREEMENT_TEXT) in project "gold": annotators ayse and burak, each with its task, and
    a curator. Returns (ayse, burak)."""
    from annotate.models import Role
    from annotate.services import tasks_assign
    from tests.factories import import_texts, make_collection, make_project, make_user

    collection = make_collection("wire")
    import_texts(collection, DISAGREEMENT_TEXT, language="tr")
    ayse, burak, curator = make_user("ayse"), make_user("burak"), make_user("curator")
    project = make_project("gold", collections=[collection], overlap=2, members=[
        (ayse, Role.ANNOTATOR), (burak, Role.ANNOTATOR), (curator, Role.CURATOR)])
    tasks_assign(project=project, annotators=[ayse, burak])
    return ayse, burak
