"""The wire-service seed format: ` date YYYY-MM-DD ` and the article text on the same line."""

import re

from django.utils.translation import gettext as _

from .base import ArticleFormat, ProblemError, RawArticle, decode, parse_date, read_whole

HEADER = re.compile(r"^\ufeff?[ \t]*date[ \t]+(\S+)[ \t]")
HEADER_BYTES = re.compile(rb"^(\xef\xbb\xbf)?[ \t]*date[ \t]+\d{4}-\d{2}-\d{2}[ \t]")


class SeedFormat(ArticleFormat):
    name = "seed"
    extensions = (".txt",)
    description = "one article per file, starting with ' date YYYY-MM-DD ' and the text on the same line"

    def sniff(self, head):
        return bool(HEADER_BYTES.match(head))

    def read(self, stream, *, source, encoding, max_bytes):
        raw = decode(read_whole(stream, max_bytes), encoding)
        match = HEADER.match(raw)
        if not match:
            raise ProblemError(_("does not start with ' date YYYY-MM-DD ' (the seed format's header)"), 1)
        published_on = parse_date(match.group(1), 1)
        yield RawArticle(text=raw[match.end() :], source=source, line=1, published_on=published_on)
