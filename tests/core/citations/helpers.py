"""Notes as the footnotes step makes them, for the citation tests."""

from pipeline.core.models import Note
from pipeline.core.text import extract_url_refs


def note(number: int, text: str, **extra) -> Note:
    """A note as the footnotes step makes it: URLs found in its text."""
    return Note(number=number, label=str(number), text=text, page=1, urls=extract_url_refs(text), **extra)


def notes(*texts: str) -> list[Note]:
    return [note(i, t) for i, t in enumerate(texts, 1)]
