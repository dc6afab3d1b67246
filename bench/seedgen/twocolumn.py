"""Two-column magazine layout with ReportLab (adapted from the seed's make_twocolumn.py).

Layout (A4), as in the seed's article-twocolumn.pdf:
  * page 1: full-width title block (kicker, title, standfirst, byline), then two columns; the
    first paragraph opens with a two-line drop cap; an optional stand-in photo with caption;
  * body: Caladea 9.4/12pt, justified, hyphenated (pyphen en_US), first-line indents,
    superscript note markers;
  * footnotes at the bottom of the page on which their marker is set, in Carlito 6.8pt, below a
    short rule, in two balanced sub-columns; long URLs are broken after '/', '.', '-' etc.
    without a hyphen, or inside a word with an inserted hyphen; every URL piece carries a link
    annotation to the full URL;
  * running header (pages 2+), footer with page number, date and author.

Changes from the seed script: it renders any article dict to any path; the running header,
footer and drop cap come from the article; and the footnote placement, still page by page,
searches whole footnote rows (the space a page needs is always a whole number of rows) and stops
each trial build once the page under study is finished, instead of bisecting to 0.75 pt with
full builds. That makes a 4-page article about ten times cheaper to render.
"""

import datetime as dt
import io
import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    Image,
    LayoutError,
    PageTemplate,
    Paragraph,
    ParagraphAndImage,
    Spacer,
)

from bench.seedgen import common as C
from bench.seedgen import fonts

FONT_DIR = fonts.CROSEXTRA

PW, PH = A4
ML = MR = 46
MT, MB = 60, 50
GAP = 16
COLW = (PW - ML - MR - GAP) / 2
TITLE_H = 236
RED = HexColor("#8a1c1c")
GREY = HexColor("#555555")
LINK = HexColor("#1a3f7a")

FN_SIZE, FN_LEAD, LABEL_W = 6.8, 8.1, 9.5
FN_FONT, FN_ITAL, FN_BOLD = "Carlito-Regular", "Carlito-Italic", "Carlito-Bold"
SEP = 12  # space for the rule above the footnote block

_state: dict[str, Any] = {}


def _setup() -> dict[str, Any]:
    """Register the fonts and build the styles once per process (not at import time)."""
    if _state:
        return _state
    import pyphen

    for fam in ("Caladea", "Carlito"):
        for suf in ("Regular", "Italic", "Bold", "BoldItalic"):
            pdfmetrics.registerFont(TTFont(f"{fam}-{suf}", str(FONT_DIR / f"{fam}-{suf}.ttf")))
        pdfmetrics.registerFontFamily(
            fam,
            normal=f"{fam}-Regular",
            italic=f"{fam}-Italic",
            bold=f"{fam}-Bold",
            boldItalic=f"{fam}-BoldItalic",
        )
    body = ParagraphStyle(
        "body",
        fontName="Caladea-Regular",
        fontSize=9.4,
        leading=12,
        alignment=TA_JUSTIFY,
        firstLineIndent=10,
        hyphenationLang="en_US",
        embeddedHyphenation=0,
    )
    _state.update(
        hyph=pyphen.Pyphen(lang="en_US"),
        body=body,
        body_first=ParagraphStyle("body_first", parent=body, firstLineIndent=0),
        heading=ParagraphStyle(
            "heading",
            fontName="Carlito-Bold",
            fontSize=10.5,
            leading=13,
            textColor=RED,
            spaceBefore=9,
            spaceAfter=3,
        ),
        kicker=ParagraphStyle(
            "kicker", fontName="Carlito-Bold", fontSize=8, leading=10, textColor=RED, spaceAfter=8
        ),
        title=ParagraphStyle("title", fontName="Carlito-Bold", fontSize=25, leading=28, spaceAfter=10),
        stand=ParagraphStyle(
            "stand",
            fontName="Caladea-Italic",
            fontSize=12,
            leading=15.5,
            textColor=HexColor("#333333"),
            spaceAfter=10,
            alignment=TA_LEFT,
        ),
        byline=ParagraphStyle("byline", fontName="Carlito-Bold", fontSize=9, leading=11, textColor=GREY),
        caption=ParagraphStyle(
            "caption",
            fontName="Carlito-Italic",
            fontSize=7.4,
            leading=9,
            textColor=GREY,
            spaceBefore=3,
            spaceAfter=10,
        ),
        bio_name=ParagraphStyle("bioname", fontName="Carlito-Bold", fontSize=8.5, leading=11, spaceBefore=14),
        bio=ParagraphStyle(
            "bio", fontName="Carlito-Italic", fontSize=8.2, leading=10.5, alignment=TA_JUSTIFY
        ),
    )
    return _state


