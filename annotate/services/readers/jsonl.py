"""Our own JSON Lines, as the export writes it: offsets in code points of `text`."""

from .base import Reader, json_records


class JsonlReader(Reader):
    name = "jsonl"
    description = "our JSON Lines (what the jsonl export writes)"

    def read(self, stream, options):
        return json_records(stream)
