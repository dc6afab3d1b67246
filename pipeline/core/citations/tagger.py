"""A CRF sequence tagger over a citation's tokens: which words are authors, title, container, ...

Rules read a citation well where the evidence is exact (quotes, italics, reporters, DOIs); in
reference-list styles (author-date, bibliography, numbered) the same words take different places
and rules plateau. There the field's proven method decides: a linear-chain CRF (CRFsuite) over
whitespace tokens, with features for punctuation, capitals, quotes, italics when known, digits,
name and container lexicons, and position (the features GROBID, AnyStyle and CERMINE use).

The model ships in ``model/citations.crfsuite`` and is trained on citations the project renders
from synthetic records through many CSL styles (``python -m pipeline.core.citations.train``);
it is loaded once per process, on first use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.errors import PipelineError
from pipeline.core.text.words import word_score

if TYPE_CHECKING:
    import pycrfsuite

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_PATH = MODEL_DIR / "citations.crfsuite"
LEXICON_PATH = MODEL_DIR / "lexicon.txt"

#: the labels the tagger gives; ``other`` is volume, pages, edition, notes and the like
LABELS = ("author", "editor", "title", "container", "publisher", "location", "series", "date", "url", "other")

_TRAIL = ".,;:)]\u201d\u2019\"'\u00bb!?"
_LEAD = "([\u201c\u2018\"'\u00ab"
_MONTHS = {
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
    "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
    "december", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre", "januar", "februar", "märz", "juni", "juli", "oktober", "dezember",
}  # fmt: skip
_CUES = {
    "in": "in", "eds": "ed", "ed": "ed", "editor": "ed", "editors": "ed", "edited": "ed", "hrsg": "ed",
    "vol": "vol", "volume": "vol", "no": "no", "nr": "no", "issue": "no", "pp": "pp", "p": "pp",
    "pages": "pp", "page": "pp", "accessed": "acc", "retrieved": "acc", "available": "acc",
    "viewed": "acc", "visited": "acc", "online": "acc", "doi": "doi", "isbn": "isbn", "url": "url",
    "and": "and", "et": "etal", "al": "etal", "&": "and", "press": "pub", "publishers": "pub",
    "publishing": "pub", "verlag": "pub", "books": "pub", "university": "uni", "proceedings": "cont",
    "proc": "cont", "journal": "cont", "review": "cont", "transactions": "cont", "trans": "cont",
    "conference": "cont", "symposium": "cont", "workshop": "cont", "bulletin": "cont",
    "quarterly": "cont", "annals": "cont", "letters": "cont", "magazine": "cont", "times": "cont",
    "news": "cont", "post": "cont", "j": "cont", "international": "cont", "report": "rep",
    "thesis": "rep", "dissertation": "rep", "tech": "rep", "working": "rep", "paper": "rep",
    "dir": "ed", "trans.": "ed", "edn": "edn", "edition": "edn", "ed.": "ed", "chapter": "vol",
    "retirado": "acc", "consulté": "acc", "abgerufen": "acc", "de": "part", "van": "part",
    "von": "part", "der": "part", "the": "the", "of": "of", "on": "on", "for": "for",
    "ltd": "pub", "inc": "pub", "co": "pub", "corp": "pub", "company": "pub", "sons": "pub", "gmbh": "pub",
    "ptr": "pub", "editions": "pub", "éditions": "pub", "ediciones": "pub", "edizioni": "pub",
    "editora": "pub", "editorial": "pub", "diss": "rep", "phd": "genre", "ph.d": "genre",
    "doctoral": "genre", "master's": "genre", "msc": "genre", "m.a": "genre", "unpublished": "genre",
    "series": "ser", "lecture": "ser", "notes": "ser", "studies": "ser", "memoirs": "ser",
    "translated": "ed", "by": "by", "web": "acc", "rep": "rep", "memorandum": "rep", "draft": "rep",
}  # fmt: skip


#: the features a token takes from its neighbours
_NEAR_KEYS = ("shape", "trail", "lead", "cue", "year", "initial", "lex", "w", "month", "url", "abbr")


@dataclass(frozen=True)
class Token:
    """A whitespace token and where it stands in the citation."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


@lru_cache(maxsize=2)
def _lexicon(path: Path = LEXICON_PATH) -> dict[str, str]:
    """word -> lexicon class (``given``, ``surname``, ``place``), shipped with the model (training
    reads the one it has just written)."""
    out: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _, word = line.partition("\t")
            if word:
                out.setdefault(word, kind)
    return out


def is_place(name: str) -> bool:
    """A place the lexicon knows ("Montréal", "New Jersey", "Rio de Janeiro")."""
    return _lexicon().get(name.lower()) == "place"


def _shape(word: str) -> str:
    """Xxxx, X., XX, xxxx, dddd: runs of one class collapsed."""
    s = re.sub(r"[A-ZÀ-Þ]", "X", word)
    s = re.sub(r"[a-zß-ÿ]", "x", s)
    s = re.sub(r"\d", "d", s)
    return re.sub(r"(.)\1+", r"\1\1", s)[:8]


def _core(word: str) -> str:
    return word.strip(_LEAD + _TRAIL)