def long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d:%B} {d.day}, {d.year}"


def rl_inline(text):
    """markup -> ReportLab paragraph XML, with recorded superscript note markers."""
    out = []
    for seg in C.segments(text):
        if seg[0] == "note":
            n = seg[1]
            out.append(f'<onDraw name="fnref" label="{n}"/><super rise="3.6" size="6.3">{n}</super>')
        else:
            s = escape(seg[1])
            out.append(f"<i>{s}</i>" if seg[2] else s)
    return "".join(out)


class DropCap(Flowable):
    def __init__(self, letter, lines=3, leading=12):
        super().__init__()
        self.letter, self.size = letter, lines * leading + 4
        self.h = lines * leading - 3

    def wrap(self, aw, ah):
        self.w = stringWidth(self.letter, "Caladea-Bold", self.size) + 1
        return self.w, self.h

    def draw(self):
        self.canv.setFillColor(RED)
        self.canv.setFont("Caladea-Bold", self.size)
        self.canv.drawString(0, 2.5, self.letter)


class Rule(Flowable):
    def __init__(self, width, color=GREY):
        super().__init__()
        self.width, self.color = width, color

    def wrap(self, aw, ah):
        return self.width, 4

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 2, self.width, 2)


# ---------------------------------------------------------------- footnotes
def atoms_of(text):
    """footnote markup -> list of words; a word is a list of (string, font, url)."""
    atoms = []
    for seg in C.segments(text):
        font = FN_ITAL if seg[2] else FN_FONT
        for kind, s in C.split_urls(seg[1]):
            atoms.append((s, font, s if kind == "url" else None))
    words, cur = [], []
    for s, font, url in atoms:
        if url:
            cur.append((s, font, url))
            continue
        parts = s.split(" ")
        for i, p in enumerate(parts):
            if i > 0:
                if cur:
                    words.append(cur)
                cur = []
            if p:
                cur.append((p, font, None))
    if cur:
        words.append(cur)
    return words


def wwidth(word):
    return sum(stringWidth(s, f, FN_SIZE) for s, f, _ in word)


def split_word(word, avail, stats):
    """Split a word (list of atoms) so that the head fits in avail: (head, tail, hyphen) or None."""
    hyph = _setup()["hyph"]
    chars = [(ch, f, u) for s, f, u in word for ch in s]
    text = "".join(c for c, _, _ in chars)
    start = text.find("://") + 3 if "://" in text else 2
    cands = {}
    for i in range(start + 1, len(text) - 2):
        if text[i - 1] in "/.-_?&=#":
            cands[i] = False
    i = 0
    while i < len(text):  # hyphenation points inside letter runs
        j = i
        while j < len(text) and text[j].isalpha():
            j += 1
        if j - i >= 5:
            run = text[i:j]
            for pos in hyph.positions(run):
                if 2 <= pos <= len(run) - 2 and i + pos > start:
                    cands.setdefault(i + pos, True)
        i = j + 1
    best = None
    for i in sorted(cands):
        hy = cands[i]
        w = sum(stringWidth(c, f, FN_SIZE) for c, f, _ in chars[:i]) + (
            stringWidth("-", chars[i - 1][1], FN_SIZE) if hy else 0
        )
        if w <= avail:
            best = (i, hy)
    if best is None:
        return None
    i, hy = best

    def regroup(cs):
        out = []
        for c, f, u in cs:
            if out and out[-1][1] == f and out[-1][2] == u:
                out[-1] = (out[-1][0] + c, f, u)
            else:
                out.append((c, f, u))
        return out

    head = regroup(chars[:i])
    if hy:
        s, f, u = head[-1]
        head[-1] = (s + "-", f, u)  # visible hyphen, still part of the link
    stats["url_breaks"] += 1
    stats["url_hyphen_breaks"] += int(hy)
    return head, regroup(chars[i:]), hy


