"""JSON Lines: one article per line, `text` required; `id`, `title`, `published_on` or `date`,
`language`, `url`, `meta` optional. Other keys are kept in `meta`."""

from django.utils.translation import gettext as _

from ..jsonsafe import JsonRefused, parse_json
from .base import LANGUAGE_CODE, ArticleFormat, ProblemError, RawArticle, decode, parse_date, too_large

KNOWN_KEYS = {"text", "id", "title", "published_on", "date", "language", "url", "meta"}


def _string(obj, key, line, limit):
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, int | float) and key == "id":
        value = str(value)
    if not isinstance(value, str):
        raise ProblemError(_("`%(key)s` must be a string, not %(type)s") % {"key": key, "type": type(value).__name__},
                           line)
    if len(value) > limit:
        raise ProblemError(_("`%(key)s` is longer than %(limit)s characters") % {"key": key, "limit": limit}, line)
    return value


def article_from_object(obj, *, source, line) -> RawArticle:
    if not isinstance(obj, dict):
        raise ProblemError(_("expected a JSON object, found %(type)s") % {"type": type(obj).__name__}, line)
    if "text" not in obj:
        raise ProblemError(_("the object has no `text`"), line)
    if not isinstance(obj["text"], str):
        raise ProblemError(_("`text` must be a string"), line)
    language = _string(obj, "language", line, 16) or None
    if language is not None and not LANGUAGE_CODE.match(language):
        raise ProblemError(_("`language` %(value)r is not a language code like 'tr' or 'sq'") % {"value": language}, line)
    url = _string(obj, "url", line, 2000)
    if url and not url.startswith(("http://", "https://")):
        raise ProblemError(_("`url` %(value)r is not an http(s) address") % {"value": url[:80]}, line)
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise ProblemError(_("`meta` must be an object"), line)
    extra = {k: v for k, v in obj.items() if k not in KNOWN_KEYS}
    date_key = "published_on" if obj.get("published_on") not in (None, "") else "date"
    return RawArticle(
        text=obj["text"],
        source=source,
        line=line,
        external_id=_string(obj, "id", line, 500),
        title=_string(obj, "title", line, 500),
        published_on=parse_date(obj.get(date_key), line),
        language=language,
        url=url,
        meta={**extra, **meta},
    )


class JsonLinesFormat(ArticleFormat):
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")
    description = (
        "one JSON object per line with `text` and optional id, title, published_on, language, url, meta"
    )

    def sniff(self, head):
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")

    def read(self, stream, *, source, encoding, max_bytes):
        """Stream line by line: memory stays flat however many articles the file holds."""
        offset = 0
        for number, raw_line in enumerate(stream, start=1):
            start, offset = offset, offset + len(raw_line)
            if offset > max_bytes:
                raise ProblemError(too_large(max_bytes))
            try:
                line = decode(raw_line, encoding, number, start)
                if number == 1:
                    line = line.removeprefix("\ufeff")
                if not line.strip():
                    continue
                try:
                    obj = parse_json(line)
                except JsonRefused as refused:
                    raise ProblemError(str(refused), number) from None
                yield article_from_object(obj, source=source, line=number)
            except ProblemError as problem:
                yield problem
