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

from .text import lone_surrogate, lone_surrogate_message

# Only a document with the escape of half a surrogate pair can decode to a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class JsonRefused(ValueError):
    """The document is not JSON we accept; str() says why, for a person."""


def _constant(name: str):
    raise JsonRefused(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(f"the number {text[:40]} is too large")
    return value


def parse_json(text: str):
    """json.loads with the checks above; raises JsonRefused."""
    if "\x00" in text or "\\u0000" in text:
        raise JsonRefused("it contains a NUL character (\\u0000), which cannot be stored")
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float)
    except json.JSONDecodeError as error:
        raise JsonRefused(f"malformed JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise JsonRefused("it is nested too deeply") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise JsonRefused(f"not usable JSON: {error}") from None
    if _SURROGATE_ESCAPE.search(text) and (escape := lone_surrogate(value)):
        raise JsonRefused(lone_surrogate_message(escape))
    return value


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float)
_OPENING = re.compile(r"[ \t\n\r]*\[[ \t\n\r]*")
_BETWEEN = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")


def parse_json_list(text: str) -> Iterator:
    """The items of a JSON list, one at a time, with parse_json's checks: a large file is parsed as it is
    read rather than all at once before its first item (the items before a break come first, then
    JsonRefused for the break). A document that is not a list raises JsonRefused before any item."""
    if not _OPENING.match(text):
        parse_json(text)  # its own problem if it is not JSON; otherwise it is JSON but no list
        raise JsonRefused("the file must be a JSON list")
    if "\x00" in text or "\\u0000" in text:
        raise JsonRefused("it contains a NUL character (\\u0000), which cannot be stored")
    surrogates = bool(_SURROGATE_ESCAPE.search(text))  # only then is an item worth searching
    at = _OPENING.match(text).end()
    if text.startswith("]", at):
        return _end(text, at + 1)
    while True:
        try:
            item, at = _DECODER.raw_decode(text, at)
        except json.JSONDecodeError as error:
            raise JsonRefused(f"malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
        except RecursionError:
            raise JsonRefused("it is nested too deeply") from None
        except ValueError as error:
            raise JsonRefused(f"not usable JSON: {error}") from None
        if surrogates and (escape := lone_surrogate(item)):
            raise JsonRefused(lone_surrogate_message(escape))
        yield item
        between = _BETWEEN.match(text, at)
        if between is None:
            line = text.count("\n", 0, at) + 1
            raise JsonRefused(f"malformed JSON: expected ',' or ']' (line {line}, column {at - text.rfind(chr(10), 0, at)})")
        at = between.end()
        if between.group(1) == "]":
            return _end(text, at)


def _end(text: str, at: int) -> None:
    if text[at:].strip(" \t\n\r"):
        line = text.count("\n", 0, at) + 1
        raise JsonRefused(f"malformed JSON: extra data after the list (line {line})")
