"""Plain text: the whole file is one article."""

from .base import ArticleFormat, RawArticle, decode, read_whole


class PlainTextFormat(ArticleFormat):
    name = "txt"
    extensions = (".txt", ".text")
    description = "one article per file, the whole file is the text"

    def sniff(self, head):
        return True

    def read(self, stream, *, source, encoding, max_bytes):
        yield RawArticle(text=decode(read_whole(stream, max_bytes), encoding), source=source, line=1)
