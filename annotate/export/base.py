"""The writer interface and the export report. One module per format; the registry is in __init__."""

from dataclasses import dataclass, field

from .options import ExportOptions
from .records import ExportRecord

MAX_LISTED = 10_000


@dataclass
class ExportReport:
    """What an export changed or left out, so nothing is lost silently. Counts are exact; the list of
    misaligned spans keeps the first MAX_LISTED so that memory stays flat on a million documents."""

    records: int = 0
    documents: set = field(default_factory=set)
    entities: int = 0
    misaligned: list[dict] = field(default_factory=list)
    misaligned_count: int = 0
    nested_left_out: int = 0

    def add_misaligned(self, entry: dict) -> None:
        self.misaligned_count += 1
        if len(self.misaligned) < MAX_LISTED:
            self.misaligned.append(entry)

    def summary(self) -> dict:
        return {
            "records": self.records,
            "documents": len(self.documents),
            "entities": self.entities,
            "misaligned": self.misaligned_count,
            "nested_left_out": self.nested_left_out,
        }

    def as_dict(self) -> dict:
        listed = {"misaligned_spans": self.misaligned}
        if self.misaligned_count > len(self.misaligned):
            listed["misaligned_not_listed"] = self.misaligned_count - len(self.misaligned)
        return {**self.summary(), **listed}


class Writer:
    """Turns records into text, a piece at a time."""

    content_type = "text/plain; charset=utf-8"
    extension = "txt"
    binary = False  # True: the pieces are bytes

    def __init__(self, options: ExportOptions, report: ExportReport):
        self.options = options
        self.report = report

    def header(self) -> str:
        return ""

    def footer(self) -> str:
        return ""

    def write(self, record: ExportRecord) -> str:
        raise NotImplementedError