def layout_note(text, stats):
    """Greedy line breaking of one footnote; returns list of lines (lists of atoms)."""
    maxw = COLW - LABEL_W
    spw = stringWidth(" ", FN_FONT, FN_SIZE)
    lines, cur, cw = [], [], 0.0
    for word in atoms_of(text):
        ww = wwidth(word)
        sp = spw if cur else 0
        if cw + sp + ww <= maxw:
            if cur:
                cur.append((" ", FN_FONT, None))
            cur.extend(word)
            cw += sp + ww
            continue
        is_url = any(u for _, _, u in word)
        if not (is_url or ww > maxw):
            lines.append(cur)
            cur, cw = list(word), ww
            continue
        rem = word
        while True:
            sp = spw if cur else 0
            avail = maxw - cw - sp
            if avail < 0.22 * maxw and cur:
                lines.append(cur)
                cur, cw = [], 0.0
                continue
            r = split_word(rem, avail, stats)
            if r is None:
                if cur:
                    lines.append(cur)
                    cur, cw = [], 0.0
                    continue
                raise RuntimeError(f"cannot split {rem}")
            head, tail, _hy = r
            if cur:
                cur.append((" ", FN_FONT, None))
            cur.extend(head)
            lines.append(cur)
            cur, cw = [], 0.0
            if wwidth(tail) <= maxw:
                cur, cw = list(tail), wwidth(tail)
                break
            rem = tail
    if cur:
        lines.append(cur)
    return lines


def draw_notes(canv, lines):
    rows = math.ceil(len(lines) / 2)
    top = MB + rows * FN_LEAD
    canv.setStrokeColor(HexColor("#000000"))
    canv.setLineWidth(0.5)
    canv.line(ML, top + 6, ML + 70, top + 6)
    for idx, (label, ln) in enumerate(lines):
        col, row = divmod(idx, rows)
        x0 = ML + col * (COLW + GAP)
        y = top - FN_SIZE - row * FN_LEAD + 1
        if label is not None:
            canv.setFillColor(HexColor("#000000"))
            canv.setFont(FN_BOLD, FN_SIZE)
            canv.drawString(x0, y, str(label))
        x = x0 + LABEL_W
        for s, f, u in ln:
            w = stringWidth(s, f, FN_SIZE)
            canv.setFont(f, FN_SIZE)
            canv.setFillColor(LINK if u else HexColor("#000000"))
            canv.drawString(x, y, s)
            if u:
                canv.linkURL(u, (x, y - 1.5, x + w, y + FN_SIZE), relative=0, thickness=0)
            x += w
    canv.setFillColor(HexColor("#000000"))


# ---------------------------------------------------------------- document
class _PageDone(Exception):
    """Raised to end a trial build once the page under study is complete."""


