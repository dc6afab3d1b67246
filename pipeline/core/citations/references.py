"""Repeats: Ibid., Id., supra, op. cit. and short forms, and the full citation each stands for.

``find_repeat`` recognises a repeat in one citation's text (its kind, the name it gives, the
pinpoint); ``resolve_references`` links each repeat of a document to the full citation it
repeats (``refers_to``), with one function per kind of repeat.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.citations.names import find_authors, looks_like_name
from pipeline.core.citations.split import MID_SIGNAL, SIGNAL_RE
from pipeline.core.models import Citation, CitationKind

_IBID_RE = re.compile(r"(?:ibid(?:em)?|ib)\.?(?=$|[\s,;:.(])|id\.(?=$|[\s,;:.(])", re.I)
_REFERENCE = re.compile(
    r"\b(?P<supra>supra)\b(?:,?\s*(?:note|n\.)\s*(?P<note>\d+))?"
    r"|\b(?P<opcit>op\.?\s*cit\.?|loc\.?\s*cit\.?)"
    r"|\b(?P<infra>infra)\b",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"\u201d\u2019]?\s+(?=[A-Z\"\u201c])|[\"\u201d]\s+(?=[A-Z])")

# --- Recognising a repeat ---------------------------------------------------------------------


@dataclass(frozen=True)
class Repeat:
    """A citation that repeats another: its kind, the name it gives (supra, op. cit.), the pinpoint."""

    kind: CitationKind
    authors: list[str]
    pinpoint: str | None


def find_repeat(text: str, body: int) -> Repeat | None:
    """Ibid./Id., supra, op. cit., infra: the kind, the name it gives and the pinpoint."""
    ref = _IBID_RE.match(text, body) or _REFERENCE.search(text, body)
    if ref is None:
        return None
    if ref.re is _IBID_RE:
        kind = CitationKind.IBID
    else:
        kind = CitationKind.SUPRA if ref.group("supra") else CitationKind.OP_CIT
        kind = CitationKind.INFRA if ref.group("infra") else kind
    authors = (
        _named_before(text, body, ref.start()) if kind in {CitationKind.SUPRA, CitationKind.OP_CIT} else []
    )
    at = re.search(r"\b(?:at|p\.|pp\.)\s*(\d[\w\u2013\-]*)", text[ref.end() :])
    return Repeat(kind, authors, at.group(1) if at else None)


def _named_before(text: str, body: int, end: int) -> list[str]:
    """The authors named before "supra" or "op. cit." (in the last sentence, after any signal)."""
    head = text[body:end]
    breaks = list(_SENTENCE_BREAK.finditer(head))
    head = head[breaks[-1].end() :] if breaks else head  # "... investors.” Cohney, supra"
    head = MID_SIGNAL.sub(" ", " " + head)
    names: list[str] = []
    for seg in (seg.strip() for seg in re.split(r",(?!\s*(?:Jr|Sr)\b)", head)):
        found = find_authors(seg, allow_org=not names) if seg else []
        if seg and not found:
            break  # "West, Global Perspectives ..., supra": the name is what comes first
        names += found
    return names


# --- Linking repeats to what they repeat ----------------------------------------------------


@dataclass
class _Seen:
    """The citations resolved so far, by id, and the full ones among them."""

    out: list[Citation] = field(default_factory=list)
    by_id: dict[str, Citation] = field(default_factory=dict)
    fulls: list[Citation] = field(default_factory=list)


def resolve_references(citations: Sequence[Citation]) -> list[Citation]:
    """Link each repeat to the full citation it stands for (``refers_to``), in document order.

    * Ibid./Id.: the preceding citation (its target, if it is itself a repeat);
    * supra note N: the citation in note N by the named author, else the latest one by that
      author anywhere earlier (notes are sometimes misnumbered), else note N's only citation;
    * op. cit.: the latest citation by the named author;
    * short forms (``Roubanis, 'Old enemies'``, ``Camp, 314 Ga. at 700``): the latest full
      citation by the same author with a matching title, or with the same volume and reporter.

    A repeat that cannot be resolved keeps ``refers_to`` None rather than a guess.
    """
    seen = _Seen()
    for cit in citations:
        kind, target = _resolve(cit, seen)
        resolved = cit.model_copy(update={"kind": kind, "refers_to": target})
        seen.out.append(resolved)
        seen.by_id[resolved.citation_id] = resolved
        if kind == CitationKind.FULL:
            seen.fulls.append(resolved)
    return seen.out


def _resolve(cit: Citation, seen: _Seen) -> tuple[CitationKind | None, str | None]:
    """(kind, refers_to) of one citation, given those before it."""
    if cit.kind == CitationKind.IBID:
        return cit.kind, _ibid_target(seen)
    if cit.kind == CitationKind.SUPRA:
        return cit.kind, _supra_target(cit, seen)
    if cit.kind == CitationKind.OP_CIT:
        return cit.kind, _op_cit_target(cit, seen)
    if cit.kind in {CitationKind.FULL, CitationKind.SHORT_FORM, CitationKind.COMMENTARY}:
        # "Katz, 12." reads as commentary on its own; an earlier citation by Katz makes it a repeat
        short, prev = _short_form_target(cit, seen.fulls)
        if short:
            return CitationKind.SHORT_FORM, prev.citation_id if prev is not None else None
    return cit.kind, None


def _root(cit: Citation | None) -> str | None:
    """The full citation a citation stands for: itself, or what it repeats."""
    if cit is None:
        return None
    return cit.citation_id if cit.kind == CitationKind.FULL else cit.refers_to


def _ibid_target(seen: _Seen) -> str | None:
    """Ibid./Id.: the preceding citation (not a commentary or cross-reference), or its target."""
    prev = next(
        (c for c in reversed(seen.out) if c.kind not in {CitationKind.COMMENTARY, CitationKind.INFRA}), None
    )
    return _root(prev)


def _supra_target(cit: Citation, seen: _Seen) -> str | None:
    """supra note N: by the named author in note N, else anywhere earlier, else note N's only citation."""
    name = " ".join(cit.authors)
    m = _REFERENCE.search(cit.raw_text)
    note = int(m.group("note")) if m and m.group("note") else None
    in_note = [c for c in seen.out if note is not None and c.footnote_number == note and _root(c)]
    pick = _by_name_in_note(name, in_note, seen)
    if pick is None and name:
        pick = next((c for c in reversed(seen.fulls) if _names_match(name, c)), None)
    if pick is None and not name and in_note:
        pick = in_note[0]
    if pick is None and len(in_note) == 1:
        pick = in_note[0]
    return _root(pick)


