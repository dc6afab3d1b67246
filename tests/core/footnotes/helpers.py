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


def _load_make_cases():
    """The fixture generator tests/fixtures/pdf/make_cases.py (not a package), loaded once."""
    import importlib.util

    from tests.conftest import FIXTURES

    spec = importlib.util.spec_from_file_location("make_cases", FIXTURES / "pdf" / "make_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_cases = _load_make_cases()
Sheet = make_cases.Sheet


def draw_and_split(tmp_path, name: str, draw) -> NoteSplit:
    """Draw one case with ``Sheet`` into ``tmp_path/name.pdf``, then parse and split it."""
    from pipeline.core.layout import parse_document

    path = tmp_path / f"{name}.pdf"
    sheet = Sheet(path)
    draw(sheet)
    sheet.save()
    return split_notes(parse_document(path, doc_id=name))