class Doc(BaseDocTemplate):
    def __init__(self, buf, art, reserved, note_cache, stats, stop_after=None):
        super().__init__(
            buf,
            pagesize=A4,
            leftMargin=ML,
            rightMargin=MR,
            topMargin=MT,
            bottomMargin=MB,
            title=art["title"],
            author=art["author"],
            subject=art["kicker"],
            creator="ReportLab magazine template (benchmark corpus generator)",
            invariant=1,  # no timestamp or random document id: the same article gives the same bytes
        )
        self.art, self.reserved, self.stop_after = art, reserved, stop_after
        self.note_cache = note_cache  # note number -> laid-out lines (the same in every build)
        self.stats = stats  # shared like note_cache, so every note is counted once
        self.rec = {}
        self.fntext = {f["number"]: f["text"] for f in art["footnotes"]}
        self.present, self.orphans = C.orphan_groups(art)
        self.needed = {}
        self.header = art.get("short_title", art["title"]).upper()
        self.footer = f"{long_date(art['date'])}  |  {art['author']}"
        col_top_1 = PH - MT - TITLE_H
        col_top = PH - MT

        def frame(x, y, w, h, fid):
            return Frame(x, y, w, h, id=fid, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

        f1 = [
            frame(ML, col_top_1, PW - ML - MR, TITLE_H, "title"),
            frame(ML, MB, COLW, col_top_1 - MB - 8, "c1"),
            frame(ML + COLW + GAP, MB, COLW, col_top_1 - MB - 8, "c2"),
        ]
        f2 = [frame(ML, MB, COLW, col_top - MB, "c1"), frame(ML + COLW + GAP, MB, COLW, col_top - MB, "c2")]
        self.col_tops = {"first": col_top_1 - 8, "later": col_top}
        self.addPageTemplates(
            [
                PageTemplate(
                    "first", f1, onPage=self.on_page, onPageEnd=self.on_page_end, autoNextPageTemplate="later"
                ),
                PageTemplate("later", f2, onPage=self.on_page, onPageEnd=self.on_page_end),
            ]
        )

    def fnref(self, canv, kind, label):
        self.rec[int(label)] = self.page

    def note_lines(self, numbers):
        out = []
        for n in numbers:
            if n not in self.note_cache:
                self.note_cache[n] = layout_note(self.fntext[n], self.stats)
            for k, ln in enumerate(self.note_cache[n]):
                out.append((n if k == 0 else None, ln))
        return out

    def on_page(self, canv, doc):
        if self.stop_after is not None and self.page > self.stop_after:
            raise _PageDone
        canv.setNamedCB("fnref", self.fnref)
        res = self.reserved.get(self.page, 0)
        top = self.col_tops[self.pageTemplate.id]
        for f in self.pageTemplate.frames:
            if f.id in ("c1", "c2"):
                f._y1 = MB + (res + SEP if res else 0)
                f._height = top - f._y1
                f._geom()
        canv.saveState()
        canv.setFillColor(GREY)
        if self.page > 1:
            canv.setFont("Carlito-Bold", 7.5)
            canv.setFillColor(RED)
            canv.drawString(ML, PH - 38, self.art["kicker"].upper())
            canv.setFillColor(GREY)
            canv.setFont("Carlito-Regular", 7.5)
            canv.drawRightString(PW - MR, PH - 38, self.header)
            canv.setStrokeColor(GREY)
            canv.setLineWidth(0.4)
            canv.line(ML, PH - 43, PW - MR, PH - 43)
        canv.setFont("Carlito-Bold", 8.5)
        canv.setFillColor(HexColor("#000000"))
        num = str(self.page)
        if self.page % 2:
            canv.drawRightString(PW - MR, 28, num)
            canv.setFont("Carlito-Regular", 7.2)
            canv.setFillColor(GREY)
            canv.drawString(ML, 28, self.footer)
        else:
            canv.drawString(ML, 28, num)
            canv.setFont("Carlito-Regular", 7.2)
            canv.setFillColor(GREY)
            canv.drawRightString(PW - MR, 28, self.footer)
        canv.restoreState()

    def on_page_end(self, canv, doc):
        nums = sorted(n for n, p in self.rec.items() if p == self.page)
        full = []
        for n in nums:
            full.append(n)
            full.extend(self.orphans.get(n, []))
        if not full:
            self.needed[self.page] = 0
            return
        lines = self.note_lines(full)
        self.needed[self.page] = math.ceil(len(lines) / 2) * FN_LEAD
        canv.saveState()
        draw_notes(canv, lines)
        canv.restoreState()


def story(art, img_path):
    st = _setup()
    s = [
        Paragraph(f"{escape(art['kicker']).upper()} \u00b7 {long_date(art['date']).upper()}", st["kicker"]),
        Paragraph(escape(art["title"]), st["title"]),
        Paragraph(rl_inline(art["standfirst"]), st["stand"]),
        Paragraph(f"By {escape(art['author'])}", st["byline"]),
        FrameBreak(),
    ]
    for si, sec in enumerate(art["sections"]):
        if sec["heading"]:
            s.append(CondPageBreak(64))  # keep a heading with a few lines of its section
            s.append(Paragraph(escape(sec["heading"]).upper(), st["heading"]))
        for pi, p in enumerate(sec["paragraphs"]):
            style = st["body_first"] if pi == 0 else st["body"]
            if si == 0 and pi == 0 and p[:1].isalpha():
                s.append(
                    ParagraphAndImage(
                        Paragraph(rl_inline(p[1:]), st["body_first"]),
                        DropCap(p[0], 2, 12),
                        xpad=2,
                        ypad=0,
                        side="left",
                    )
                )
                if img_path and art.get("figures"):
                    s.append(Spacer(1, 6))
                    s.append(Image(str(img_path), width=COLW, height=COLW * 640 / 1200))
                    s.append(Paragraph(escape(art["figures"][0]["caption"]), st["caption"]))
            else:
                s.append(Paragraph(rl_inline(p), style))
    s.append(Rule(COLW))
    s.append(Paragraph(escape(art["author"]), st["bio_name"]))
    s.append(Paragraph(rl_inline(art["author_bio"]), st["bio"]))
    return s


def render(art: dict[str, Any], out_path: Path, img_path: Path | None = None) -> dict[str, int]:
    """Write ``art`` as a two-column PDF to ``out_path``; returns {pages, builds, url_breaks, ...}.

    Page by page (a page's content depends only on the reservations of itself and earlier
    pages), find the fewest footnote rows r for page p such that the footnotes of the markers
    that land on p fit into r rows. The rows needed can only shrink as r grows, so bisect.
    """
    _setup()
    reserved: dict[int, float] = {}
    note_cache: dict[int, list] = {}
    stats = {"url_breaks": 0, "url_hyphen_breaks": 0}
    builds = 0

    def run(stop_after=None):
        nonlocal builds
        builds += 1
        buf = io.BytesIO()
        doc = Doc(buf, art, reserved, note_cache, stats, stop_after)
        try:
            doc.build(story(art, img_path))
            return doc, buf, True
        except _PageDone:
            return doc, buf, False

    def fits(page: int, rows: int) -> bool:
        reserved[page] = rows * FN_LEAD
        try:
            d, _, _ = run(stop_after=page)
        except LayoutError:  # some frame heights leave a paragraph that cannot be split
            return False
        return d.needed.get(page, 0) <= rows * FN_LEAD + 0.01

    p = 1
    while True:
        reserved[p] = 0
        for extra in range(4):
            try:
                doc, _, complete = run(stop_after=p)
                break
            except LayoutError:  # a frame height that leaves a paragraph unsplittable: one more row
                if extra == 3:
                    raise
                reserved[p] = (extra + 1) * FN_LEAD
        if complete and p > doc.page:
            break
        rows = round(doc.needed.get(p, 0) / FN_LEAD)
        if rows > 0:
            lo, hi = 0, rows  # lo rows are too few; hi rows should be enough
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if fits(p, mid):
                    hi = mid
                else:
                    lo = mid
            while not fits(p, hi):  # only when hi was never tried, or failed to lay out
                hi += 1
                if hi > rows + 20:
                    raise RuntimeError(f"no footnote space works for page {p}")
            reserved[p] = hi * FN_LEAD
        p += 1
    doc, buf, _ = run()
    assert all(doc.needed.get(q, 0) <= reserved.get(q, 0) + 0.01 for q in doc.needed), (doc.needed, reserved)
    missing = C.orphan_groups(art)[0] - set(doc.rec)
    assert not missing, f"markers not drawn: {sorted(missing)}"
    Path(out_path).write_bytes(buf.getvalue())
    return {"pages": doc.page, "builds": builds, **stats}
