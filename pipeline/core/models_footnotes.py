"""The ``footnotes`` table's row: part of the contract in ``models.py``, which re-exports it.

Kept in a file of its own so the contract can grow without ``models.py`` passing the size limit.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FootnoteRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(description="the document (documents.doc_id)")
    number: int = Field(description="the note's number")
    text: str = Field(description="the note's text, lines joined, continuation pages included")
    page: int = Field(description="page where the note starts")
    urls: list[str] = Field(description="URLs in the note, repaired where the layout broke them")
    raw_urls: list[str] = Field(default_factory=list, description="the same URLs as printed")
    url_alternatives: list[str] = Field(
        default_factory=list, description="other readings of ambiguous line-break hyphens"
    )
    has_marker: bool = Field(False, description="a marker in the body points to this note")
    link_only_urls: list[str] = Field(
        default_factory=list,
        description=(
            "those of urls that the note does not print: targets of link annotations behind other "
            "text (a hyperlinked title), to be checked like the others and told apart from them"
        ),
    )
