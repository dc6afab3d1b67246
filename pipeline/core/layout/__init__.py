"""Layout: a PDF (via pdfplumber) or a text file -> lines in reading order, with evidence.

Columns come from a recursive XY-cut over word boxes; each line keeps its font size, the
character ranges that are raised and smaller (superscripts), italic runs and link annotations.
Running headers, footers and page numbers are dropped here, so later steps see content only.

``document``       which reader a file goes to (by suffix), and the hash it is recorded under
``pdf``            open a PDF, read its pages' words, links and rules; what went wrong, and how badly
``textfile``       decode a .txt file (UTF-8, UTF-16, cp1252, detected) into pages of lines
``reading_order``  XY-cut columns, words grouped into lines with superscripts, italics and links
``furniture``      running headers, footers and page numbers; body font size; title from the layout
``isolation``      the parse in a child process of a fork server, stopped at the time limit;
                   the server started ahead, and shared with forked workers
"""

from pipeline.core.layout.document import parse_document
from pipeline.core.layout.furniture import drop_running_lines
from pipeline.core.layout.isolation import parse_document_isolated, share_parser, start_parser
from pipeline.core.layout.pdf import read_pdf
from pipeline.core.layout.textfile import decode_text, read_text

__all__ = [
    "decode_text",
    "drop_running_lines",
    "parse_document",
    "parse_document_isolated",
    "read_pdf",
    "read_text",
    "share_parser",
    "start_parser",
]
