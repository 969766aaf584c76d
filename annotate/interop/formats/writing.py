"""The writer interface and the export report. Each tool's module has its writer; the table is formats.FORMATS."""

import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from annotate.interop.options import ExportOptions
from annotate.interop.records import ExportRecord

MAX_LISTED = 10_000


@dataclass
class ExportReport:
    """What an export changed or left out, so nothing is lost silently. Counts are exact; the list of
    misaligned spans keeps the first MAX_LISTED so that memory stays flat on a million documents."""

    records: int = 0
    documents: set = field(default_factory=set)
    entities: int = 0
    misaligned: list[dict] = field(default_factory=list)
    misaligned_count: int = 0
    nested_left_out: int = 0
    # doccano: the spans a doccano project with "Allow overlapping spans" off would drop on import (None:
    # not a doccano export)
    doccano_overlapping_dropped: int | None = None

    def count(self, record) -> None:
        """What every writer counts of each record it writes."""
        self.records += 1
        self.documents.add(record.document["id"])
        self.entities += len(record.entities)

    def add_misaligned(self, entry: dict) -> None:
        self.misaligned_count += 1
        if len(self.misaligned) < MAX_LISTED:
            self.misaligned.append(entry)

    def summary(self) -> dict:
        return {
            "records": self.records,
            "documents": len(self.documents),
            "entities": self.entities,
            "misaligned": self.misaligned_count,
            "nested_left_out": self.nested_left_out,
            **({} if self.doccano_overlapping_dropped is None else
               {"doccano_overlapping_dropped": self.doccano_overlapping_dropped}),
        }

    def as_dict(self) -> dict:
        listed = {"misaligned_spans": self.misaligned}
        if self.misaligned_count > len(self.misaligned):
            listed["misaligned_not_listed"] = self.misaligned_count - len(self.misaligned)
        return {**self.summary(), **listed}


# Characters that some common line splitter takes for a line break (Python's str.splitlines, JavaScript's
# line terminators): raw inside a JSON string they split one record in two for such a reader. Escaped, the
# record stays on its line and decodes to the same text; every other character stays readable.
LINE_BREAKERS = {c: f"\\u{ord(c):04x}" for c in "\u2028\u2029\u0085\x1c\x1d\x1e"}
_LINE_BREAKER = re.compile("[\u2028\u2029\u0085\x1c\x1d\x1e]")


def json_line(value) -> str:
    """One JSON record on one line for every reader: UTF-8 kept readable, line-breaking characters escaped.
    A line almost never holds one: six substring tests (CPython's fast single-character find) say so in
    a thirtieth of the time of one regular-expression search over the line, which cost as much as
    json.dumps itself (and str.translate, looking each character up in a table, 25 times that)."""
    line = json.dumps(value, ensure_ascii=False)
    if ("\u2028" in line or "\u2029" in line or "\x85" in line or "\x1c" in line or "\x1d" in line
            or "\x1e" in line):
        line = _LINE_BREAKER.sub(lambda m: LINE_BREAKERS[m.group()], line)
    return line + "\n"


class Writer:
    """Turns records into text, a piece at a time."""

    content_type = "text/plain; charset=utf-8"
    extension = "txt"
    binary = False  # True: the pieces are bytes
    needs_tokens = False  # the records must carry the documents' tokens

    def __init__(self, options: ExportOptions, report: ExportReport):
        self.options = options
        self.report = report

    def header(self) -> str:
        return ""

    def footer(self) -> str:
        return ""

    def write(self, record: ExportRecord) -> str:
        raise NotImplementedError


class _ZipStream(io.RawIOBase):
    """A write-only stream that zipfile writes into and ZipWriter empties after each record: the zip goes out
    as it is made (zipfile writes data descriptors to a stream it cannot seek)."""

    def __init__(self):
        super().__init__()
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


_UNSAFE_NAME = re.compile(r"[^\w.-]+")


class ZipWriter(Writer):
    """A format that is a zip of files, one group per annotation set (brat, XMI), streamed as it is made:
    add() puts a file in, and each piece handed out is what the archive has written since the last.
    `closing` is the files written last (a type system, a configuration)."""

    content_type = "application/zip"
    extension = "zip"
    binary = True

    def __init__(self, options, report):
        super().__init__(options, report)
        self._out = _ZipStream()
        self._archive = zipfile.ZipFile(self._out, "w", compression=zipfile.ZIP_DEFLATED)
        self._names: set[str] = set()

    def add(self, name: str, data: str | bytes) -> None:
        self._archive.writestr(name, data)

    def written(self) -> bytes:
        return self._out.take()

    def entry_name(self, record) -> str:
        """ID-EXTERNAL-ANNOTATOR, made safe for a file name, with -2, -3… for a name taken already."""
        document = record.document
        base = _UNSAFE_NAME.sub("_", f"{document['id']}-{document['external_id'] or 'doc'}-{record.annotator}")[:120]
        name, n = base, 1
        while name in self._names:
            n += 1
            name = f"{base}-{n}"
        self._names.add(name)
        return name

    def header(self) -> bytes:
        return b""

    def closing(self) -> dict[str, str]:
        return {}

    def footer(self) -> bytes:
        for name, data in self.closing().items():
            self.add(name, data)
        self._archive.close()
        return self.written()
