"""Body of text input: paragraphs, headings and captions, with the note markers taken out.

Body text broken by notes, a caption or a column end is joined again when it visibly goes on (a
sentence left open, a lowercase start). Superscript digits are markers for sure; plain digits
count only where the marker sequence expects them and the words around do not make them a
count, a year or a reference ("article 5", "42 percent").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.footnotes.cues import SENTENCE_END, SOFT_HYPHEN
from pipeline.core.footnotes.markers import SUP, parse_marker_label
from pipeline.core.footnotes.text_notes import Vocabulary, drops_line_hyphen
from pipeline.core.footnotes.text_pieces import Piece
from pipeline.core.models import Marker, Paragraph, ParagraphKind
from pipeline.core.text.dates import BODY_YEAR, MONTH_WORD

_BODY_MARKER = re.compile(
    rf"(?P<sup>\s?[{SUP}]{{1,4}}(?:[,\u2013-][{SUP}]{{1,4}})*)"
    r"|(?<=[A-Za-z%)\]][.,;:!?])(?P<punct>\d{1,3})(?=\s|$)"
    r"|(?<=[A-Za-z][.,;:!?][\"'\u201d\u2019)])(?P<quoted>\d{1,3})(?=\s|$)"
    r"|(?P<spaced>\s\d{1,3})(?=[\s.,;:!?]|$)(?!,\d)"
    rf"|(?<=\b{BODY_YEAR})(?P<year>\d{{1,3}})(?=[\s.,;:!?]|$)"
    rf"|(?<=\b{BODY_YEAR}[.,;:])(?P<yearpunct>\d{{1,3}})(?=\s|$)"
    r"|(?<=[a-z]{3})(?P<glued>\d{1,3})(?=[\s.,;:!?]|$)"
)
# Words after which a number is a quantity or a reference, not a note marker.
_COUNT_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "a an the of in on at by to for from with than and or over under about around nearly almost "
        "some all these those its their his her our article section chapter page pages no vol issue "
        "paragraph resolution law act item table figure fig top first last only just least most every "
        "each per were was are is be been had has have among between into after before since until "
        "during within without more less fewer"
    ).split()
)
_QUANTITY_AFTER = re.compile(
    r"\s*(?:%|percent|per\b|million|billion|thousand|hundred|years?\b|months?\b|weeks?\b|days?\b|"
    r"hours?\b|km\b|miles?\b|times\b|people\b)",
    re.I,
)


#: a sentence ends right before a number / a new one starts right after it (or the text ends)
_SENTENCE_BEFORE = re.compile(r"[.!?][\"'\u201d\u2019)]?\s*$")
_SENTENCE_AFTER = re.compile(r"\s+[\"\u201c]?[A-Z]|\s*$")


def _marker_fits(kind: str, numbers: list[int], expected: int, text: str, m: re.Match) -> bool:
    """Is the number found (of this kind) the marker the sequence expects, not a count or a year?"""
    n = numbers[0]
    if kind == "sup":
        return expected - 10 <= n <= expected + 30
    # only the text just before the number is looked at: the whole of it made long paragraphs
    # quadratic (a 300,000-character paragraph took minutes)
    before = text[max(0, m.start() - 200) : m.start()]
    # After a full stop and before a new sentence a number is most likely a marker, so the
    # sequence may have skipped a few (markers missing from the body, as in the seed).
    ends_sentence = bool(_SENTENCE_BEFORE.search(before)) and bool(_SENTENCE_AFTER.match(text, m.end()))
    if kind in ("punct", "quoted"):
        return expected <= n <= expected + (6 if ends_sentence else 3)
    if kind in ("year", "glued"):
        return n == expected
    if kind == "yearpunct":  # "by 2028.4": a year, then the marker
        return n == expected and not _QUANTITY_AFTER.match(text, m.end())
    if _QUANTITY_AFTER.match(text, m.end()):
        return False
    before = before.rstrip()
    if before[-1:] in ".,;:!?\"'\u201d\u2019)":
        return expected <= n <= expected + (6 if ends_sentence else 2)
    word = before.rsplit(None, 1)[-1] if before else ""
    return (
        n == expected
        and word.isalpha()
        and word.lower() not in _COUNT_WORDS
        and not re.fullmatch(MONTH_WORD, word)
    )


@dataclass(frozen=True)
class _TextMarker:
    """A marker taken out of body text: the note number, the label as printed, its offset."""

    number: int
    label: str
    offset: int


@dataclass(frozen=True)
class _StrippedText:
    """Body text without its markers, the markers, and the note number expected next."""

    text: str
    markers: list[_TextMarker]
    expected: int


def _strip_text_markers(text: str, expected: int) -> _StrippedText:
    """Take note markers out of body text; plain digits count only where the sequence expects them."""
    out = ""
    found: list[_TextMarker] = []
    pos = 0
    # A superscript is a marker for sure: a plain number with the same value is then a count.
    sure = {n for m in re.finditer(rf"[{SUP}]+", text) for n in parse_marker_label(m.group(0))}
    for m in _BODY_MARKER.finditer(text):
        kind = next(k for k, v in m.groupdict().items() if v is not None)
        label = m.group(kind).strip()
        numbers = parse_marker_label(label)
        if not numbers or not _marker_fits(kind, numbers, expected, text, m):
            continue
        if kind != "sup" and numbers[0] in sure:
            continue
        out += text[pos : m.start()]
        found += [_TextMarker(n, label, len(out)) for n in numbers]
        pos = m.end()
        expected = max(expected, numbers[-1] + 1)
    return _StrippedText(out + text[pos:], found, expected)


#: the word a line ends with before its hyphen
_WORD_AT_HYPHEN = re.compile(r"([A-Za-z]+)[-\u00ad]$")
#: how much of the end of a text a joint looks at (the word before a line-end hyphen)
_TAIL = 100


def _join_body(text: str, part: str, vocab: Vocabulary) -> str:
    """Join body text broken at a line, block or column end."""
    if not text:
        return part
    drop, sep = _joint(text[-_TAIL:], part, vocab)
    return (text[:-1] if drop else text) + sep + part


def _joint(tail: str, part: str, vocab: Vocabulary) -> tuple[bool, str]:
    """How ``part`` joins a text ending in ``tail``: (drop the text's last character?, separator).

    Only the end of the text is looked at, so joining the lines of a long paragraph stays linear.
    """
    a = _WORD_AT_HYPHEN.search(tail)
    if a and part[:1].islower():
        b = re.match(r"[A-Za-z]+", part)
        drop = b is not None and drops_line_hyphen(a.group(1), b.group(0), vocab)
        return drop or tail.endswith(SOFT_HYPHEN), ""
    if a and part[:1].isupper() and tail.endswith("-"):
        return False, ""  # "counter-" + "Iranian": a compound before a name keeps its hyphen
    return False, " "


# What credits a picture or names a figure: such a short block inside a paragraph is a caption.
_TEXT_CAPTION = re.compile(
    r"^(?:Figure|Fig\.|Map|Chart|Photo|Image|Graph)\s*\d*\b|\((?:Photo|Image|Picture|Source|Credit)s?\b"
    r"|\bvia (?:Wiki|Getty|Reuters|AP|AFP|Flickr|Shutterstock)",
    re.I,
)


def _unfinished(text: str) -> bool:
    """Does the text stop short of a sentence end (or at a hyphen)?"""
    return not SENTENCE_END.search(text.rstrip()) or text.rstrip().endswith(("-", SOFT_HYPHEN))


def _is_title(text: str, title: str | None) -> bool:
    """The document's title line (as the layout guessed it), unless it reads as running text."""
    return (
        bool(title)
        and text.strip() == (title or "").strip()
        and len(text.split()) <= 25
        and text[:1].isupper()
        and not re.search(r"[.!?]\s|[-,;]$", text)
    )


def assemble_body(pieces: list[Piece], title: str | None, vocab: Vocabulary) -> list[Paragraph]:
    """The body pieces read into paragraphs: title, front matter, headings, captions and body text."""
    body = [p for p in pieces if p.kind == "body"]
    texts = [_piece_text(piece, vocab) for piece in body]
    reader = _BodyReader(title=title, vocab=vocab)
    for k, (piece, text) in enumerate(zip(body, texts, strict=True)):
        if not text:
            continue
        nxt = texts[k + 1] if k + 1 < len(texts) else ""
        reader.add(piece.page, text, nxt)
    return reader.paragraphs


def _piece_text(piece: Piece, vocab: Vocabulary) -> str:
    """A body piece's parts joined, without its italics stars.

    The parts are collected in a list and each joint looks only at the end of the text so far:
    a paragraph of thousands of hard-wrapped lines is joined in linear time.
    """
    out: list[str] = []
    tail = ""  # the last characters of the text so far
    for raw in piece.parts:
        part = raw.strip()
        if not tail:  # nothing but empty parts so far
            out, tail = [part], part[-_TAIL:]
            continue
        drop, sep = _joint(tail, part, vocab)
        if drop:
            out[-1] = out[-1][:-1]
        out += [sep, part]
        tail = ((tail[:-1] if drop else tail) + sep + part)[-_TAIL:]
    text = "".join(out)
    return re.sub(r"\*([^*\n]+)\*", r"\1", text)


class _BodyReader:
    """Paragraphs so far, the section they are in, the marker expected next, and the paragraph the
    body text may still continue."""

    def __init__(self, title: str | None, vocab: Vocabulary) -> None:
        self.title = title
        self.vocab = vocab
        self.paragraphs: list[Paragraph] = []
        self.section: str | None = None
        self.expected = 1
        self.flow: Paragraph | None = None  # the paragraph body text may still continue

    def add(self, page: int, text: str, nxt: str) -> None:
        """Read one body piece's text (``nxt`` is the next piece's) into the paragraphs."""
        words = text.split()
        short = self._reads_as_heading(text, words, nxt)
        if _is_title(text, self.title):
            self.paragraphs.append(
                Paragraph(index=len(self.paragraphs), page=page, kind=ParagraphKind.TITLE, text=text)
            )
            return
        if short and text[:1].isupper() and (self.flow is None or not _unfinished(self.flow.text)):
            self._add_heading(page, text)
            return
        stripped = _strip_text_markers(text, self.expected)
        self.expected = stripped.expected
        lead = len(stripped.text) - len(stripped.text.lstrip())
        clean = stripped.text.strip()
        found = [
            _TextMarker(m.number, m.label, min(max(0, m.offset - lead), len(clean))) for m in stripped.markers
        ]
        if self._is_inset(clean, found, words, nxt):
            # a caption or pull quote set inside a paragraph that goes on after it
            self.paragraphs.append(
                Paragraph(
                    index=len(self.paragraphs),
                    page=page,
                    kind=ParagraphKind.CAPTION,
                    section=self.section,
                    text=clean,
                )
            )
            return
        if self.flow is not None and (clean[:1].islower() or _unfinished(self.flow.text)):
            self._continue_flow(self.flow, page, clean, found)
            return
        self._start_flow(page, clean, found)

    def _reads_as_heading(self, text: str, words: list[str], nxt: str) -> bool:
        """A short line that ends no sentence, has no markers and is not continued by the next block."""
        return (
            len(words) <= 12
            and not SENTENCE_END.search(text)
            and not text.endswith((",", ";", "-", SOFT_HYPHEN))
            and not nxt[:1].islower()
            and not _strip_text_markers(text, self.expected).markers
        )

    def _add_heading(self, page: int, text: str) -> None:
        """A heading; before the first body paragraph it is front matter (``other``)."""
        front = not any(p.kind == ParagraphKind.BODY for p in self.paragraphs)
        kind = ParagraphKind.OTHER if front else ParagraphKind.HEADING
        if not front:
            self.section = text
        self.paragraphs.append(
            Paragraph(index=len(self.paragraphs), page=page, kind=kind, section=self.section, text=text)
        )
        self.flow = None

    def _is_inset(self, clean: str, found: list[_TextMarker], words: list[str], nxt: str) -> bool:
        """Is this short block set inside an unfinished paragraph that goes on after it?"""
        return (
            self.flow is not None
            and _unfinished(self.flow.text)
            and not found
            and len(words) <= 30
            and clean[:1].isupper()
            and bool(nxt[:1].islower() or nxt[:1].isdigit() or _TEXT_CAPTION.search(clean))
        )

    def _continue_flow(self, flow: Paragraph, page: int, clean: str, found: list[_TextMarker]) -> None:
        """Join the text to the paragraph it continues, moving its markers along."""
        joined = _join_body(flow.text, clean, self.vocab)
        base = len(joined) - len(clean)
        flow.text = joined
        flow.markers += [
            Marker(number=m.number, label=m.label, page=page, paragraph=flow.index, offset=base + m.offset)
            for m in found
        ]

    def _start_flow(self, page: int, clean: str, found: list[_TextMarker]) -> None:
        """Start a new body paragraph that later text may continue."""
        self.flow = Paragraph(
            index=len(self.paragraphs), page=page, kind=ParagraphKind.BODY, section=self.section, text=clean
        )
        self.flow.markers = [
            Marker(number=m.number, label=m.label, page=page, paragraph=self.flow.index, offset=m.offset)
            for m in found
        ]
        self.paragraphs.append(self.flow)
