"""Page text: the main text of an HTML page (trafilatura), its own title and date, and where it is kept.

The text is what the evidence is looked for in, so boilerplate (menus, footers, cookie banners)
is left out. Each text is kept once, by the SHA-256 of the text, in the page store
(``extracted/.state/pages/``): a check carries the hash (``content_hash``), never the text, so the
Parquet tables stay small and a URL taken from the history still finds its text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Indel

from pipeline.core.fileio import create_temp

#: the most text kept of one page (characters)
MAX_TEXT_CHARS = 400_000
#: scripts, styles and inline images hold no text but most of a modern page's bytes and elements
_NO_TEXT_OPEN = re.compile(r"<(script|style|svg|noscript|template)\b[^>]*>", re.I)


def _without_scripts(html: str) -> str:
    """The page without its scripts, styles and inline SVG (JSON-LD kept: htmldate reads dates from
    it). One pass: an element left open drops the rest of the page, so no input makes it quadratic."""
    lower = html.lower()
    out: list[str] = []
    pos = 0
    while (m := _NO_TEXT_OPEN.search(html, pos)) is not None:
        tag = m.group(1).lower()
        end = lower.find(f"</{tag}", m.end())
        keep = "ld+json" in m.group(0).lower()
        out.append(html[pos : (m.start() if not keep else m.end())])
        if end < 0:
            return "".join(out)
        close = html.find(">", end)
        close = len(html) if close < 0 else close + 1
        if keep:
            out.append(html[m.end() : close])
        pos = close
    out.append(html[pos:])
    return "".join(out)


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PageText:
    """The main text of a page, with the title and date the page gives itself."""

    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode_body(body: bytes, encoding: str | None = None, content_type: str | None = None) -> str:
    """The body as text: the declared charset, else the <meta> one, else UTF-8, else cp1252."""
    declared = encoding if content_type and "charset=" in content_type.lower() else None
    meta = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", body[:4096], re.I)
    for enc in (declared, meta.group(1).decode("ascii", "ignore") if meta else None, "utf-8"):
        if enc:
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                return body.decode(enc)
    return body.decode("cp1252", "replace")


def extract_page(html: str, url: str | None = None) -> PageText | None:
    """The main text of an HTML page (None when it has none), with the page's own title and date.

    trafilatura finds the article (a short page it finds none in falls back to its baseline, the
    visible text of the body); htmldate dates it from its markup only (``extensive_search`` off:
    a date guessed from the text is no date). trafilatura's own metadata pass is left out: it
    costs three times the extraction, and the title is known from the check already.
    """
    import trafilatura  # imported here: it takes a while to load, and only checks need it
    from htmldate import find_date
    from trafilatura.utils import load_html

    if not html.strip():
        return None
    html = _without_scripts(html)
    text, date, title = "", None, None
    try:
        tree = load_html(html)
        if tree is not None:
            date = find_date(tree, url=url, extensive_search=False, original_date=True)
            title = (tree.findtext(".//title") or "").strip() or None
            doc = trafilatura.bare_extraction(
                tree, url=url, fast=True, favor_recall=True, include_comments=False, include_tables=True
            )
            text = (getattr(doc, "text", None) or "").strip()
    except Exception:  # a page trafilatura cannot parse is a page without text, not a failed check
        text = ""
    if not text:
        with contextlib.suppress(Exception):
            text = (trafilatura.baseline(html)[1] or "").strip()
    if not text:
        return None
    return PageText(text=text[:MAX_TEXT_CHARS], title=title, date=date or None)


def text_similarity(a: str, b: str) -> float:
    """0-1: how much of two texts is the same, word for word (Indel similarity of the word lists).

    Word order counts (a rewritten article scores low even on the same topic); a paragraph added
    or a correction keeps it high.
    """
    wa, wb = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not wa and not wb:
        return 1.0
    return round(Indel.normalized_similarity(wa, wb), 3)


class PageStore:
    """Page texts by their SHA-256: ``<root>/<hh>/<hash>.json`` (text, title, date). Safe across threads."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.json"

    def save(self, page: PageText) -> str:
        digest = page.hash
        path = self._path(digest)
        if not path.exists():  # content-addressed: the same text is never written twice
            data = {"text": page.text, "title": page.title, "date": page.date, "sitename": page.sitename}
            path.parent.mkdir(parents=True, exist_ok=True)
            # renamed into place, but not fsynced: a cache a crash may lose (the page is read again),
            # and a fsync per page would cost more than the check itself
            tmp = create_temp(path.parent, path.name)
            try:
                tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
        return digest

    def load(self, digest: str | None) -> PageText | None:
        if not digest or not re.fullmatch(r"[0-9a-f]{64}", digest):
            return None
        try:
            data = json.loads(self._path(digest).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return PageText(
            text=data.get("text") or "",
            title=data.get("title"),
            date=data.get("date"),
            sitename=data.get("sitename"),
        )
