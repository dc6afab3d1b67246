"""The notes zone of a PDF column: boxes with a heading of their own are not notes."""

import pytest

from pipeline.core.footnotes import heads_a_box
from pipeline.core.models import Line

BOX_HEADINGS = [
    # line text, bold -> does it head a box of its own (so small print under it is not notes)?
    ("About the author", True, True),
    ("About the Authors", False, True),
    ("Contact", True, True),
    ("Acknowledgements", False, True),
    ("Appendix B of the report sets out the methods used for the freight volumes", False, False),
    ("1. Treaty Series, vol. 1, p. 12.", True, False),
    ("* This order is not binding", True, False),
    # the short last line of a note, even when set in bold, ends like text
    ("published as Report 12 (2022).", True, False),
    ("550 U.S. 544 (2007)", False, False),
    ("available at the archives", False, False),
    ("appendix to the treaty", True, False),
]


@pytest.mark.parametrize("text,bold,expected", BOX_HEADINGS)
def test_heads_a_box(text, bold, expected):
    assert heads_a_box(Line(page=1, text=text, bold=bold)) is expected
