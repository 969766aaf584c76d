"""JSON from outside, parsed as hostile input: every way a document can break a later step is refused here
with a message, instead of crashing there.

* NaN, Infinity and numbers too large for a float (1e400): not JSON by its RFC; PostgreSQL refuses them.
* NUL (\\u0000) anywhere, in a key or a value: PostgreSQL cannot store it in text or in jsonb.
* Half a surrogate pair (\\ud800 alone): not a character; no text can hold it.
* Nesting deeper than the parser's recursion: refused, not a RecursionError."""

import json
import math
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .text import lone_surrogate, lone_surrogate_message

# Only a document with the escape of half a surrogate pair can decode to a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class JsonRefused(ValueError):
    """The document is not JSON we accept; str() says why, for a person."""


def _constant(name: str):
    raise JsonRefused(_("%(name)s is not a JSON number") % {"name": name})


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(_("the number %(number)s is too large") % {"number": text[:40]})
    return value


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float)
_OPENING = re.compile(r"[ \t\n\r]*\[[ \t\n\r]*")
_BETWEEN = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")


def _position(line: int, column: int) -> str:
    if line == 1:
        return _("column %(column)s") % {"column": column}
    return _("line %(line)s, column %(column)s") % {"line": line, "column": column}


def _refuse_nul(text: str) -> None:
    if "\x00" in text or "\\u0000" in text:
        raise JsonRefused(_("it contains a NUL character (\\u0000), which cannot be stored"))


def _decoded(decode, text: str, at: int = 0):
    """decode(text, at) with the decoder's errors told as JsonRefused."""
    try:
        return decode(text, at)
    except json.JSONDecodeError as error:
        raise JsonRefused(malformed(error.msg, _position(error.lineno, error.colno))) from None
    except RecursionError:
        raise JsonRefused(_("it is nested too deeply")) from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise JsonRefused(_("not usable JSON: %(error)s") % {"error": error}) from None


def malformed(reason: str, where: str) -> str:
    """Python's own words for what is wrong (English), in a sentence of the person's language."""
    return _("malformed JSON: %(reason)s (%(where)s)") % {"reason": reason, "where": where}


def parse_json(text: str):
    """json.loads with the checks above; raises JsonRefused."""
    _refuse_nul(text)
    value = _decoded(lambda t, _at: _DECODER.decode(t), text)
    if _SURROGATE_ESCAPE.search(text) and (escape := lone_surrogate(value)):
        raise JsonRefused(lone_surrogate_message(escape))
    return value


def parse_json_list(text: str) -> Iterator:
    """The items of a JSON list, one at a time, with parse_json's checks: a large file is parsed as it is
    read rather than all at once before its first item (the items before a break come first, then
    JsonRefused for the break). A document that is not a list raises JsonRefused before any item."""
    opening = _OPENING.match(text)
    if not opening:
        parse_json(text)  # its own problem if it is not JSON; otherwise it is JSON but no list
        raise JsonRefused("the file must be a JSON list")
    _refuse_nul(text)
    surrogates = bool(_SURROGATE_ESCAPE.search(text))  # only then is an item worth searching
    at = opening.end()
    if text.startswith("]", at):
        return _end(text, at + 1)
    while True:
        item, at = _decoded(_DECODER.raw_decode, text, at)
        if surrogates and (escape := lone_surrogate(item)):
            raise JsonRefused(lone_surrogate_message(escape))
        yield item
        between = _BETWEEN.match(text, at)
        if between is None:
            raise JsonRefused(_("malformed JSON: expected ',' or ']' (%(where)s)") % {"where": _at(text, at)})
        at = between.end()
        if between.group(1) == "]":
            return _end(text, at)


def _at(text: str, at: int) -> str:
    return _position(text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))


def _end(text: str, at: int) -> None:
    if text[at:].strip(" \t\n\r"):
        raise JsonRefused(_("malformed JSON: extra data after the list (%(where)s)") % {"where": _at(text, at)})
