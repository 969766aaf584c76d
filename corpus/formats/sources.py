"""Where articles come from: files, directories and zip archives on disk, or uploaded files.

Every input is treated as hostile: sizes are checked before reading, zip entries with absolute paths or
`..` are refused, and so is an archive whose uncompressed size is over the limit.
"""

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..text import grouped
from . import AUTO, ImportProblem, ProblemError, RawArticle, detect_format, get_format
from .base import read_at_most

SNIFF_BYTES = 4096
ZIP_MAGIC = b"PK\x03\x04"
UTF8_NAMES = {"utf-8", "utf8", "utf-8-sig"}


@dataclass
class InputFile:
    """A named binary source: a path on disk, an uploaded file (anything with .name, .size and .open), or
    a function that opens it (a job's file in storage). Each reading opens it anew."""

    name: str
    size: int
    stream: BinaryIO | None = None
    path: Path | None = None
    opener: Callable[[], BinaryIO] | None = None

    def open(self) -> BinaryIO:
        if self.path is not None:
            return self.path.open("rb")
        if self.opener is not None:
            return self.opener()
        self.stream.seek(0)
        return self.stream


def inputs_from_paths(paths: Iterable[str | Path]) -> Iterator[InputFile | ImportProblem]:
    """Files as given, directories walked in name order (hidden files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield InputFile(name=str(child), size=child.stat().st_size, path=child)
        elif path.is_file():
            yield InputFile(name=str(path), size=path.stat().st_size, path=path)
        else:
            yield ImportProblem(str(path), _("no such file or directory"))


def inputs_from_uploads(files) -> Iterator[InputFile]:
    for f in files:
        yield InputFile(name=PurePosixPath(f.name).name, size=f.size, stream=f)


def upload_too_large(files) -> str | None:
    """Why an upload (the page, the API) is too large to import, or None. Its size counts each file as
    uploaded and each zip archive as it would uncompress; over CORPUS_MAX_UPLOAD_BYTES the import is refused
    before anything is stored, with a message pointing to the command, which has no such limit."""
    limit = settings.CORPUS_MAX_UPLOAD_BYTES
    total = 0
    for f in files:
        size = f.size
        f.seek(0)
        if f.read(4) == ZIP_MAGIC:
            try:
                f.seek(0)
                with zipfile.ZipFile(f) as archive:
                    size = max(size, sum(i.file_size for i in archive.infolist()))
            except ZIP_ENTRY_ERRORS:
                pass  # the import reports a damaged archive with its reason
        f.seek(0)
        total += size
    if total <= limit:
        return None
    return _(
        "This upload holds %(size)s MB of articles; the page and the API import at most %(limit)s MB "
        "(CORPUS_MAX_UPLOAD_BYTES). Import larger files on the server with: python manage.py import_articles "
        "FILE --collection SLUG"
    ) % {"size": number_format(total / 1e6, 1, force_grouping=True),
         "limit": number_format(limit / 1e6, 0, force_grouping=True)}


def _safe_member_name(name: str) -> bool:
    posix = PurePosixPath(name.replace("\\", "/"))
    return not (posix.is_absolute() or ".." in posix.parts or (len(name) > 1 and name[1] == ":"))


def _zip_members(archive: zipfile.ZipFile):
    limits = settings.CORPUS_MAX_ZIP_UNCOMPRESSED_BYTES, settings.CORPUS_MAX_ZIP_ENTRIES
    members = [i for i in archive.infolist() if not i.is_dir()]
    for info in members:
        if not _safe_member_name(info.filename):
            raise ProblemError(
                _("zip entry %(name)r has an absolute path or '..'; the archive was refused") % {"name": info.filename}
            )
    total = sum(i.file_size for i in members)
    if total > limits[0]:
        raise ProblemError(
            _("zip archive would uncompress to %(size)s bytes, over the limit of %(limit)s "
              "(CORPUS_MAX_ZIP_UNCOMPRESSED_BYTES)") % {"size": grouped(total), "limit": grouped(limits[0])}
        )
    if len(members) > limits[1]:
        raise ProblemError(_("zip archive has %(entries)s entries, over the limit of %(limit)s")
                           % {"entries": grouped(len(members)), "limit": grouped(limits[1])})
    for info in sorted(members, key=lambda i: i.filename):
        parts = PurePosixPath(info.filename).parts
        if any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        yield info


def over_file_limit(size: int, max_bytes: int) -> str:
    return _("file is %(size)s bytes, over the limit of %(limit)s (CORPUS_MAX_FILE_BYTES)") % {
        "size": grouped(size), "limit": grouped(max_bytes)}


def _read_file(stream, *, name, size, fmt, encoding, max_bytes):
    if size > max_bytes:
        raise ProblemError(over_file_limit(size, max_bytes))
    head = stream.read(SNIFF_BYTES)
    stream = io.BufferedReader(_Prepend(head, stream))
    if b"\x00" in head and (encoding or "utf-8").lower().replace("_", "-") in UTF8_NAMES:
        raise ProblemError(
            _("binary file (it contains NUL bytes); if it is text, name its encoding with --encoding")
        )
    if not head.strip():
        raise ProblemError(_("empty file"))
    article_format = detect_format(name, head) if fmt == AUTO else get_format(fmt)
    yield from article_format.read(stream, source=name, encoding=encoding, max_bytes=max_bytes)


class _Prepend(io.RawIOBase):
    """A stream that gives back the sniffed head before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head, self.rest = head, rest

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _guard(name: str, generator) -> Iterator[RawArticle | ImportProblem]:
    """Run a reader; a problem it raises ends that file and is reported with the file's name."""
    try:
        for item in generator:
            if isinstance(item, ProblemError):
                yield ImportProblem(name, item.message, item.line)
            else:
                yield item
    except ProblemError as problem:
        yield ImportProblem(name, problem.message, problem.line)


