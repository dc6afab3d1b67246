"""Notes given as plain text, one per line -> their citations (``python -m pipeline cite``).

Each line is one note of one document, numbered from 1, so ``Ibid.`` and ``supra`` repeats are
linked across lines as in a PDF's notes. URLs are found and repaired as in a note's text, and
those printed with spaces inside (a line break copied as a space) are joined; a
line without a citation (blank, or prose only) still gives one result, so results line up with
the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.core.citations.notes import parse_citations
from pipeline.core.citations.spaced_urls import with_spaced_urls
from pipeline.core.models import Note
from pipeline.core.text.linejoin import extract_url_refs

#: the document id that citation ids are made from; the notes of one input are one document
CITE_DOC_ID = "cite"


def cite_notes(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One ``{"note": N, "citations": [...]}`` per line, with the fields of ``citations.parquet``."""
    notes = []
    for number, line in enumerate(lines, start=1):
        text = " ".join(line.split())
        urls = with_spaced_urls(text, extract_url_refs(text))
        notes.append(Note(number=number, label=str(number), text=text, page=0, urls=urls))
    citations = parse_citations(CITE_DOC_ID, [n for n in notes if n.text])
    by_note: dict[int, list[dict[str, Any]]] = {n.number: [] for n in notes}
    for c in citations:
        by_note[c.footnote_number].append(c.model_dump(mode="json"))
    for number, found in by_note.items():
        yield {"note": number, "citations": found}
