"""Notes of text input: a note's parts joined into its text, and its URLs repaired.

Words and URLs broken at line ends are decided from the document itself first (the joined
spelling printed elsewhere, "Clingendael" for "clingen-dael.org"), then from word frequencies;
for a URL the other spelling stays an alternative. Extraction damage around URLs is undone too:
a leaked HTML anchor, underscores printed as spaces under a link underline, citations run
together after a URL.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from pipeline.core.footnotes.cues import (
    CITE_START,
    SOFT_HYPHEN,
    URL_START,
    URL_WORDS,
    head_kind,
    tail_kind,
    url_goes_on,
)
from pipeline.core.footnotes.markers import FROM_SUP
from pipeline.core.footnotes.text_pieces import Piece
from pipeline.core.models import Note, Span, UrlRef
from pipeline.core.text.linejoin import hyphen_is_real
from pipeline.core.text.urls import find_urls, with_scheme
from pipeline.core.text.words import word_score


@dataclass
class Vocabulary:
    """Spellings the document itself prints: the evidence for repairing its broken words and URLs."""

    words: set[str]  # words of the prose (outside URLs), lowercase
    url_tokens: set[str]  # alphanumeric runs of the URLs
    names: set[str]  # runs of capitalised words, squashed ("Tehran Times" -> "tehrantimes"): host names
    hyphenated: set[str]  # hyphenated words of the prose ("al-monitor")
    # Paragraphs printed on single lines: the extraction removed the line breaks, so a hyphen
    # inside a line may be a former line-end hyphen. In wrapped text such hyphens are printed.
    unwrapped: bool = True


def build_vocabulary(text: str) -> Vocabulary:
    """The spellings ``text`` prints: prose words, URL runs, capitalised names, hyphenated words."""
    urls = find_urls(text)
    url_tokens: set[str] = set()
    for url in (m.url for m in urls):
        # runs between hyphens may be halves of a broken word: only whole runs are evidence
        runs = re.split(r"[^a-z0-9-]+", url.lower().replace(SOFT_HYPHEN, "-"))
        url_tokens.update(t for t in runs if t and "-" not in t)
    prose = text
    for m in reversed(urls):
        prose = prose[: m.start] + " " + prose[m.end :]
    found = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", prose)
    words = {p.lower() for w in found for p in w.split("-")}
    # slugs drop apostrophes: "Thailand's" is printed "thailands"
    words.update(m.replace("'", "").replace("’", "").lower() for m in re.findall(r"[A-Za-z]+['’]s\b", prose))
    hyphenated = {w.lower() for w in found if "-" in w}
    names: set[str] = set()
    for run in re.findall(r"(?:\b[A-Z][A-Za-z]*\b ?){2,5}", prose):
        caps = run.split()
        for i in range(len(caps)):
            for j in range(i + 2, min(len(caps), i + 4) + 1):
                names.add("".join(caps[i:j]).lower())
    lines = [ln for ln in text.splitlines() if ln.strip()]
    unwrapped = sum(len(ln) > 120 for ln in lines) >= 0.3 * len(lines)
    return Vocabulary(
        words=words, url_tokens=url_tokens, names=names, hyphenated=hyphenated, unwrapped=unwrapped
    )


def drops_line_hyphen(left: str, right: str, vocab: Vocabulary) -> bool:
    """A word broken at a line end by a hyphen: drop the hyphen (True) or keep it (False)."""
    joined = (left + right).lower()
    if word_score(joined) >= 2.0 or (len(joined) >= 5 and joined in vocab.words):
        return True
    if f"{left}-{right}".lower() in vocab.hyphenated:
        return False
    return not (word_score(left) >= 3.0 and word_score(right) >= 3.0)


def join_note_parts(parts: list[str], vocab: Vocabulary) -> str:
    """Join a note's parts, deciding each break by how one part ends and the next starts."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not text:
            text = part
            continue
        tail, head = tail_kind(text), head_kind(part)
        if tail == "url_open" and head in ("urlpath", "lower"):
            text = text[:-1] + SOFT_HYPHEN + part  # decided with the URL's other hyphens
        elif (tail == "url_break" and head == "urlpath") or url_goes_on(text, part):
            text += part
        elif tail == "hyphen" and head == "lower":
            a = re.search(r"([A-Za-z]+)-$", text)
            b = re.match(r"[A-Za-z]+", part)
            drop = a is not None and b is not None and drops_line_hyphen(a.group(1), b.group(0), vocab)
            text = (text[:-1] if drop else text) + part
        elif head == "cite" and tail in ("complete", "url_break", "dated"):
            text += (" " if text.endswith((".", ";")) else "; ") + part
        else:
            text += " " + part
    return text