def read_articles(
    inputs, *, fmt: str = AUTO, encoding: str | None = None, max_file_bytes: int | None = None
) -> Iterator[RawArticle | ImportProblem]:
    """Every raw article of every input, in order, with problems in their place. `max_file_bytes`: the
    largest file (or zip entry) read, CORPUS_MAX_FILE_BYTES unless given (the command's local files)."""
    max_bytes = settings.CORPUS_MAX_FILE_BYTES if max_file_bytes is None else max_file_bytes
    if fmt != AUTO:
        get_format(fmt)  # an unknown name fails before anything is read
    for item in inputs:
        if isinstance(item, ImportProblem):
            yield item
            continue
        with item.open() as stream:
            is_zip = item.name.lower().endswith(".zip") or stream.read(4) == ZIP_MAGIC
            stream.seek(0)
            if not is_zip:
                yield from _guard(
                    item.name,
                    _read_file(
                        stream,
                        name=item.name,
                        size=item.size,
                        fmt=fmt,
                        encoding=encoding,
                        max_bytes=max_bytes,
                    ),
                )
                continue
            yield from _guard(item.name, _read_zip(stream, item.name, fmt, encoding, max_bytes))


# What a damaged archive raises while an entry is read: a bad CRC or size (BadZipFile), a corrupted deflate
# stream (zlib.error), a truncated one (EOFError), encryption (RuntimeError), an unknown method.
ZIP_ENTRY_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError)


def _entry_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """An entry read whole and checked (its CRC and declared size) before any article of it is parsed, so
    that a damaged entry is refused as a whole, never half imported."""
    if info.file_size > max_bytes:
        raise ProblemError(over_file_limit(info.file_size, max_bytes))
    try:
        with archive.open(info) as entry:
            data = read_at_most(entry, max_bytes)
    except ZIP_ENTRY_ERRORS as error:
        raise ProblemError(_("the zip entry is damaged and was not read (%(error)s)") % {"error": error}) from None
    if len(data) != info.file_size:
        raise ProblemError(_("the zip entry holds %(size)s bytes, not the %(declared)s it declares")
                           % {"size": grouped(len(data)), "declared": grouped(info.file_size)})
    return data


@contextmanager
def _opened_zip(stream):
    """The archive and its members, checked (corpus limits, no absolute or '..' paths); ProblemError for
    one that is no zip archive."""
    try:
        archive = zipfile.ZipFile(stream)
    except ZIP_ENTRY_ERRORS as error:
        raise ProblemError(_("not a valid zip archive (%(error)s)") % {"error": error}) from None
    with archive:
        try:
            members = list(_zip_members(archive))
        except ZIP_ENTRY_ERRORS as error:
            raise ProblemError(_("not a valid zip archive (%(error)s)") % {"error": error}) from None
        yield archive, members


def _read_zip(stream, name, fmt, encoding, max_bytes):
    with _opened_zip(stream) as (archive, members):
        for info in members:
            member = f"{name}:{info.filename}"
            try:
                data = _entry_bytes(archive, info, max_bytes)
            except ProblemError as problem:
                yield ImportProblem(member, problem.message)
                continue
            yield from _guard(
                member,
                _read_file(
                    io.BytesIO(data), name=member, size=len(data), fmt=fmt, encoding=encoding, max_bytes=max_bytes
                ),
            )


def zip_entries(stream) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each file of a zip archive (annotation archives such as brat's), with the limits of
    the article import: entries and uncompressed size, no absolute or '..' paths, each entry whole and
    checked. ProblemError for the archive, or the first entry, that cannot be read."""
    with _opened_zip(stream) as (archive, members):
        for info in members:
            try:
                yield info.filename, _entry_bytes(archive, info, settings.CORPUS_MAX_FILE_BYTES)
            except ProblemError as problem:
                raise ProblemError(f"{info.filename}: {problem.message}") from None
