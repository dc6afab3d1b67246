"""Plain-text articles: what copying an article out of a browser or a PDF viewer gives (new).

Markers become Unicode superscript digits glued to the text (``EU.¹``), as in the seed's
article-seed.txt. Two placements of the notes, chosen by the caller:

* ``footnotes``: the notes cited in every few paragraphs follow those paragraphs, each note a
  block starting with its superscript label, the way a page-by-page extraction interleaves them;
* ``endnotes``: every note after a "Notes" heading at the end, with superscript labels.

Notes without a body marker follow the preceding note, as in the PDFs.
"""

from pathlib import Path
from typing import Any

from bench.seedgen import common as C

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
STYLES = ("footnotes", "endnotes")


def sup(n: int) -> str:
    return str(n).translate(SUPERSCRIPT)


def inline(text: str) -> str:
    return C.MARKER_RE.sub(lambda m: sup(int(m.group(1))), C.plain(text))


def render(art: dict[str, Any], out_path: Path, style: str = "footnotes", page_paragraphs: int = 3) -> dict:
    """Write ``art`` as UTF-8 text to ``out_path``; returns {pages: 1, style}."""
    if style not in STYLES:
        raise ValueError(f"unknown plain-text style {style!r}; use one of {STYLES}")
    notes = {f["number"]: f["text"] for f in art["footnotes"]}
    _, orphans = C.orphan_groups(art)
    blocks = [f"{art['kicker']} {art['date']}", art["title"], art["author"], C.plain(art["standfirst"])]
    pending: list[int] = []
    since_notes = 0

    def flush() -> None:
        for n in pending:
            for m in [n, *orphans.get(n, [])]:
                blocks.append(f"{sup(m)} {C.plain(notes[m])}")
        pending.clear()

    for sec in art["sections"]:
        if sec["heading"]:
            blocks.append(sec["heading"])
        for p in sec["paragraphs"]:
            blocks.append(inline(p))
            pending.extend(int(n) for n in C.MARKER_RE.findall(p))
            since_notes += 1
            if style == "footnotes" and since_notes >= page_paragraphs:
                flush()
                since_notes = 0
    if style == "footnotes":
        flush()
    blocks.append(f"About the author\n{C.plain(art['author_bio'])}")
    if style == "endnotes":
        blocks.append("Notes")
        flush()
    if orphans.get(None):  # notes before the first marker have no anchor; list them first
        raise ValueError("notes without a marker before the first marker are not supported")
    Path(out_path).write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return {"pages": 1, "style": style}