_FILE_TAIL = re.compile(
    r"((?: [A-Za-z0-9][\w.-]*){1,8}?\.(?:pdf|html?|aspx?|php|docx?|xlsx?|pptx?))(?=[\s;,)]|$)", re.I
)
_ANCHOR_LEAK = re.compile(r"((?:https?|ftp)://[^\s\"<>]+)\"\s*>\s*((?:https?|ftp)://[^\s\"<>]+)")


def _repair_note_text(text: str) -> str:
    """Text-level damage around URLs: a leaked HTML anchor, underscores printed as spaces, and
    citations run together after a URL with no separator."""
    text = _ANCHOR_LEAK.sub(
        lambda m: (
            m.group(1) + m.group(2)[len(m.group(1)) :] if m.group(2).startswith(m.group(1)) else m.group(0)
        ),
        text,
    )
    out = text
    for match in reversed(find_urls(text)):
        end, url = match.end, match.url
        if re.search(r"\.[a-z]{2,4}$", url.rsplit("/", 1)[-1], re.I) and "/" in url.split("//", 1)[-1]:
            continue  # the URL already ends with a file name
        m = _FILE_TAIL.match(text, end)
        if m:  # "…/2017C24 wis zbv.pdf": a link underline hid the underscores
            out = out[:end] + m.group(1).replace(" ", "_") + out[m.end() :]
        elif CITE_START.match(text, end + 1) and text[end : end + 1] == " ":
            out = out[:end] + ";" + out[end:]  # "…#xj4y7vzkg Natalia Bagirova, "…"
    words = URL_WORDS.search(out)
    if words and sum(w[:1].isupper() for w in words.group(1).split()) * 2 >= len(words.group(1).split()):
        out = out[: words.start(1)] + words.group(1).replace(" ", "_") + out[words.end(1) :]
    return out


def _hyphen_added(
    left: str, right: str, *, line_end: bool, where: str, context: str, vocab: Vocabulary
) -> tuple[bool, bool]:
    """Was the hyphen between two URL fragments added by the layout?

    Returns (added, doubtful); when doubtful the other spelling is worth a try. ``where`` is "host",
    "slug" (a path segment of hyphenated words: a title or names, whose hyphens are real unless
    the joined word says otherwise) or "path". Evidence, strongest first: the note's own words
    (``next in line`` for ``next-in-line``); hyphenation rules (a typesetter leaves at least 2
    letters before a break and 3 after); the joined spelling printed elsewhere in the document
    (``Clingendael`` for ``clingen-dael.org``, ``Tehran Times`` for the host ``teh-rantimes.com``);
    a hyphenated spelling printed elsewhere; word frequencies. A hyphen printed at a line end was
    more likely added than one inside a line.
    """
    a = re.search(r"[A-Za-z0-9]+$", left)
    b = re.match(r"[A-Za-z0-9]+", right)
    if not a or not b or not a.group(0).isalpha() or not b.group(0).isalpha():
        return False, _breaks_an_id(a, b)
    lw, rw = a.group(0).lower(), b.group(0).lower()
    printed = _printed_evidence(lw, rw, line_end=line_end, where=where, context=context, vocab=vocab)
    if printed is not None:
        return printed
    return _frequency_evidence(lw, rw, left, right, line_end=line_end, where=where)


