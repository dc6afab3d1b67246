"""Scanned pages with an OCR text layer: the printed page is an image, the words are invisible
text laid over it by a recognition engine.

On such a page the word boxes are the engine's estimates: a raised note marker is often boxed
on the baseline at its smaller size, and fonts (bold, italic) are the engine's guess, not what
was printed. ``reading_order`` reads the smaller size alone as the evidence of a raised marker
there. The page is told by its own structure, whatever the engine: an image covering most of the
page, and text drawn in an invisible rendering mode (``3 Tr``, or ``7 Tr``: clip only).
"""

from __future__ import annotations

import re
from typing import Any

#: An image covering at least this share of the page is the page itself (a scan).
PAGE_IMAGE_SHARE = 0.7
_INVISIBLE_TEXT = re.compile(rb"(?<![\d.])[37]\s+Tr\b")


def is_ocr_page(page: Any) -> bool:
    """Is this pdfplumber page a scan under an invisible OCR text layer?"""
    area = float(page.width) * float(page.height)
    if area <= 0 or not any(_covered(img, page) >= PAGE_IMAGE_SHARE * area for img in page.images):
        return False  # checked first: reading the content streams costs, and most pages have no scan
    return any(_INVISIBLE_TEXT.search(data) for data in _content_streams(page))


def _covered(img: dict[str, Any], page: Any) -> float:
    """The area of the page an image covers (clipped to the page)."""
    w = min(float(img["x1"]), float(page.width)) - max(float(img["x0"]), 0.0)
    h = min(float(img["bottom"]), float(page.height)) - max(float(img["top"]), 0.0)
    return max(0.0, w) * max(0.0, h)


def _content_streams(page: Any) -> list[bytes]:
    """The decoded content streams of the page (its words were read from them already)."""
    from pdfminer.pdftypes import resolve1

    return [resolve1(ref).get_data() for ref in page.page_obj.contents or []]
