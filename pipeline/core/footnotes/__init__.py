"""Footnotes: split a laid-out document into body paragraphs and notes, and link the markers.

Evidence for the notes zone of a page or column (from ``layout``): a separator rule starting at
the column's left edge with nothing but note text below it, smaller font than the body, a place
at the bottom of the column, and lines that start with the next expected note number. Endnotes
are the lines after a "Notes"/"Endnotes" heading (or "References"/"Links" when the document has
no footnotes). Note numbers are read in sequence, so a year or a volume number at the start of a
continuation line is not taken for a new note. Author notes marked ``*``/``†`` are not numbered
notes; they are kept as ``other`` paragraphs.

Where each decision lives:

``markers``         marker and note labels ("5,6", "7–9", "12.", "[4]"), linking markers to notes,
                    numbering problems, and whether a split is usable (``quality_problems``)
``pdf_split``       the PDF pipeline: which part of the document each line belongs to (body,
                    endnotes after a notes heading, a bibliography)
``pdf_zones``       the notes zone of a column: separator rule, small print, bottom of the column,
                    notes headings, boxes ("About the author") that are not notes
``pdf_margin``      notes set in the margin beside the body (sidenotes), aligned with their markers
``pdf_band``        notes in a full-width band under the columns, labelled at body size
``pdf_front``       a title page's byline and affiliations: raised numbers that are not markers
``pdf_notes``       note lines grouped into notes by labels read in sequence; each note's text
``pdf_body``        body paragraphs, headings and captions of a PDF, markers taken out
``text_split``      the plain-text pipeline: extraction debris removed, blocks read
``text_pieces``     text lines read into labelled notes, note fragments and body text
``text_fragments``  fragments matched to the notes they continue (two-column interleaving)
``text_notes``      a text note's parts joined, its words and URLs repaired from the document's spellings
``text_body``       body paragraphs of text input, markers in text told from counts and years
``cues``            how a stretch of text starts and ends (a URL cut, a citation, a year), for both
"""

from __future__ import annotations

from pipeline.core.footnotes.markers import (
    NoteLabel,
    link_markers,
    marker_spans,
    parse_marker_label,
    parse_note_label,
    quality_problems,
)
from pipeline.core.footnotes.pdf_split import split_pdf
from pipeline.core.footnotes.pdf_zones import heads_a_box
from pipeline.core.footnotes.text_split import split_text
from pipeline.core.models import NoteSplit, ParsedDocument

__all__ = [
    "NoteLabel",
    "heads_a_box",
    "link_markers",
    "marker_spans",
    "parse_marker_label",
    "parse_note_label",
    "quality_problems",
    "split_notes",
]


def split_notes(doc: ParsedDocument) -> NoteSplit:
    """Body paragraphs with their markers, the notes, and numbering problems."""
    if doc.kind == "txt":
        paragraphs, notes = split_text(doc)
    else:
        paragraphs, notes = split_pdf(doc)
    issues = link_markers(paragraphs, notes)
    split = NoteSplit(
        doc_id=doc.doc_id,
        sha256=doc.sha256,
        title=doc.title,
        paragraphs=paragraphs,
        notes=notes,
        issues=issues,
    )
    # the verdict travels with the record: the blocking check and the dataset read it there
    return split.model_copy(update={"problems": quality_problems(split)})
