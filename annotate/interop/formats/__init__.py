"""Every format of annotations, in and out: one row per tool, its reader, its writer and the offset unit it
uses unless told otherwise (`offsets=`). A reader turns a file into records (formats.reading.Reader), a
writer turns records into a file (formats.writing.Writer); each tool's module holds both. An unknown name
raises UnknownFormat, naming the known ones.

    FORMATS["doccano"].reader.read(stream, options)
    FORMATS["doccano"].writer(options, report).write(record)"""

from dataclasses import dataclass

from annotate.interop.formats import brat, conll, doccano, jsonl, labelstudio, spacy, xmi
from annotate.interop.formats.reading import Reader, ReadOptions, UnknownFormat
from annotate.interop.formats.writing import ExportReport, Writer


@dataclass(frozen=True)
class Format:
    name: str
    tool: str
    reader: Reader | None  # None: not read
    writer: type[Writer] | None  # None: not written
    unit: str  # offsets in files of this tool, unless the user names another: codepoints, utf16, or tokens


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", "Haber (ours)", jsonl.JsonlReader(), jsonl.JsonlWriter, jsonl.UNIT),
    Format("conll", "CoNLL-2003 / TSV", conll.ConllReader(), conll.ConllWriter, "tokens"),
    Format("doccano", "doccano", doccano.DoccanoReader(), doccano.DoccanoWriter, doccano.UNIT),
    Format("labelstudio", "Label Studio", labelstudio.LabelStudioReader(), labelstudio.LabelStudioWriter,
           labelstudio.UNIT),
    Format("spacy", "spaCy DocBin", spacy.SpacyDocBinReader(), spacy.SpacyWriter, "tokens"),
    Format("brat", "brat standoff", brat.BratReader(), brat.BratWriter, brat.UNIT),
    Format("xmi", "INCEpTION (UIMA CAS XMI)", xmi.XmiReader(), xmi.XmiWriter, "utf16 (converted by dkpro-cassis)"),
)}
READERS: dict[str, Reader] = {name: f.reader for name, f in FORMATS.items() if f.reader is not None}
WRITERS: dict[str, type[Writer]] = {name: f.writer for name, f in FORMATS.items() if f.writer is not None}


def _known(name: str, table: dict, what: str):
    try:
        return table[name]
    except KeyError:
        raise UnknownFormat(f"format {name!r} is not one of: {', '.join(table)}{what}") from None


def get_reader(name: str) -> Reader:
    return _known(name, READERS, "")


def get_writer(name: str, options, report: ExportReport | None = None) -> Writer:
    """A writer of the named format over these options (its report: a new one unless given)."""
    return _known(name, WRITERS, "")(options, report if report is not None else ExportReport())


__all__ = ["FORMATS", "READERS", "WRITERS", "ExportReport", "Format", "ReadOptions", "Reader", "UnknownFormat",
           "Writer", "get_reader", "get_writer"]
