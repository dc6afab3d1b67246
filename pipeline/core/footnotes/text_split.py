"""The plain-text pipeline (extractions such as article-seed.txt): blocks, pieces, notes, body.

A text extraction keeps no layout, so the structure is read from the text itself. First the
extraction debris goes: TeX, HTML and Markdown markup (superscripts written as ``$^{12}$``,
``<sup>``, ``[^12]`` become superscript digits), running headers and footers, page numbers, and
note labels printed apart from their notes. Blocks (split at blank lines) and their lines are
then read into notes, note fragments and body text (``text_pieces``); fragments go to the notes
they continue (``text_fragments``); each note's text and URLs are repaired (``text_notes``) and
the body is read into paragraphs with its markers (``text_body``).
"""

from __future__ import annotations

import html
import re
from collections import Counter

from pipeline.core.footnotes.cues import CITE_START, URL_START, reads_like_citation, tail_kind
from pipeline.core.footnotes.markers import TO_SUP
from pipeline.core.footnotes.text_body import assemble_body
from pipeline.core.footnotes.text_fragments import attach_fragments
from pipeline.core.footnotes.text_notes import build_vocabulary, note_from_parts
from pipeline.core.footnotes.text_pieces import Labels, TextLine, number_word_labels, read_pieces
from pipeline.core.models import Note, Paragraph, ParsedDocument

# TeX wrappers around plain text: $\underline{...}$, \emph{...}
_TEX_WRAPPER = re.compile(r"\$?\\(?:underline|textit|emph|textbf|mathrm|text|url)\{([^{}$]*)\}\$?")
# Superscripts written as TeX ($^{17}$, $^{\rm 17}$, ^{2023,}), HTML or Markdown note references.
_MARKUP_SUP = re.compile(
    r"\$\^\{(.{1,24}?)\}\$|\^\{([^{}\n]{1,12})\}|<sup>([^<]{1,12})</sup>|\[\^(\d{1,4})\]:?", re.I
)
_TEX_ESCAPE = re.compile(r"\\([$%&_#])")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,7});", re.I)
#: A page number line: "12", "Page 2 of 9", "- 3 -".
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]", re.I)


def split_text(doc: ParsedDocument) -> tuple[list[Paragraph], list[Note]]:
    """Recover body and notes from a text extraction that interleaves them (see the module docstring)."""
    blocks = _read_blocks(doc)
    vocab = build_vocabulary("\n".join(ln.text for block in blocks for ln in block))
    labels = Labels()
    pieces = read_pieces(blocks, labels)
    number_word_labels(pieces, labels)
    note_pieces = attach_fragments(pieces, vocab)
    if not note_pieces:  # no note labels at all: what looked like citations stays in the body
        for p in pieces:
            p.kind = "body"
    notes = [n for n in (note_from_parts(p, vocab) for p in note_pieces) if n is not None]
    notes.sort(key=lambda n: n.number)
    paragraphs = assemble_body(pieces, doc.title, vocab)
    return paragraphs, notes


def _read_blocks(doc: ParsedDocument) -> list[list[TextLine]]:
    """The text's blocks (split at blank lines), without markup debris, running lines or page numbers."""
    blocks: list[list[TextLine]] = []
    running = _running_lines(doc)
    for page in doc.layout:
        current: list[TextLine] = []
        texts = [_normalize_line(ln.text).strip() for ln in page.lines]
        texts = _restore_label_column([t for t in texts if _mask_digits(t) not in running])
        for text in texts:
            if _PAGE_NUMBER.fullmatch(text):
                continue  # a running header, footer or page number ("12", "Page 2 of 9", "- 3 -")
            if text:
                current.append(TextLine(page.number, text))
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
    return blocks


