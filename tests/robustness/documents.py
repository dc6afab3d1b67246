"""Bad and awkward input documents, generated on demand (reportlab, pypdf, Pillow, raw bytes).

Each builder returns bytes, so a test writes exactly the case it names. The PDFs with text
are real PDFs rendered by reportlab; the damaged ones start from them or from the real-world
PDFs of ../shared/corpus/real/ (read in place) and break them the way files break in the wild.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"  # read in place
SEED = FIXTURES.parent.parent / "raw"

#: sentences with numbers, dates and named sources: every one is a check-worthy claim
PROSE = [
    "In 2019 the Ministry of Finance reported that inflation rose to 7.5 percent.",
    "According to the central bank, exports to Germany fell by 12 percent in the first quarter.",
    "The European Commission said that 40 million people live in the affected regions.",
    "Since 2015 the number of registered voters has grown by more than 300,000.",
    "The agency estimated that the programme cost 2.3 billion euros over five years.",
]


def prose_lines(n: int, offset: int = 0) -> list[str]:
    return [PROSE[(i + offset) % len(PROSE)] for i in range(n)]


def text_pdf(pages: list[list[str]], *, title: str | None = "A Report on Public Finances") -> bytes:
    """A plain one-column PDF with one line of text per entry (no notes)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, pageCompression=1)
    if title:
        c.setTitle(title)
    for number, lines in enumerate(pages, 1):
        y = 720
        if number == 1 and title:
            c.setFont("Helvetica-Bold", 16)
            c.drawString(72, y, title)
            y -= 36
        c.setFont("Helvetica", 10)
        for line in lines:
            c.drawString(72, y, line)
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


def article_pdf(pages: int = 2) -> bytes:
    """A short article without notes: several pages of check-worthy prose."""
    return text_pdf([prose_lines(30, offset=p) for p in range(pages)])


def _text_image(text: str, size: tuple[int, int] = (1200, 300)) -> object:
    """A picture of text, as a scanner would produce it (no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for i in range(0, size[1] - 30, 30):
        draw.text((20, 10 + i), text, fill=0)
    return image


def image_pdf(pages: list[bool]) -> bytes:
    """A PDF whose pages are either scanned images (False) or text (True)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    for number, has_text in enumerate(pages, 1):
        if has_text:
            c.setFont("Helvetica", 10)
            for i, line in enumerate(prose_lines(30, offset=number)):
                c.drawString(72, 720 - 14 * i, line)
        else:
            c.drawImage(ImageReader(_text_image(PROSE[number % len(PROSE)])), 36, 300, width=540, height=135)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(user_password: str, source: bytes | None = None) -> bytes:
    """``source`` (default: a text PDF) encrypted with AES-256 and a user password."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(source or article_pdf(1)))
    writer.encrypt(user_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def restricted_pdf() -> bytes:
    """Encrypted with an owner password only ("no copying"): anyone may open and read it."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(article_pdf(1)))
    writer.encrypt("", owner_password="owner only", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_pdf(fraction: float = 0.6) -> bytes:
    """A real-world PDF cut off part-way, as an interrupted download leaves it."""
    data = (REAL / "csg_obesity_news_article.pdf").read_bytes()
    return data[: int(len(data) * fraction)]


def tail_truncated_pdf() -> bytes:
    """A PDF whose content is whole but whose end (the last bytes and %%EOF) is missing."""
    data = (REAL / "martin_universalcitation_proposal.pdf").read_bytes()
    return data[: int(len(data) * 0.99)]


def corrupt_pdf() -> bytes:
    """A PDF with most of its body overwritten by zeros (a bad disk block): header and %%EOF kept."""
    data = bytearray((SEED / "article-libreoffice.pdf").read_bytes())
    data[2000 : len(data) - 5000] = bytes(len(data) - 7000)
    return bytes(data)


def build_pdf(objects: list[bytes]) -> bytes:
    """A syntactically valid PDF from object bodies (object 1 is the catalog), xref included."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def spinning_pdf(operators: int = 20_000_000) -> bytes:
    """One page, one line of text, then ``operators`` save/restore pairs in a compressed stream.

    About 100 KB on disk; pdfminer interprets every operator in pure Python, which takes
    minutes at roughly 300,000 operators a second, in constant memory.
    """
    comp = zlib.compressobj(9)
    parts = [comp.compress(b"BT /F1 12 Tf 72 720 Td (A page that takes forever to read.) Tj ET\n")]
    chunk = b"q Q " * 250_000
    for _ in range(operators // 250_000):
        parts.append(comp.compress(chunk))
    parts.append(comp.flush())
    stream = b"".join(parts)
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def html_named_pdf() -> bytes:
    """An HTML error page saved under a .pdf name (what a failed download often is)."""
    return b"<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body>Forbidden</body></html>\n"


def png_bytes() -> bytes:
    """A photo (PNG) saved under a .pdf name."""
    image = _text_image("not a pdf", size=(64, 64))
    out = io.BytesIO()
    image.save(out, format="PNG")  # type: ignore[attr-defined]
    return out.getvalue()


def article_text(paragraphs: int = 4) -> str:
    """A plain-text article without any notes."""
    body = "\n\n".join(" ".join(prose_lines(3, offset=i)) for i in range(paragraphs))
    return f"Public Finances in Review\n\n{body}\n"


def undecodable_text() -> bytes:
    """Bytes that are no text in any encoding: a binary blob saved as .txt."""
    return bytes(range(256)) * 16
