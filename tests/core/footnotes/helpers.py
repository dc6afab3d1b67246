"""Shared helpers of the footnotes tests: plain-text input split into notes and body."""

from pipeline.core.footnotes import split_notes
from pipeline.core.layout import read_text
from pipeline.core.models import NoteSplit

# A body line long enough that the document reads as "one paragraph per line" (unwrapped), the
# shape of extractions that turned line-end hyphens into hyphens inside lines.
LONG = (
    "Officials said the review would take months and that nothing had been decided, while critics "
    "argued that the delay itself was a decision."
)


def read_and_split(text: str) -> NoteSplit:
    """``text`` read as a .txt document and split into notes and body."""
    doc = read_text(text.encode(), doc_id="t", source_path="t.txt", sha256="0" * 64)
    return split_notes(doc)


def marked(split: NoteSplit) -> list[tuple[int, str]]:
    """Each marker's number and the paragraph text before it."""
    return [(m.number, p.text[: m.offset]) for p in split.paragraphs for m in p.markers]
