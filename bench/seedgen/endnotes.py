"""Single-column US-Letter "working paper" with endnotes, made with fpdf2 (adapted from the
seed's make_endnotes.py).

Layout, as in the seed's article-endnotes.pdf: DejaVu Serif body (justified, not hyphenated)
with superscript note markers; sans-serif headings; an optional stand-in photo with caption;
running header from page 2 and centred page numbers; an "About the author" box; then a "Notes"
section where every note is a paragraph "N. text" (a full-size number and a period, not a
superscript). URLs are plain text (no link annotations); fpdf2 moves an over-long URL to its own
line and cuts it wherever the line is full, without a hyphen. Notes whose marker is absent from
the body are listed too.

Changes from the seed script: it renders any article dict to any path, and the running header,
kicker line and dates come from the article.
"""

import datetime as dt
import html
from pathlib import Path
from typing import Any

from fpdf import FPDF

from bench.seedgen import common as C
from bench.seedgen import fonts

DV = fonts.DEJAVU


def h(s):
    return html.escape(s, quote=False)


def html_inline(text):
    out = []
    for seg in C.segments(text):
        if seg[0] == "note":
            out.append(f"<sup>{seg[1]}</sup>")
        else:
            out.append(f"<i>{h(seg[1])}</i>" if seg[2] else h(seg[1]))
    return "".join(out)


class Paper(FPDF):
    running = ""

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font("DejaVuSansCond", "", 7.5)
        self.set_text_color(100, 100, 100)
        self.set_y(12)
        self.cell(0, 4, self.running, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, self.kicker, align="R")
        self.set_draw_color(160, 160, 160)
        self.set_line_width(0.2)
        self.line(self.l_margin, 17.5, self.w - self.r_margin, 17.5)
        self.set_y(24)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("DejaVuSansCond", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 6, f"\u2013 {self.page_no()} \u2013", align="C")
        self.set_text_color(0, 0, 0)


def build(art, img_path):
    pdf = Paper(format="letter", unit="mm")
    surname = art["author"].split()[-1].upper()
    pdf.running = f"{surname} \u2022 {art.get('short_title', art['title']).upper()}"
    pdf.kicker = art["kicker"].upper()
    pdf.set_margins(24, 24, 24)
    pdf.set_auto_page_break(True, margin=22)
    for style, fn in (
        ("", "DejaVuSerif.ttf"),
        ("I", "DejaVuSerif-Italic.ttf"),
        ("B", "DejaVuSerif-Bold.ttf"),
        ("BI", "DejaVuSerif-BoldItalic.ttf"),
    ):
        pdf.add_font("DejaVuSerif", style, str(DV / fn))
    for style, fn in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf")):
        pdf.add_font("DejaVuSans", style, str(DV / fn))
    pdf.add_font("DejaVuSansCond", "", str(DV / "DejaVuSansCondensed.ttf"))
    pdf.add_font("DejaVuSansCond", "B", str(DV / "DejaVuSansCondensed-Bold.ttf"))
    pdf.set_title(art["title"])
    pdf.set_author(art["author"])
    pdf.set_creator("fpdf2 working-paper template (benchmark corpus generator)")
    # a fixed creation date keeps the output byte-identical for the same article
    pdf.set_creation_date(dt.datetime.fromisoformat(art["date"]).replace(tzinfo=dt.UTC))
    pdf.add_page()
    W = pdf.w - pdf.l_margin - pdf.r_margin

    d = dt.date.fromisoformat(art["date"])
    pdf.set_font("DejaVuSansCond", "B", 8.5)
    pdf.set_text_color(30, 70, 120)
    pdf.cell(
        0, 5, f"{art['kicker'].upper()}  |  {d:%B} {d.day}, {d.year}".upper(), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVuSans", "B", 19)
    pdf.multi_cell(W, 8.6, art["title"], align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVuSans", "", 10)
    pdf.cell(0, 6, f"by {art['author']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_fill_color(236, 240, 246)
    pdf.set_font("DejaVuSerif", "I", 10)
    pdf.multi_cell(
        W,
        5.3,
        art["standfirst"].replace("*", ""),
        fill=True,
        padding=(3, 4, 3, 4),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)

    body_font = {"font_family": "DejaVuSerif"}
    for si, sec in enumerate(art["sections"]):
        if sec["heading"]:
            if pdf.will_page_break(30):  # keep a heading with its first lines
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font("DejaVuSans", "B", 11.5)
            pdf.set_text_color(30, 70, 120)
            pdf.multi_cell(W, 6, sec["heading"], align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
        for pi, p in enumerate(sec["paragraphs"]):
            pdf.set_font("DejaVuSerif", "", 10)
            pdf.write_html(f'<p align="justify" line-height="1.45">{html_inline(p)}</p>', **body_font)
            if si == 0 and pi == 0 and img_path and art.get("figures"):
                ih = W * 0.62 * 640 / 1200
                if pdf.will_page_break(ih + 12):
                    pdf.add_page()
                x = pdf.l_margin + W * 0.19
                pdf.image(str(img_path), x=x, w=W * 0.62)
                pdf.set_x(x)
                pdf.set_font("DejaVuSans", "I", 7.8)
                pdf.set_text_color(90, 90, 90)
                pdf.multi_cell(
                    W * 0.62, 4, art["figures"][0]["caption"], align="L", new_x="LMARGIN", new_y="NEXT"
                )
                pdf.set_text_color(0, 0, 0)
                pdf.ln(4)

    # author box
    pdf.ln(3)
    pdf.set_draw_color(30, 70, 120)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + W, pdf.get_y())
    pdf.ln(2)
    pdf.set_font("DejaVuSans", "B", 9)
    pdf.cell(0, 5, "About the author", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVuSerif", "I", 8.8)
    pdf.multi_cell(W, 4.4, C.plain(art["author_bio"]), align="L", new_x="LMARGIN", new_y="NEXT")

    # endnotes
    pdf.ln(6)
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.set_font("DejaVuSans", "B", 13)
    pdf.set_text_color(30, 70, 120)
    pdf.cell(0, 8, "Notes", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)
    for f in art["footnotes"]:
        pdf.set_font("DejaVuSerif", "", 8.4)
        pdf.write_html(f'<p line-height="1.3">{f["number"]}. {html_inline(f["text"])}</p>', **body_font)
    return pdf


def render(art: dict[str, Any], out_path: Path, img_path: Path | None = None) -> dict[str, int]:
    """Write ``art`` as an endnotes PDF to ``out_path``; returns {pages}."""
    pdf = build(art, img_path)
    pdf.output(str(out_path))
    return {"pages": pdf.page_no()}
