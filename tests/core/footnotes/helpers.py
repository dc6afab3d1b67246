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


#: two columns of body text with raised markers 1-5, shared by the two-column page cases
TWO_COLUMNS_LEFT = [
    "The harbour was rebuilt after the storm of 1953,",
    "when the old quays were lost to the sea.^{1} The",
    "new quays were longer and higher, and they were",
    "built of concrete instead of the old stone blocks",
    "that the town had quarried on the hill for three",
    "centuries before the railway came to the coast.",
    "Fishermen complained that the new basin was too",
    "deep for their boats at low tide.^{2} Their union",
    "asked for a floating pontoon, which was built in",
]
TWO_COLUMNS_RIGHT = [
    "the following spring at the town's own cost. The",
    "pontoon still serves the small boats today.^{3}",
    "Trade in the harbour grew for twenty years, then",
    "fell when the container port opened further up",
    "the coast. The quays were given over to leisure",
    "craft in the nineties.^{4} The fish market moved",
    "to a hall on the edge of the town, and the old",
    "market became a museum of the harbour and of the",
    "families who worked in it for generations.^{5}",
]
