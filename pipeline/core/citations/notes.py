"""Notes -> citations: each citation's place in its note, its repaired URLs and its id.

A note is split into citations (``split``), each citation is parsed (``fields``) with the note's
italics at the right offset and the note's repaired URLs, and the repeats of the whole document
are linked to what they repeat (``references``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import asdict

from pipeline.core.citations.fields import parse_citation
from pipeline.core.citations.references import resolve_references
from pipeline.core.citations.split import split_citations
from pipeline.core.models import Citation, Note


def citation_id(doc_id: str, footnote: int, position: int) -> str:
    """A stable id: the document, the note number and the position in the note."""
    return hashlib.sha1(f"{doc_id}|{footnote}|{position}".encode()).hexdigest()[:16]


def parse_citations(doc_id: str, notes: Sequence[Note]) -> list[Citation]:
    """Every note -> one or more citations, in note order, with repeats linked (``refers_to``)."""
    out: list[Citation] = []
    for note in notes:
        parts = split_citations(note.text)
        spans = _spans(note.text, parts)
        urls = _assign_urls(note, spans) if parts else []
        for pos, (part, (start, _), part_urls) in enumerate(zip(parts, spans, urls, strict=True)):
            fields = parse_citation(part, italics=note.italics, offset=start, urls=part_urls)
            out.append(
                Citation(
                    citation_id=citation_id(doc_id, note.number, pos),
                    footnote_number=note.number,
                    position=pos,
                    raw_text=part,
                    **asdict(fields),
                )
            )
    return resolve_references(out)


def _spans(text: str, parts: Sequence[str]) -> list[tuple[int, int]]:
    """Where each citation stands in its note's text, in order."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for part in parts:
        at = text.find(part, offset)
        at = offset if at < 0 else at
        spans.append((at, at + len(part)))
        offset = at + len(part)
    return spans


def _assign_urls(note: Note, spans: Sequence[tuple[int, int]]) -> list[list[str]]:
    """The note's repaired URLs, each given to every citation whose text holds it (a URL printed
    twice in a note belongs to both citations)."""
    out: list[list[str]] = [[] for _ in spans]
    norm_text = note.text
    for ref in note.urls:
        forms = [ref.raw_url, *(a for a in ref.alternatives), ref.url]
        found: list[int] = []
        for form in forms:
            bare = re.sub(r"(?i)^https?://", "", form) if form else ""
            hits = list(re.finditer(re.escape(bare), norm_text)) if bare else []
            # every printing of the whole URL; else where it first appears (as before)
            found = [m.start() for m in hits if _whole(norm_text, m.end())] or [m.start() for m in hits[:1]]
            if found:
                break
        owners = {i for at in found for i, (s, e) in enumerate(spans) if s <= at < e}
        # Not printed in the text (a link annotation only): the last citation of the note.
        for idx in sorted(owners) or [len(spans) - 1]:
            if ref.url not in out[idx]:
                out[idx].append(ref.url)
    return out


def _whole(text: str, end: int) -> bool:
    """The URL printed up to ``end`` stops there (it is not the start of a longer URL)."""
    nxt = text[end : end + 2]
    if not nxt:
        return True
    return not (nxt[0].isalnum() or nxt[0] in "/-_%?=&#~+" or (nxt[0] == "." and nxt[1:].isalnum()))
