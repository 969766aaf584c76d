"""The writer interface and the export report. One module per format; the registry is in __init__."""

from dataclasses import dataclass, field

from .options import ExportOptions
from .records import ExportRecord


@dataclass
class ExportReport:
    """What an export changed or left out, so nothing is lost silently."""

    records: int = 0
    documents: set = field(default_factory=set)
    entities: int = 0
    misaligned: list[dict] = field(default_factory=list)
    nested_left_out: int = 0

    def summary(self) -> dict:
        return {
            "records": self.records,
            "documents": len(self.documents),
            "entities": self.entities,
            "misaligned": len(self.misaligned),
            "nested_left_out": self.nested_left_out,
        }

    def as_dict(self) -> dict:
        return {**self.summary(), "misaligned_spans": self.misaligned}


class Writer:
    """Turns records into text, a piece at a time."""

    content_type = "text/plain; charset=utf-8"
    extension = "txt"

    def __init__(self, options: ExportOptions, report: ExportReport):
        self.options = options
        self.report = report

    def header(self) -> str:
        return ""

    def write(self, record: ExportRecord) -> str:
        raise NotImplementedError