@lru_cache(maxsize=50_000)
def _cached_word_features(tok: str, lexicon_path: Path) -> tuple[tuple[str, float | str], ...]:
    """A token's own features, computed once per process: the same words ("pp.", "and", years,
    names) come back in every reference list."""
    return tuple(_word_features(tok, _lexicon(lexicon_path)).items())


def _word_features(tok: str, lexicon: dict[str, str]) -> dict[str, float | str]:
    """The features of one token on its own."""
    core = _core(tok)
    low = core.lower().rstrip(".")
    f: dict[str, float | str] = {
        "shape": _shape(core),
        "lead": tok[:1] if tok[:1] in _LEAD else "",
        "trail": tok[len(tok.rstrip(_TRAIL)) :][-2:],
        "len": str(min(len(core), 8)),
    }
    if low in _CUES or core.lower() in _CUES:
        f["cue"] = _CUES.get(low, _CUES.get(core.lower(), ""))
    if word_score(low) >= 3.5 and len(low) > 3:
        f["w"] = low
    if re.fullmatch(r"(?:1[5-9]|20)\d\d[a-z]?", core):
        f["year"] = 1.0
    if re.search(r"\d", core):
        f["digits"] = "range" if re.search(r"\d[-\u2013]\d", core) else "num"
    if re.match(r"(?i)(?:https?:|www\.|doi:|10\.\d{4})", core):
        f["url"] = 1.0
    if low in _MONTHS:
        f["month"] = 1.0
    if re.fullmatch(r"(?:[A-Z]\.-?)+|[A-Z]{1,2}", core):
        f["initial"] = 1.0
    elif re.fullmatch(r"[A-Z][a-z]{1,8}\.", core) and lexicon.get(low) != "given":
        f["abbr"] = 1.0  # "Phys.", "Lett.", "Geophys.": a journal's abbreviated word
    kind = lexicon.get(low)
    if kind:
        f["lex"] = kind
    f["freq"] = str(int(word_score(low))) if low.isalpha() else "na"
    return f


def features(
    text: str,
    tokens: Sequence[Token],
    italic: Sequence[bool] | None = None,
    lexicon_path: Path = LEXICON_PATH,
) -> list[dict]:
    """Features of every token: its own, its neighbours', and where it stands in the citation."""
    lexicon = _lexicon(lexicon_path)
    own = [dict(_cached_word_features(t.text, lexicon_path)) for t in tokens]
    _two_word_places(tokens, own, lexicon)
    n = len(tokens)
    out: list[dict] = []
    stops = 0  # full stops that end a segment (not initials) seen so far
    quotes = 0
    years = 0
    for i, tok in enumerate(tokens):
        f: dict[str, float | str] = {"bias": 1.0, "pos": str(min(9, 10 * i // max(n, 1))), **own[i]}
        f["seg"] = str(min(stops, 5))
        f["quoted"] = str(min(quotes, 3))
        f["after_year"] = str(min(years, 2))
        if i == 0:
            f["first"] = 1.0
        if i == n - 1:
            f["last"] = 1.0
        if italic is not None and italic[i]:
            f["italic"] = 1.0
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                for key in _NEAR_KEYS:
                    if key in own[j]:
                        f[f"{d}:{key}"] = own[j][key]
            else:
                f[f"{d}:edge"] = 1.0
        out.append(f)
        if tok.text.endswith(".") and "initial" not in own[i] and len(_core(tok.text)) > 2:
            stops += 1
        quotes += sum(tok.text.count(q) for q in '\u201c\u201d"\u00ab\u00bb\u2018')
        years += "year" in own[i]
    return out


def _two_word_places(
    tokens: Sequence[Token], own: list[dict[str, float | str]], lexicon: dict[str, str]
) -> None:
    """Places of two words ("New Jersey", "Rio Grande"): both words take the lexicon class."""
    for i in range(len(tokens) - 1):
        pair = f"{_core(tokens[i].text).lower()} {_core(tokens[i + 1].text).lower()}"
        kind = lexicon.get(pair)
        if kind:
            own[i]["lex"] = own[i + 1]["lex"] = kind


def crf_items(feats: Sequence[dict]) -> list[dict]:
    """Features as CRFsuite items: string values become ``key=value`` indicators."""
    return [
        {(f"{k}={v}" if isinstance(v, str) else k): (1.0 if isinstance(v, str) else v) for k, v in f.items()}
        for f in feats
    ]


@lru_cache(maxsize=1)
def _tagger() -> pycrfsuite.Tagger:
    """The trained model, opened once per process."""
    import pycrfsuite

    if not MODEL_PATH.exists():
        raise PipelineError(
            f"the citation tagger's model {MODEL_PATH} is missing: reinstall the package, or rebuild it "
            "with `python -m pipeline.core.citations.train`"
        )
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    return tagger


def tag(text: str, italic_spans: Sequence[tuple[int, int]] = ()) -> list[tuple[Token, str]]:
    """Each token of ``text`` with its label. ``italic_spans`` index ``text``."""
    tagger = _tagger()
    tokens = tokenize(text)
    if not tokens:
        return []
    italic = [any(s <= t.start < e for s, e in italic_spans) for t in tokens] if italic_spans else None
    labels = tagger.tag(crf_items(features(text, tokens, italic)))
    return list(zip(tokens, labels, strict=True))
