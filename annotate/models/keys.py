"""The annotation page's keys, in one table: what each key does, the help the page shows for it, and the
precedence (the first entry that matches a key press and applies wins). static/js/annotate.js dispatches
from this table (it comes with the page's data) and the key map and help are drawn from it, so the three
cannot drift apart. A label's shortcut may be none of the keys the table reserves (validate_shortcut).

Each entry: `action`, the name of its handler in annotate.js; `keys`, KeyboardEvent.key values (or, for
`codes`, KeyboardEvent.code values: Shift+1 is "!" as a key, "Digit1" as a code); `ctrl` (Ctrl or Cmd
held), `shift` (None: either); `shown` and `help`, what the key map says. A handler that does not apply
(Enter with nothing to fill) lets the next entry have the key."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Key:
    action: str
    keys: tuple[str, ...]
    shown: str
    help: str  # translated when shown (gettext_lazy)
    ctrl: bool = False
    shift: bool | None = None
    codes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("shown")
        data.pop("help")
        return data


ARROWS = ("ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown")

KEYS: tuple[Key, ...] = (
    Key("undo", ("z", "Z"), "Ctrl+Z", _("undo"), ctrl=True, shift=False),
    Key("redo", ("z", "Z"), "Ctrl+Shift+Z", _("redo"), ctrl=True, shift=True),
    Key("redo", ("y", "Y"), "Ctrl+Y", _("redo"), ctrl=True),
    Key("move", ARROWS, "← → ↑ ↓",
        _("move by word (punctuation such as -- is skipped) or by line; with Shift, extend the selection; "
          "with Alt+Shift, move the selection's edge by one character")),
    Key("select_to_end", ("End",), "End",
        _("choose the paragraphs from the selection to the end of the document (for boilerplate)")),
    Key("clear", ("Escape",), "Esc", _("clear the selection; close this list")),
    Key("suggestion_accept", ("+",), "+", _("accept the suggestion under the caret or selected (drawn dashed, its "
                                          "label with “?”)")),
    Key("suggestion_reject", ("-",), "-", _("reject the suggestion under the caret or selected")),
    Key("suggestion_accept_label", ("*",), "*", _("accept every suggestion of that suggestion's label in the "
                                                "document")),
    Key("delete", ("Delete", "Backspace"), "Delete", _("remove the selected span or event (reject the selected "
                                                     "suggestion)")),
    Key("previous", ("[",), "[", _("previous span")),
    Key("next", ("]",), "]", _("next span")),
    Key("fill_role", ("Enter",), "Enter", _("with a role chosen, fill it with the selected span")),
    Key("keymap", ("?",), "?", _("show or hide this list")),
    Key("select_paragraph", ("Enter",), "Enter", _("select the paragraph of the caret (or of a focused margin); "
                                                 "then a boilerplate key marks it")),
    Key("end_left", (",",), ",", _("move the selected span's end a word to the left")),
    Key("end_right", (".",), ".", _("move the selected span's end a word to the right")),
    Key("start_left", ("<",), "<", _("move the selected span's start a word to the left")),
    Key("start_right", (">",), ">", _("move the selected span's start a word to the right")),
    Key("choose_role", (), "Shift+1 … 9", _("choose a role of the selected event"), shift=True,
        codes=tuple(f"Digit{n}" for n in range(1, 10))),
)

# Keys a label may not take: every printable key of the table pressed without Ctrl, and those of the rest
# of the product: n opens the next task (data-key, static/js/app.js), a space is never a shortcut.
RESERVED_KEYS: frozenset[str] = frozenset(
    {k for entry in KEYS if not entry.ctrl for k in entry.keys if len(k) == 1} | {"n", " "}
)


def page_keys() -> list[dict]:
    """The table as the page's script reads it, in precedence order."""
    return [entry.as_dict() for entry in KEYS]


def keymap() -> list[tuple[str, str]]:
    """(keys as shown, what they do) for the key map and the help, one row per distinct action and keys."""
    rows, seen = [], set()
    for entry in KEYS:
        if (entry.shown, entry.help) not in seen:
            seen.add((entry.shown, entry.help))
            rows.append((entry.shown, entry.help))
    return rows
