"""Fields from the tagger's labels: the first run of each label, cleaned as the rules clean theirs.

``tagger`` says which tokens are authors, title, container; this module turns those runs into
the stored fields (authors split into people, "In" and quotes dropped). ``fields`` decides when
these win over the rules: where the rules had no typographic evidence (quotes, italics).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.citations.names import find_authors
from pipeline.core.citations.segments import clean
from pipeline.core.citations.tagger import Token, tag


@dataclass(frozen=True)
class TaggedFields:
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    container: str | None = None


def _first_run(tagged: Sequence[tuple[Token, str]], label: str) -> tuple[int, int] | None:
    """Where the first run of ``label`` starts and ends in the text."""
    start = end = None
    for tok, lab in tagged:
        if lab == label:
            start = tok.start if start is None else start
            end = tok.end
        elif start is not None:
            break
    return (start, end) if start is not None and end is not None else None


def _field(text: str, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    value = text[span[0] : span[1]]
    value = re.sub(r"^(?:[Ii]n:?\s+|[Dd]ans\s+)", "", value.strip())
    value = value.strip(" .,;:([\u00ab\u00bb")
    value = re.sub(r"[\u201d\u2019\"']?\s*\($", "", value)
    if value.endswith(")") and value.count("(") < value.count(")"):
        value = value[:-1]
    return clean(value.rstrip(".")) if not re.search(r"\b[A-Z]\.$", value) else clean(value)


def _authors(text: str, span: tuple[int, int] | None) -> list[str]:
    """People of the author run; an organisation, or a list the rules cannot split, as printed."""
    if span is None:
        return []
    head = text[span[0] : span[1]]
    # an organisation is one author; a run with commas that are not between people is no author
    return find_authors(head, allow_org="," not in head)


def read_tagged(text: str, italic: Sequence[tuple[int, int]] = ()) -> TaggedFields:
    """Authors, title and container of one citation as the tagger reads it."""
    tagged = tag(text, italic)
    return TaggedFields(
        authors=_authors(text, _first_run(tagged, "author")),
        title=_field(text, _first_run(tagged, "title")),
        container=_field(text, _first_run(tagged, "container")),
    )
