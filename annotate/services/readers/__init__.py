"""Annotation files in: one reader per format behind one small interface (readers.base.Reader), found by
name here, as the export writers are (annotate.export). An unknown name raises UnknownFormat."""

from .base import OFFSET_UNITS, Reader, ReadOptions, UnknownFormat
from .conll import ConllDocument, ConllReader
from .doccano import DoccanoReader
from .jsonl import JsonlReader
from .labelstudio import LabelStudioReader
from .spacy_docbin import SpacyDocBinReader

READERS: dict[str, Reader] = {r.name: r for r in (JsonlReader(), ConllReader(), DoccanoReader(), LabelStudioReader(),
                                                  SpacyDocBinReader())}


def get_reader(name: str) -> Reader:
    try:
        return READERS[name]
    except KeyError:
        raise UnknownFormat(f"format {name!r} is not one of: {', '.join(READERS)}") from None


__all__ = ["OFFSET_UNITS", "READERS", "ConllDocument", "ReadOptions", "Reader", "UnknownFormat", "get_reader"]
