"""Article formats behind one interface, found by name in a registry."""

from .base import ArticleFormat, ImportProblem, ProblemError, RawArticle
from .jsonl import JsonLinesFormat
from .plaintext import PlainTextFormat
from .seed import SeedFormat

FORMATS: dict[str, ArticleFormat] = {f.name: f for f in (SeedFormat(), JsonLinesFormat(), PlainTextFormat())}
AUTO = "auto"


class UnknownFormatError(ValueError):
    def __init__(self, name):
        super().__init__(f"unknown format {name!r}; valid formats: {', '.join([AUTO, *FORMATS])}")


def get_format(name: str) -> ArticleFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(name) from None


def detect_format(filename: str, head: bytes) -> ArticleFormat:
    """By extension first (.jsonl, .txt), then by content; a .txt that starts with the seed header is seed."""
    lower = filename.lower()
    if lower.endswith(JsonLinesFormat.extensions):
        return FORMATS["jsonl"]
    if FORMATS["seed"].sniff(head):
        return FORMATS["seed"]
    if not lower.endswith(PlainTextFormat.extensions) and FORMATS["jsonl"].sniff(head):
        return FORMATS["jsonl"]
    return FORMATS["txt"]


__all__ = [
    "AUTO",
    "FORMATS",
    "ArticleFormat",
    "ImportProblem",
    "ProblemError",
    "RawArticle",
    "UnknownFormatError",
    "detect_format",
    "get_format",
]
