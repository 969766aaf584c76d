"""The interface every annotation-file reader implements, and what readers share (lines, JSON Lines).

A reader turns a file into records: (line or task number, record) for each annotation set, or (number,
problem) for a part of the file it cannot read. For sets readers, a record is a dict in our JSON Lines
shape (`text`, `entities`, `boilerplate`, `events`, with offsets in code points of `text`), checked and
written by annotation_import; a tokenized reader (CoNLL) gives ConllDocuments, written by conll_import."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corpus.jsonsafe import JsonRefused, parse_json
from corpus.text import grouped


class UnknownFormat(ValueError):
    pass


@dataclass(frozen=True)
class ReadOptions:
    boilerplate_names: frozenset[str] = field(default_factory=frozenset)  # labels read as boilerplate
    offsets: str = ""  # the file's offset unit; "" is the tool's own
    sentences_per_document: int = 1  # CoNLL without -DOCSTART-
    keep_repeats: bool = False  # CoNLL: a repeated sentence is a document of its own, not the first copy
    text_field: str = ""  # Label Studio: the field of `data` that holds the text ("" finds it)


class Reader:
    name: str = ""
    description: str = ""
    tokenized: bool = False  # the file brings its own tokens (its documents are made from them)
    authored: bool = False  # each record may name its author (`_author`) or its model (`_model`)
    own_unit: str = ""  # the offset unit the tool counts in, for readers that take `offsets` ("": none)

    def read(self, stream, options: ReadOptions) -> Iterable[tuple[int, object]]:
        raise NotImplementedError


def decode_line(raw, number: int) -> str:
    """A line of an uploaded file as text; ValueError naming the bad byte."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(_("not valid UTF-8: byte 0x%(byte)02x at column %(column)s") % {
            "byte": raw[error.start], "column": error.start + 1}) from None


WHOLE_FILE_LIMIT = 200 * 1024 * 1024  # formats read whole (one JSON list, one DocBin), and what a DocBin inflates to


class WholeFileReader(Reader):
    """A format that is one object rather than lines (a JSON list, a DocBin), read whole (up to
    WHOLE_FILE_LIMIT) and then item by item: items(stream) gives them, record(number, item, options) makes
    each a record or a problem. A break in the file (`broken` errors) ends it there with one problem that
    says after which item it came; the items before it have been given."""

    whole = ""  # what the file is, for the problem: "a Label Studio task list"
    unit = gettext_noop("item")
    broken: tuple[type[BaseException], ...] = (ValueError,)

    def items(self, stream) -> Iterable:
        raise NotImplementedError

    def record(self, number: int, item, options) -> dict | str | list:
        """The item's record (or problem), or a list of them when one item holds several sets."""
        raise NotImplementedError

    def read(self, stream, options, record_of=None):
        """`record_of`, when given, stands for self.record (a reader that keeps what it learnt of the file)."""
        record_of = record_of or self.record
        done = 0
        try:
            for done, item in enumerate(self.items(stream), 1):
                record = record_of(done, item, options)
                if type(record) is list:  # several sets in one item (Label Studio's annotations)
                    yield from ((done, r) for r in record)
                else:
                    yield done, record
        except self.broken as error:
            values = {"what": _(self.whole), "unit": _(self.unit), "done": done, "reason": self.reason(error)}
            said = _("not %(what)s (after %(unit)s %(done)s): %(reason)s") if done else _("not %(what)s: %(reason)s")
            yield done + 1, said % values

    def reason(self, error: BaseException) -> str:
        return str(error)


def read_whole(stream, limit: int = WHOLE_FILE_LIMIT) -> bytes:
    """The file of a format that is one object rather than lines; ValueError past `limit` bytes."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise ValueError(_("the file is over %(limit)s bytes") % {"limit": grouped(limit)})
    return raw


def json_records(stream, what: str = "") -> Iterator[tuple[int, dict | str]]:
    """(line number, the line's object with a `text` string) for each non-blank line of a JSON Lines
    upload, or (line number, the problem) for a line that is not one (bad UTF-8, hostile JSON)."""
    for number, raw in enumerate(stream, 1):
        try:
            line = decode_line(raw, number)
            if not line.strip():
                continue
            record = parse_json(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError(_("each line must be an object with a `text` string"))
            yield number, record
        except (ValueError, JsonRefused) as error:
            yield number, _("line %(line)s: %(problem)s") % {"line": number, "problem": f"{_(what) if what else ''}{error}"}


def shown(text: str) -> str:
    """A name or note from a file as a message or a history entry may hold it: a character that is not
    printable (a NUL, which PostgreSQL cannot store in a job's report) written as an escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)


def split_boilerplate(spans: list[dict], boilerplate_names, places: list | None = None, list_name: str = "") -> dict:
    """Entities and boilerplate, by the label's name (a label that is not a string stays an entity, refused
    later with the rest of the record's problems). Where each span is in the file, for problems to name
    it as the file does, goes into the record as `_places`: `places` (one per span: a name such as
    "T3 (GPE)", or an index into the file's list `list_name`), or with only `list_name` each span's index in
    `spans` (doccano's `label[2]`, boilerplate included)."""
    if places is None and list_name:
        places = range(len(spans))
    if not boilerplate_names and places is None:
        return {"entities": spans, "boilerplate": []}
    entities, boilerplate, where = [], [], {"entities": [], "boilerplate": []}
    names = boilerplate_names or ()
    for n, span in enumerate(spans):
        label = span["label"]
        kind = "boilerplate" if type(label) is str and label in names else "entities"
        (boilerplate if kind == "boilerplate" else entities).append(span)
        if places is not None:
            where[kind].append(places[n])
    record = {"entities": entities, "boilerplate": boilerplate}
    if places is not None:
        record["_places"] = {**where, "list": list_name}
    return record