def _by_name_in_note(name: str, in_note: Sequence[Citation], seen: _Seen) -> Citation | None:
    """The citation in the note whose full citation is by the named author, else one that names
    the author anywhere in its text."""
    return next(
        (c for c in in_note if name and _names_match(name, seen.by_id.get(_root(c) or "", c))), None
    ) or next((c for c in in_note if name and _names_match(name, c, anywhere=True)), None)


def _op_cit_target(cit: Citation, seen: _Seen) -> str | None:
    """op. cit.: the latest full citation by the named author."""
    name = " ".join(cit.authors)
    return _root(next((c for c in reversed(seen.fulls) if name and _names_match(name, c)), None))


def _short_form_target(cit: Citation, fulls: Sequence[Citation]) -> tuple[bool, Citation | None]:
    """(is this a short form?, the earlier full citation it repeats)."""
    if cit.kind == CitationKind.SHORT_FORM or (
        cit.volume and cit.container and cit.page and not cit.published
    ):
        return _legal_short_form_target(cit, fulls)
    if cit.urls or cit.doi or cit.published or "\u00a7" in cit.raw_text:
        return False, None
    return _named_short_form_target(cit, fulls)


def _legal_short_form_target(cit: Citation, fulls: Sequence[Citation]) -> tuple[bool, Citation | None]:
    """The same volume and reporter (and first page, if the repeat gives one)."""
    for prev in reversed(fulls):
        if _same_reporter(cit, prev) and (cit.page is None or cit.page == prev.page):
            return True, prev
    return cit.kind == CitationKind.SHORT_FORM, None


def _named_short_form_target(cit: Citation, fulls: Sequence[Citation]) -> tuple[bool, Citation | None]:
    """An author's name and a shortened title or a page: the latest full citation by that author
    whose title starts with (or nearly contains) the shortened one."""
    text = re.sub(r"^\W+|\W+$", "", SIGNAL_RE.sub("", cit.raw_text.strip()))
    m = re.match(r"^([^,]{2,60}),\s*(.*)$", text) or re.match(r"^([^,]{2,60})()$", text)
    if not m or not looks_like_name(m.group(1)) or len(text.split()) > 16:
        return False, None
    name, rest = m.group(1), m.group(2)
    if not _name_tokens(name):
        return False, None
    rest = re.sub(r"(?:,?\s*(?:at\s+|pp?\.\s*)?\d[\d\u2013\-]*)+\.?$", "", rest).strip(" ,.")
    short_title = _fold(rest.strip(" ,.\"'\u201c\u201d\u2018\u2019"))
    for prev in reversed(fulls):
        if not _name_tokens(name) <= _name_tokens(" ".join(prev.authors)):
            continue
        target = _fold(prev.title or "")
        if not short_title or target.startswith(short_title) or _partial_ratio(short_title, target) >= 90:
            return True, prev
    # "Katz, 12." (a name and a page) is a short form even when its full citation is not in the
    # document; "Martin, Abandoning Law Reports" may be a full citation without a date.
    return not short_title and bool(m.group(2)), None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("\u2019", "'")


def _name_tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'\-]+", _fold(text)) if w not in {"et", "al", "see", "and"}}


def _names_match(name: str, cit: Citation, *, anywhere: bool = False) -> bool:
    """The name's words are among the citation's authors (or case name; or anywhere in its text)."""
    want = _name_tokens(name)
    if not want:
        return False
    have = _name_tokens(" ".join(cit.authors)) | _name_tokens(cit.title or "")
    return want <= have or (anywhere and want <= _name_tokens(cit.raw_text))


def _same_reporter(a: Citation, b: Citation) -> bool:
    squash = lambda s: re.sub(r"[\s.]", "", s or "").lower()  # noqa: E731
    return bool(a.volume and a.volume == b.volume and squash(a.container) == squash(b.container))


def _partial_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.partial_ratio(a, b) if a and b else 0.0