def _normalize_line(text: str) -> str:
    """Undo the markup debris of text extractions: TeX, HTML entities, Markdown note references."""
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text)  # Markdown heading marks
    text = _TEX_WRAPPER.sub(lambda m: m.group(1), text)
    text = _MARKUP_SUP.sub(_superscript_from_markup, text)
    text = _TEX_ESCAPE.sub(r"\1", text)
    text = text.replace("[&]", "&")
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _superscript_from_markup(m: re.Match) -> str:
    """A markup superscript as superscript digits (a note reference), or its text (``20$^{th}$``)."""
    body = next(g for g in m.groups() if g is not None)
    body = re.sub(r"\\[A-Za-z]+|[\\{}^$]", " ", body)
    body = re.sub(r"(?<![A-Za-z])(?:rm|mathrm|textsuperscript)(?![A-Za-z])", " ", body)
    digits = re.fullmatch(r"\s*(\d{1,4})\s*(\S*)\s*", body)
    if digits is None:
        return body.strip()  # 20$^{th}$ -> 20th
    return digits.group(1).translate(TO_SUP) + digits.group(2)


def _restore_label_column(lines: list[str]) -> list[str]:
    """Put back note numbers that the extraction printed apart from their notes.

    Hanging labels come out as lines of their own: each before its note (``1`` / ``Andrea…``), or
    all together before the notes of the page (``1 2 3`` / three notes). A run of consecutive
    numbers is matched to as many note starts: the first line, then the lines most likely to begin
    a note (the line before ends a citation or stops short of the full width; a citation starts).
    """
    out = list(lines)
    i = 0
    while i < len(out):
        run: list[int] = []  # indexes of the label lines
        j = i
        while j < len(out) and (not out[j] or re.fullmatch(r"\d{1,3}", out[j])):
            if out[j] and (not run or int(out[j]) == int(out[run[-1]]) + 1):
                run.append(j)
            elif out[j]:
                break
            j += 1
        if not run:
            i += 1
            continue
        body = []  # the text lines after the labels, up to a blank line or another label
        k = j
        while k < len(out) and out[k] and not re.fullmatch(r"\d{1,3}", out[k]):
            body.append(k)
            k += 1
        if body and len(body) >= len(run) and reads_like_citation(" ".join(out[x] for x in body[:3])):
            starts = _note_starts(out, body, len(run))
            for label_at, start in zip(run, starts, strict=True):
                out[start] = f"{out[label_at]} {out[start]}"
                out[label_at] = ""
        i = max(j, i + 1)
    return out


def _note_starts(lines: list[str], body: list[int], count: int) -> list[int]:
    """The ``count`` lines of ``body`` most likely to start a note, in order.

    The first line usually starts one, unless the notes of the page open with the end of a note
    from the page before (a URL, a lowercase word).
    """
    width = max(len(lines[k]) for k in body)
    scored = []
    for n, b in enumerate(body):
        prev, line = (lines[body[n - 1]] if n else ""), lines[b]
        score = 3.0 if n == 0 else 0.0
        if n and tail_kind(prev) in ("complete", "url_break"):
            score += 1.5
        if n and len(prev) < 0.85 * width:
            score += 1.5
        if CITE_START.match(line) or re.match(r"[A-Z][\w.'’-]+ [A-Z][\w.'’-]+,", line):
            score += 1.0
        if line[:1].islower() or (n and tail_kind(prev) in ("hyphen", "url_open", "comma", "month", "open")):
            score -= 2.0
        if URL_START.match(line) or prev.rstrip().endswith((";", ",", ',"', ",”")):
            score -= 2.0  # a URL or another citation goes on with the note before
        if prev.count('"') % 2 or prev.count("“") > prev.count("”"):
            score -= 2.0  # the line before stops inside a quoted title
        scored.append((score, b))
    best = sorted(scored, key=lambda x: -x[0])[:count]
    return sorted(b for _, b in best)


def _mask_digits(text: str) -> str:
    """The text with every run of digits as ``#`` (running lines differ in their page numbers)."""
    return re.sub(r"\d+", "#", text)


def _running_lines(doc: ParsedDocument) -> set[str]:
    """Running headers and footers: short lines (digits masked) at the top or foot of most pages."""
    pages = [[ln.text.strip() for ln in page.lines if ln.text.strip()] for page in doc.layout]
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_mask_digits(t) for t in lines[:3] + lines[-3:] if len(t.split()) <= 20 and not t.isdigit()}
        counts.update(edge)
    return {t for t, n in counts.items() if n >= 3 and n >= 0.4 * len(pages)}
