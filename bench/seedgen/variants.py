"""Layouts of other producers (issue 12), drawn with ReportLab's canvas in DejaVu Serif.

Every layout opens with a title page block whose authors carry affiliation superscripts
(``Name¹, Name²``, then ``¹ Institute …`` lines), which are no note markers. Notes:

* ``browser``: a web page printed by a browser: one column, raised ``[n]`` markers, the notes as
  an ordered list under "Notes", each followed by a back-link arrow (``↩``), a running header and
  footer as browsers print them;
* ``sidenotes``: a narrow body column with the notes in the outer margin beside their markers
  (tufte-book, kaobook), each opened by a raised number;
* ``bandnotes``: a two-column body with the page's notes in a full-width band under both columns,
  labelled ``1.`` at the baseline in the body's own size.

Links are drawn as Word and LibreOffice draw them: one rectangle over the full width of every line
a URL is printed on, so it may cover the start of the next note. Some notes are only a URL (set
by ``url_only``), and wrapped notes end in short continuation lines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from bench.seedgen import common as C
from bench.seedgen import fonts

PW, PH = LETTER
SERIF, BOLD, SANS = "VarSerif", "VarSerifBold", "VarSans"
AFFILIATIONS = ["Institute for Regional Studies, Vienna", "Centre for Security Policy, Tbilisi"]
CO_AUTHORS = ["Mara Lindgren", "Tomas Okafor"]


def _fonts() -> None:
    if SERIF in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(SERIF, str(fonts.DEJAVU / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts.DEJAVU / "DejaVuSerif-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(SANS, str(fonts.DEJAVU / "DejaVuSans.ttf")))


def url_only(art: dict[str, Any]) -> dict[str, Any]:
    """Every fourth note that cites a URL becomes that URL alone (as many web notes are)."""
    cited = [f for f in art["footnotes"] if f["urls"]]
    for f in cited[1::4]:
        f["text"] = f["urls"][0]
        f["urls"] = f["urls"][:1]
    art["urls"] = sorted({u for f in art["footnotes"] for u in f["urls"]})
    return art


# ------------------------------------------------------------------ words and lines
Token = list[tuple[str, int | None]]  # runs of (text, None) or ("", note number)


def _tokens(paragraph: str) -> list[Token]:
    """Words of a paragraph, a marker staying with the word it follows."""
    out: list[Token] = []
    for word in C.plain(paragraph).split():
        runs: Token = []
        for m in re.finditer(r"\[\^(\d+)\]|([^\[]+|\[)", word):
            runs.append(("", int(m.group(1))) if m.group(1) else (m.group(2), None))
        out.append(runs)
    return out


def _wrap(tokens: list[Token], width: float, size: float, marker: str) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    used = 0.0
    space = stringWidth(" ", SERIF, size)
    for tok in tokens:
        w = sum(_run_width(t, n, size, marker) for t, n in tok)
        if lines[-1] and used + space + w > width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + w
        lines[-1].append(tok)
    return [ln for ln in lines if ln]


def _marker_text(n: int, marker: str) -> str:
    return f"[{n}]" if marker == "bracket" else str(n)


def _run_width(text: str, n: int | None, size: float, marker: str) -> float:
    if n is None:
        return stringWidth(text, SERIF, size)
    return stringWidth(_marker_text(n, marker), SERIF, 0.62 * size)


def _draw_line(
    c: canvas.Canvas, x: float, y: float, line: list[Token], size: float, marker: str
) -> list[int]:
    """Draw one body line at baseline ``y`` (PDF coordinates); returns the note numbers on it."""
    notes = []
    space = stringWidth(" ", SERIF, size)
    for i, tok in enumerate(line):
        if i:
            x += space
        for text, n in tok:
            if n is None:
                c.setFont(SERIF, size)
                c.drawString(x, y, text)
            else:
                c.setFont(SERIF, 0.62 * size)
                c.drawString(x, y + 0.36 * size, _marker_text(n, marker))
                notes.append(n)
            x += _run_width(text, n, size, marker)
    return notes


def _note_lines(text: str, width: float, size: float) -> list[str]:
    lines, cur = [], ""
    for word in C.plain(text).split():
        cand = f"{cur} {word}" if cur else word
        if cur and stringWidth(cand, SERIF, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = cand
        while stringWidth(cur, SERIF, size) > width:  # a URL longer than the line: cut it
            k = len(cur)
            while k > 1 and stringWidth(cur[:k], SERIF, size) > width:
                k -= 1
            lines.append(cur[:k])
            cur = cur[k:]
    if cur:
        lines.append(cur)
    return lines


def _link_rows(
    c: canvas.Canvas, note: dict[str, Any], rows: list[tuple[float, str]], x0: float, x1: float, size: float
) -> None:
    """One link rectangle per URL over the full width of the rows it is printed on (Word style)."""
    flat = "".join(t for _, t in rows)
    for url in note["urls"]:
        at = flat.find(url)
        if at < 0:
            continue
        covered, pos = [], 0
        for y, t in rows:
            if pos < at + len(url) and pos + len(t) > at:
                covered.append(y)
            pos += len(t)
        if covered:
            # drawn loosely, down into the next printed line (the next note's first line)
            rect = (x0, min(covered) - 1.4 * size, x1, max(covered) + size)
            c.linkURL(url, rect, relative=0, thickness=0)


# ------------------------------------------------------------------ the title block
def _title_block(c: canvas.Canvas, art: dict[str, Any], x0: float, width: float) -> float:
    """Kicker, title, authors with affiliation superscripts, affiliations; returns the next y (top-down)."""
    y = 64.0
    c.setFont(SANS, 8)
    c.drawString(x0, PH - y, art["kicker"].upper())
    y += 26
    c.setFont(BOLD, 18)
    for line in _note_lines(art["title"], width, 18):
        c.setFont(BOLD, 18)
        c.drawString(x0, PH - y, line)
        y += 22
    y += 6
    x = x0
    for i, name in enumerate([art["author"], *CO_AUTHORS]):
        c.setFont(SERIF, 10.5)
        text = ("" if i == 0 else ", ") + name
        c.drawString(x, PH - y, text)
        x += stringWidth(text, SERIF, 10.5)
        c.setFont(SERIF, 6.5)
        c.drawString(x, PH - y + 4, str(i % 2 + 1))
        x += stringWidth(str(i % 2 + 1), SERIF, 6.5)
    y += 14
    for i, aff in enumerate(AFFILIATIONS, 1):
        c.setFont(SERIF, 5.5)
        c.drawString(x0, PH - y + 3, str(i))
        c.setFont(SERIF, 8)
        c.drawString(x0 + 5, PH - y, aff)
        y += 10
    return y + 16


def _heading_lines(text: str, width: float, size: float) -> list[str]:
    """A section heading in the bold type it is drawn in, wrapped to ``width``."""
    rows: list[str] = []
    for word in text.split():
        if rows and stringWidth(f"{rows[-1]} {word}", BOLD, size) <= width:
            rows[-1] = f"{rows[-1]} {word}"
        else:
            rows.append(word)
    return rows


def _body_lines(
    art: dict[str, Any], width: float, size: float, marker: str, heading_size: float
) -> list[list[Token] | str]:
    """The body as wrapped lines, with section headings as strings and paragraph gaps as ""."""
    out: list[list[Token] | str] = []
    for sec in art["sections"]:
        if sec["heading"]:  # wrapped like the text: no producer prints a heading over the next column
            out += ["#" + row for row in _heading_lines(sec["heading"], width, heading_size)]
        for p in sec["paragraphs"]:
            out += _wrap(_tokens(p), width, size, marker)
            out.append("")
    return out


# ------------------------------------------------------------------ layouts
def _browser(c: canvas.Canvas, art: dict[str, Any]) -> int:
    size, lead, x0, width = 10.5, 14.0, 72.0, PW - 144
    notes = {f["number"]: f for f in art["footnotes"]}
    pages = [1]

    def chrome() -> None:
        c.setFont(SANS, 7.5)
        c.drawString(36, PH - 24, f"{art['date']}  {art['title'][:70]}")
        c.drawString(36, 20, f"https://www.example.org/articles/{art['date']}")
        c.drawRightString(PW - 36, 20, f"{pages[0]}")

    def newpage(y: float) -> float:
        if y < PH - 60:
            return y
        c.showPage()
        pages[0] += 1
        chrome()
        return 72.0

    chrome()
    y = _title_block(c, art, x0, width)
    for line in _body_lines(art, width, size, "bracket", 12):
        y = newpage(y + lead)
        if isinstance(line, str):
            if line.startswith("#"):
                c.setFont(BOLD, 12)
                c.drawString(x0, PH - y - 4, line[1:])
                y += 8
            continue
        _draw_line(c, x0, PH - y, line, size, "bracket")
    y = newpage(y + 28)
    c.setFont(BOLD, 13)
    c.drawString(x0, PH - y, "Notes")
    y += 8
    for n in sorted(notes):
        rows = _note_lines(f"{notes[n]['text']} \u21a9", width - 22, 9)
        if y + len(rows) * 11.5 >= PH - 60:  # a note is kept on one page, with its link rectangles
            y = newpage(PH)
        drawn = []
        for i, row in enumerate(rows):
            y += 11.5
            if i == 0:
                c.setFont(SERIF, 9)
                c.drawRightString(x0 + 16, PH - y, f"{n}.")
            c.setFont(SERIF, 9)
            text = row.removesuffix("\u21a9")
            c.drawString(x0 + 22, PH - y, text)
            if row.endswith("\u21a9"):
                c.setFont(SANS, 9)
                c.drawString(x0 + 22 + stringWidth(text, SERIF, 9), PH - y, "\u21a9")
            drawn.append((PH - y, text))
        _link_rows(c, notes[n], drawn, x0 + 22, x0 + width, 9)
    return pages[0]


def _sidenotes(c: canvas.Canvas, art: dict[str, Any]) -> int:
    size, lead, x0, width = 10.0, 13.0, 72.0, 300.0
    sx, sw, ssize, slead = 400.0, 150.0, 7.0, 8.6
    notes = {f["number"]: f for f in art["footnotes"]}
    pages = 1
    y = _title_block(c, art, x0, PW - 144)
    side_y = y  # where the next sidenote may start on this page
    pending: list[int] = []

    def place(n: int, at: float) -> float:
        rows = _note_lines(notes[n]["text"], sw - 6, ssize)
        top = max(at, side_y)
        drawn = []
        for i, row in enumerate(rows):
            yy = top + i * slead
            if i == 0:
                c.setFont(SERIF, 0.62 * ssize)
                c.drawString(sx, PH - yy + 2.5, str(n))
            c.setFont(SERIF, ssize)
            c.drawString(sx + 6, PH - yy, row)
            drawn.append((PH - yy, row))
        _link_rows(c, notes[n], drawn, sx + 6, PW - 36, ssize)
        return top + len(rows) * slead + 6

    def fits(n: int, at: float) -> bool:
        return max(at, side_y) + len(_note_lines(notes[n]["text"], sw - 6, ssize)) * slead < PH - 54

    listed = [n for n in C.body_markers(art)]
    for line in _body_lines(art, width, size, "raised", 11.5):
        y += lead
        if y > PH - 60:
            c.setFont(SANS, 8)
            c.drawCentredString(PW / 2, 30, str(pages))
            c.showPage()
            pages += 1
            y, side_y = 72.0 + lead, 72.0
            carried, pending = pending, []
            for n in carried:
                side_y = place(n, side_y)
        if isinstance(line, str):
            if line.startswith("#"):
                c.setFont(BOLD, 11.5)
                c.drawString(x0, PH - y - 4, line[1:])
                y += 8
            continue
        for n in _draw_line(c, x0, PH - y, line, size, "raised"):
            if n in notes and n in listed:
                listed.remove(n)
                if fits(n, y) and not pending:
                    side_y = place(n, y)
                else:
                    pending.append(n)
    for n in pending:
        if not fits(n, side_y):
            c.showPage()
            pages += 1
            side_y = 72.0
        side_y = place(n, side_y)
    # notes whose marker the body lacks (as in the seed) follow the last sidenote
    for n in sorted(set(notes) - set(C.body_markers(art))):
        if not fits(n, side_y):
            c.showPage()
            pages += 1
            side_y = 72.0
        side_y = place(n, side_y)
    c.setFont(SANS, 8)
    c.drawCentredString(PW / 2, 30, str(pages))
    return pages


def _bandnotes(c: canvas.Canvas, art: dict[str, Any]) -> int:
    size, lead, gap = 10.0, 12.5, 14.0
    colw = (PW - 144 - gap) / 2
    bw = PW - 144
    notes = {f["number"]: f for f in art["footnotes"]}
    lines = _body_lines(art, colw, size, "raised", 10.5)
    orphans = sorted(set(notes) - set(C.body_markers(art)))
    pages, i, first = 0, 0, True
    while i < len(lines) or orphans:
        pages += 1
        top = _title_block(c, art, 72, bw) if first else 72.0
        first = False
        capacity = int((PH - 60 - top) / lead) * 2
        while True:
            chunk = lines[i : i + capacity]
            nums = [n for ln in chunk if not isinstance(ln, str) for tok in ln for _, n in tok if n]
            if i + capacity >= len(lines):
                nums += orphans
            band = [(n, _note_lines(f"{n}. {notes[n]['text']}", bw, size)) for n in nums if n in notes]
            band_h = sum(len(r) for _, r in band) * lead + (18 if band else 0)
            rows_per_col = int((PH - 60 - top - band_h) / lead)
            if rows_per_col * 2 >= len(chunk) or capacity <= 2:
                break
            capacity -= 2
        half = (len(chunk) + 1) // 2
        for col, part in enumerate((chunk[:half], chunk[half:])):
            y = top
            for ln in part:
                y += lead
                if isinstance(ln, str):
                    if ln.startswith("#"):
                        c.setFont(BOLD, 10.5)
                        c.drawString(72 + col * (colw + gap), PH - y, ln[1:])
                    continue
                _draw_line(c, 72 + col * (colw + gap), PH - y, ln, size, "raised")
        i += len(chunk)
        if i >= len(lines):
            orphans = []
        y = PH - 60 - band_h + 12
        if band:
            c.setLineWidth(0.5)
            c.line(72, PH - y + 4, 72 + bw, PH - y + 4)
            y += 4
        for n, rows in band:
            drawn = []
            for row in rows:
                y += lead
                c.setFont(SERIF, size)
                c.drawString(72, PH - y, row)
                drawn.append((PH - y, row))
            _link_rows(c, notes[n], drawn, 72, 72 + bw, size)
        c.setFont(SANS, 8)
        c.drawCentredString(PW / 2, 30, str(pages))
        c.showPage()
    return pages


RENDERERS = {"browser": _browser, "sidenotes": _sidenotes, "bandnotes": _bandnotes}


def render(art: dict[str, Any], out_path: Path, layout: str) -> dict[str, int]:
    """Write ``art`` in ``layout`` to ``out_path``; returns {pages}."""
    _fonts()
    c = canvas.Canvas(str(out_path), pagesize=LETTER, invariant=1)
    c.setTitle(art["title"])
    c.setAuthor(art["author"])
    pages = RENDERERS[layout](c, art)
    c.save()
    return {"pages": pages}
