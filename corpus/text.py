"""The text contract: what we store is exactly this normalization of what came in, and nothing more.

Stored text is Unicode NFC with LF line endings and no byte-order mark. Everything else, boilerplate
included, stays, because it is to be annotated. Offsets everywhere are code points, end-exclusive, into
the stored text.
"""

import hashlib
import json
import unicodedata

BOM = "\ufeff"


def normalize_text(text: str) -> str:
    """NFC, CRLF and lone CR to LF, no leading BOM (not even a doubled one). Idempotent."""
    text = text.lstrip(BOM)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_blank(text: str) -> bool:
    """True for empty text and text made only of whitespace (NBSP, thin space and newlines included)."""
    return not text or text.isspace()


def derive_title(text: str, limit: int = 160) -> str:
    """A display title for documents that bring none: the first non-blank line, shortened."""
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def lone_surrogate(value) -> str | None:
    """The first lone UTF-16 surrogate in a decoded JSON value (strings and keys), written as an escape
    ("\\ud800"), or None. JSON may escape half a surrogate pair and Python decodes it to a lone surrogate,
    which is not a character: no database stores it and no tokenizer reads it."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"\\u{ord(exc.object[exc.start]):04x}"
    return None


def lone_surrogate_message(escape: str) -> str:
    return f"{escape} is half of a UTF-16 surrogate pair without its other half, not a character"
