"""Paragraphs built the way ``footnotes`` builds them: marker-free text, markers at offsets."""

import re

from pipeline.core.models import Marker, NoteSplit, Paragraph


def paragraph(marked: str) -> NoteSplit:
    """A paragraph from text with markers written [^N] (as in the gold article.json)."""
    text, markers = "", []
    for piece in re.split(r"(\[\^\d+\])", marked):
        m = re.fullmatch(r"\[\^(\d+)\]", piece)
        if m:
            n = int(m.group(1))
            markers.append(Marker(number=n, label=str(n), page=1, paragraph=0, offset=len(text)))
        else:
            text += piece
    return NoteSplit(
        doc_id="doc", sha256="s", paragraphs=[Paragraph(index=0, page=1, text=text, markers=markers)]
    )