def _breaks_an_id(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    """Digits beside the hyphen: a date or an ID; only an ID (idUK-TRE51G1VR) may have been broken."""
    return bool(a and b) and all(
        re.search(r"[A-Za-z]", x) and re.search(r"\d|[a-z][A-Z]", x) for x in (a.group(0), b.group(0))
    )


def _printed_evidence(
    lw: str, rw: str, *, line_end: bool, where: str, context: str, vocab: Vocabulary
) -> tuple[bool, bool] | None:
    """The decision the note and the document's own spellings make (None when they say nothing)."""
    joined = lw + rw
    if not line_end and not vocab.unwrapped:
        return False, False
    if f" {lw} {rw} " in context:
        return False, False
    if len(lw) < 2 or len(rw) < 3:
        return False, False
    if len(joined) >= 5 and (
        joined in vocab.words or joined in vocab.url_tokens or (where == "host" and joined in vocab.names)
    ):
        return True, False
    if f"{lw}-{rw}" in vocab.hyphenated:
        return False, False
    return None


def _frequency_evidence(
    lw: str, rw: str, left: str, right: str, *, line_end: bool, where: str
) -> tuple[bool, bool]:
    """The decision word frequencies (and, at a line end, the rules of real hyphens) make."""
    joined = lw + rw
    both_words = word_score(lw) >= 3.0 and word_score(rw) >= 3.0
    if word_score(joined) >= 2.0:
        return True, both_words  # "salva-tion" is clear; "high-lights" could be either
    if line_end:
        segment = left.rsplit("/", 1)[-1] + right.split("/", 1)[0]
        return not hyphen_is_real(lw + "-", rw, segment), True
    if where == "slug":
        return False, False
    return not (word_score(lw) >= 3.0 or (word_score(rw) >= 3.0 and len(rw) >= 4)), not both_words


def _split_compound(token: str, context: str, vocab: Vocabulary) -> int | None:
    """Where a hyphen was lost inside a slug word ("defiestrump" -> "defies-trump"), if anywhere.

    Extractions drop a real hyphen at a line end (some join hyphenated words on purpose).
    """
    camel = re.fullmatch(r"([a-z]{2,})([A-Z][a-z]{2,})", token)  # "ofUkraine"
    if camel and min(word_score(camel.group(1)), word_score(camel.group(2))) >= 3.0:
        return camel.end(1)
    mixed = re.fullmatch(r"([A-Za-z]{3,})(\d+)|(\d+)([A-Za-z]{3,})", token)  # "purchasing24", "11months"
    if mixed and word_score(mixed.group(1) or mixed.group(4)) >= 3.0:
        return len(mixed.group(1) or mixed.group(3))
    low = token.lower()
    if len(low) < 7 or not low.isalpha() or word_score(low) >= 1.5 or low in vocab.words:
        return None
    if low.endswith("s") and (word_score(low[:-1]) >= 3.0 or low[:-1] in vocab.words):
        return None  # a possessive without its apostrophe: "thailands"
    best: tuple[float, int] | None = None
    for i in range(3, len(low) - 2):
        a, b = low[:i], low[i:]
        score = 9.0 if f" {a} {b} " in context else min(word_score(a), word_score(b))
        if score >= 3.0 and (best is None or score > best[0]):
            best = (score, i)
    return best[1] if best else None


def _url_part(url: str, i: int, host_end: int) -> str:
    """Where position ``i`` of a URL lies: "host", "slug" (a segment of hyphenated words) or "path"."""
    if host_end < 0 or i < host_end:
        return "host"
    start = url.rfind("/", 0, i) + 1
    end = url.find("/", i)
    segment = url[start : end if end >= 0 else len(url)]
    return "slug" if sum(segment.count(h) for h in ("-", SOFT_HYPHEN)) >= 2 else "path"


@dataclass(frozen=True)
class _HyphenDecision:
    """A hyphen of a printed URL: its position, whether the layout added it, and whether that is doubtful."""

    at: int
    added: bool
    doubtful: bool


def _repair_url(printed: str, context: str, vocab: Vocabulary) -> tuple[str, list[str]]:
    """The best reading of a printed URL and the other likely readings."""
    scheme = re.match(r"(?i)^(?:[a-z]+://)?", printed)
    host_end = printed.find("/", scheme.end() if scheme else 0)
    decisions = _hyphen_decisions(printed, host_end, context, vocab)
    decisions = _keep_likelier_join(printed, decisions)
    chosen = {d.at: d.added for d in decisions}
    best = _spell(printed, chosen)
    # the printed spelling first (its hyphens restored), then other doubtful readings
    alternatives = [_spell(printed, {**chosen, d.at: False}) for d in decisions if d.added and d.doubtful]
    alternatives += [_spell(printed, {**chosen, d.at: True}) for d in decisions if not d.added and d.doubtful]
    rebuilt = _restore_lost_hyphens(best, scheme.end() if scheme else 0, host_end, context, vocab)
    if rebuilt != best:
        alternatives.insert(0, best)
        best = rebuilt
    alternatives = [a for a in dict.fromkeys(alternatives) if a != best]
    return best, alternatives[:4]


def _hyphen_decisions(printed: str, host_end: int, context: str, vocab: Vocabulary) -> list[_HyphenDecision]:
    """Decide each single hyphen of the URL: added by the layout or printed by the author."""
    decisions: list[_HyphenDecision] = []
    for i, ch in enumerate(printed):
        if ch not in "-" + SOFT_HYPHEN or i == 0:
            continue
        if printed[i - 1] in "-" + SOFT_HYPHEN or printed[i + 1 : i + 2] in ("-", SOFT_HYPHEN):
            continue  # "Visa--Free": a double hyphen is the author's
        added, doubtful = _hyphen_added(
            printed[:i],
            printed[i + 1 :],
            line_end=ch == SOFT_HYPHEN,
            where=_url_part(printed, i, host_end),
            context=context,
            vocab=vocab,
        )
        decisions.append(_HyphenDecision(i, added, doubtful))
    return decisions


def _keep_likelier_join(printed: str, decisions: list[_HyphenDecision]) -> list[_HyphenDecision]:
    """Two added hyphens around a short fragment: only the likelier of the two joins is real."""
    for first, second in itertools.pairwise(list(decisions)):
        i, j = first.at, second.at
        middle = printed[i + 1 : j]
        if first.added and second.added and len(middle) <= 3 and middle.isalpha():
            left = re.search(r"[A-Za-z]*$", printed[:i])
            right = re.match(r"[A-Za-z]*", printed[j + 1 :])
            left_word = (left.group(0) if left else "") + middle
            right_word = middle + (right.group(0) if right else "")
            weaker = i if word_score(right_word) > word_score(left_word) else j
            decisions = [replace(d, added=d.added and d.at != weaker) for d in decisions]
    return decisions


def _spell(printed: str, added: dict[int, bool]) -> str:
    """The URL with the hyphens the layout ``added`` taken out and the others printed."""
    return "".join(
        ("" if added.get(i) else "-") if ch in "-" + SOFT_HYPHEN else ch for i, ch in enumerate(printed)
    )


def _restore_lost_hyphens(best: str, path_from: int, host_end: int, context: str, vocab: Vocabulary) -> str:
    """A hyphen lost at a line end inside a slug ("europe_erdogan-defiestrump-over-iran-sanctions")."""
    path_start = best.find("/", path_from)
    if not (path_start > 0 and host_end > 0):
        return best
    rebuilt = best[:path_start]
    for segment in re.split(r"(/)", best[path_start:]):
        if segment.count("-") >= 2:
            tokens = re.split(r"([-_])", segment)
            for k, tok in enumerate(tokens):
                cut = _split_compound(tok, context, vocab) if tok not in "-_" else None
                if cut:
                    tokens[k] = tok[:cut] + "-" + tok[cut:]
            segment = "".join(tokens)
        rebuilt += segment
    return rebuilt


_ITALIC = re.compile(r"\*([^*\n]{1,300}?)\*")


def note_from_parts(piece: Piece, vocab: Vocabulary) -> Note | None:
    """The note a labelled piece gives: its text joined and repaired, its URLs, its italics."""
    text = join_note_parts(piece.parts, vocab).translate(FROM_SUP)
    text = _repair_note_text(text)
    found = find_urls(text)
    prose = text
    for start, end in ((m.start, m.end) for m in reversed(found)):
        prose = prose[:start] + " " + prose[end:]
    context = " " + " ".join(re.findall(r"[a-z0-9]+", prose.lower())) + " "
    refs: list[UrlRef] = []
    seen: set[str] = set()
    for start, end, url in ((m.start, m.end, m.url) for m in reversed(found)):
        best, alternatives = _repair_url(url, context, vocab)
        text = text[:start] + best + text[end:]
        full = best if URL_START.match(best) and not best.lower().startswith("www.") else with_scheme(best)
        key = re.sub(r"(?i)^[a-z]+://(www\.)?", "", full).rstrip("/").lower()
        if key in seen:
            continue
        seen.add(key)
        refs.append(
            UrlRef(
                url=full,
                raw_url=url.replace(SOFT_HYPHEN, "-"),
                alternatives=[
                    a if URL_START.match(a) and not a.lower().startswith("www.") else with_scheme(a)
                    for a in alternatives
                ],
            )
        )
    refs.reverse()
    text = text.replace(SOFT_HYPHEN, "")
    italics: list[Span] = []
    plain = ""
    pos = 0
    for m in _ITALIC.finditer(text):
        plain += text[pos : m.start()]
        italics.append(Span(start=len(plain), end=len(plain) + len(m.group(1))))
        plain += m.group(1)
        pos = m.end()
    plain = re.sub(r"\s+", " ", plain + text[pos:]).strip()
    if not plain or piece.number is None:
        return None
    return Note(
        number=piece.number, label=piece.label, text=plain, page=piece.page, urls=refs, italics=italics
    )
