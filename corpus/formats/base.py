"""What every article format shares: the raw article it yields and the problem it reports."""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from ..text import grouped

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass
class ImportProblem:
    """One thing that could not be imported, with where it is."""

    source: str
    message: str
    line: int | None = None

    def __str__(self):
        where = _("%(file)s, line %(line)s") % {"file": self.source, "line": self.line} if self.line else self.source
        return f"{where}: {self.message}"

    def as_dict(self):
        return {"file": self.source, "line": self.line, "reason": self.message}


def too_large(max_bytes: int) -> str:
    return _("file is larger than the limit of %(limit)s bytes (CORPUS_MAX_FILE_BYTES)") % {"limit": grouped(max_bytes)}


class ProblemError(Exception):
    """Raised inside a reader; the reader turns it into an ImportProblem for the report."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class RawArticle:
    """An article as a format read it: text decoded but not normalized yet."""

    text: str
    source: str
    line: int | None = None
    external_id: str = ""
    title: str = ""
    published_on: dt.date | None = None
    language: str | None = None
    url: str = ""
    meta: dict = field(default_factory=dict)


def decode(data: bytes, encoding: str | None, line: int | None = None, base_offset: int = 0) -> str:
    """Decode strictly; a bad byte is reported with its byte offset in the file."""
    if b"\x00" in data and (encoding or "utf-8").lower().replace("_", "-") in {"utf-8", "utf8", "utf-8-sig"}:
        raise ProblemError(_("binary file (it contains NUL bytes); expected UTF-8 text"), line)
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        offset = base_offset + exc.start
        raise ProblemError(
            _("not valid %(encoding)s: byte 0x%(byte)02x at byte offset %(offset)s (name the file's encoding with "
              "--encoding)") % {"encoding": encoding or "UTF-8", "byte": data[exc.start], "offset": offset},
            line,
        ) from None
    except LookupError:
        raise ProblemError(_("unknown encoding %(encoding)r") % {"encoding": encoding}, line) from None


def parse_date(value, line: int | None = None) -> dt.date | None:
    """YYYY-MM-DD, or the date part of an ISO 8601 timestamp; an impossible date is a problem."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ProblemError(_("date must be a string like 2025-09-02, not %(value)r") % {"value": value}, line)
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", value.strip())
    if not match:
        raise ProblemError(_("date %(value)r is not in the form YYYY-MM-DD") % {"value": value}, line)
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise ProblemError(_("impossible date %(value)r") % {"value": value}, line) from None


class ArticleFormat:
    """One input format: recognises its files and yields raw articles from a binary stream."""

    name: str = ""
    extensions: tuple[str, ...] = ()
    description: str = ""

    def sniff(self, head: bytes) -> bool:
        """Whether a file starting with these bytes looks like this format."""
        return False

    def read(
        self, stream: BinaryIO, *, source: str, encoding: str | None, max_bytes: int
    ) -> Iterator[RawArticle]:
        raise NotImplementedError


def read_at_most(stream: BinaryIO, limit: int) -> bytes:
    """Up to limit + 1 bytes, read a megabyte at a time (a limit may be far larger than the file)."""
    parts, size = [], 0
    while size <= limit and (part := stream.read(min(1 << 20, limit + 1 - size))):
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def read_whole(stream: BinaryIO, max_bytes: int) -> bytes:
    data = read_at_most(stream, max_bytes)
    if len(data) > max_bytes:
        raise ProblemError(too_large(max_bytes))
    return data
