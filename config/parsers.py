"""The API's JSON parser: the body parsed as hostile input (corpus.jsonsafe), so that NaN, NUL, lone
surrogates or 5,000 levels of nesting are a 400 naming the problem, never a 500."""


from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from corpus.jsonsafe import JsonRefused, parse_json


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            return parse_json(stream.read().decode(encoding))
        except UnicodeDecodeError:
            raise ParseError(_("The body is not valid %(encoding)s.") % {"encoding": encoding}) from None
        except JsonRefused as refused:
            raise ParseError(_("The body is not usable JSON: %(reason)s") % {"reason": refused}) from None
