"""CoNLL files: a token per line (the first column), the tag in the last column, IOB2; a blank line between
sentences, `-DOCSTART-` between documents (without it, every sentence is a document, or
sentences_per_document of them). Columns are split on spaces and tabs only, and tokens are NFC."""

import re
import unicodedata
from dataclasses import dataclass, field

from .base import Reader, decode_line

COLUMN_SEPARATOR = re.compile(r"[ \t]+")


@dataclass
class ConllDocument:
    line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=list)  # (token, tag, line number)


def read_conll(stream, sentences_per_document: int = 1) -> tuple[list[ConllDocument], list[str]]:
    documents, problems, sentence = [], [], []
    explicit = False
    current = ConllDocument(1)

    def close_sentence():
        nonlocal sentence, current
        if sentence:
            current.sentences.append(sentence)
            sentence = []
            if not explicit and len(current.sentences) >= sentences_per_document:
                documents.append(current)
                current = ConllDocument(0)

    for number, raw in enumerate(stream, 1):
        try:
            line = decode_line(raw, number).rstrip("\n").rstrip("\r")
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        if "\x00" in line:
            problems.append(f"line {number}: it contains a NUL character (a binary file?)")
            continue
        if line.startswith("-DOCSTART-"):
            close_sentence()
            explicit = True
            if current.sentences:
                documents.append(current)
            current = ConllDocument(number)
            continue
        if not line.strip(" \t"):
            close_sentence()
            continue
        # Columns are separated by spaces and tabs only: a no-break space or a line separator inside a
        # token ("10\u00a0000") belongs to the token.
        columns = COLUMN_SEPARATOR.split(line.strip(" \t"))
        if len(columns) < 2:
            problems.append(f"line {number}: a token and a tag are needed, found {line!r}")
            continue
        if not current.line:
            current.line = number
        # The text contract: the document's text is NFC, like every import's.
        sentence.append((unicodedata.normalize("NFC", columns[0]), columns[-1], number))
    close_sentence()
    if current.sentences:
        documents.append(current)
    return documents, problems


class ConllReader(Reader):
    name = "conll"
    description = "CoNLL (token per line, IOB2 tag in the last column)"
    tokenized = True

    def read(self, stream, options):
        documents, problems = read_conll(stream, max(1, options.sentences_per_document))
        return [(0, problem) for problem in problems] + [(doc.line, doc) for doc in documents]
