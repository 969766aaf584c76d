"""The server's one place for UTF-16 offsets. Everything stored is in code points (end-exclusive); the
browser and JavaScript consumers speak UTF-16 code units, where a character outside the BMP (🇹🇷, 👍🏽)
counts twice. Combining marks and Turkish İ/ı are one code point each in NFC text and one code unit each."""


import re
from bisect import bisect_right

from django.utils.translation import gettext as _

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Index:
    """Conversions for one text, O(log n) each after an O(n) table of the astral characters."""

    def __init__(self, text: str):
        self.text = text
        # Code-point positions of the astral characters (none in most text: one C-speed test says so).
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []

    @property
    def has_astral(self) -> bool:
        """Whether any character takes two UTF-16 code units (if not, the two units agree everywhere)."""
        return bool(self._astral)

    def to_utf16(self, cp: int) -> int:
        if not 0 <= cp <= len(self.text):
            raise ValueError(_("offset %(offset)s is outside the text (0–%(length)s)") % {
                "offset": cp, "length": len(self.text)})
        return cp + bisect_right(self._astral, cp - 1)

    def to_code_points(self, u16: int) -> int:
        """The code-point offset of a UTF-16 offset; an offset inside a surrogate pair is an error."""
        if u16 < 0:
            raise ValueError(_("offset %(offset)s is negative") % {"offset": u16})
        if not self._astral:  # every character is one code unit
            if u16 > len(self.text):
                raise ValueError(_inside(u16))
            return u16
        low, high = 0, len(self.text)
        while low < high:  # the smallest cp with to_utf16(cp) >= u16
            mid = (low + high) // 2
            if self.to_utf16(mid) < u16:
                low = mid + 1
            else:
                high = mid
        if low > len(self.text) or self.to_utf16(low) != u16:
            raise ValueError(_inside(u16))
        return low


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _inside(u16: int) -> str:
    return _("UTF-16 offset %(offset)s is inside a character or past the end of the text") % {"offset": u16}
