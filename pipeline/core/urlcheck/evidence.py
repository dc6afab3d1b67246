"""Evidence: does the cited page hold what the claim took from it?

What a claim takes from a source is its direct quotations, its figures (``figures``), its named
entities (spaCy's, from the claims step) and its key terms. Each is looked for in the page's
main text (``pagetext``): quotations fuzzily (rapidfuzz, so curly quotes, a changed word or
a typo do not hide them), figures normalised, entities and terms as whole words, accents and
case folded. The decision:

* ``found``: a quotation is on the page, or all the claim's figures are, with its key entities
  (or, for a claim without either, one passage holds its entities and most of its terms);
* ``partial``: some of it is (a quotation in part, a figure, or the entities with some terms);
* ``not_found``: the page has text and nothing of the claim is on it;
* ``not_checked``: there is no text to look in (not fetched, offline, not HTML, paywalled, or
  dead without a readable snapshot).

A live page (``ok``, ``redirected``) is looked at as it is now; a rotten link (dead, soft 404,
redirect to the home page) through its archived copy.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from pipeline.core.models import (
    ROTTEN,
    Citation,
    Claim,
    Evidence,
    SourceEvidence,
    Status,
    UrlCheck,
)
from pipeline.core.urlcheck.figures import Figure, extract_figures
from pipeline.core.urlcheck.pagetext import PageStore, PageText

SNIPPET_CHARS = 300
#: a quotation at least this similar to a passage is on the page; from PARTIAL_QUOTE on, in part
FOUND_QUOTE, PARTIAL_QUOTE = 0.9, 0.75
#: spaCy labels of the names a claim takes from its source
NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
_QUOTE = re.compile(r"[\"“”„«»]([^\"“”„«»]{8,600})[\"“”„«»]|(?<!\w)[‘']([^‘’']{8,600})[’'](?!\w)")
_TOKEN = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")
_STOP = frozenset(
    """a about above after again against all also although among an and another any are around as at be
    because been before being below between both but by can could did does doing down during each either
    even ever every few for from further had has have having he her here hers him his how however if in
    into is it its itself just last least less many may might more most much must near neither never new
    no nor not now of off on once one only or other others our out over own per same she should since so
    some still such than that the their them then there these they this those though through thus to too
    under until up upon very was we were what when where whether which while who whom whose why will with
    within without would year years yet you your said says say told according including included
    reported report reports week weeks month months day days time made make first second""".split()  # noqa: SIM905
)


def fold(text: str) -> str:
    """Lower case, accents off, quotes and dashes plain, whitespace single: the form texts are compared in."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(str.maketrans("‘’“”„«»–—‐‑", '\'\'"""""----'))
    return re.sub(r"\s+", " ", text).strip().lower()


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "edly", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _entity_name(text: str) -> str:
    name = re.sub(r"^(?:the)\s+|['’]s$|\.", "", text.strip(), flags=re.I)
    return fold(name)


@dataclass(frozen=True)
class ClaimParts:
    """What a claim takes from its source."""

    quotes: list[str]
    figures: list[Figure]
    entities: list[str]
    terms: list[str]


def claim_parts(claim: Claim) -> ClaimParts:
    """The quotations (three words or more), figures, named entities and key terms of a claim."""
    quotes = [q for m in _QUOTE.finditer(claim.text) for q in m.groups() if q and len(q.split()) >= 3]
    if claim.quote and len(claim.quote.split()) >= 3:
        quotes.append(claim.quote)
    quotes = list(dict.fromkeys(fold(q).strip(" ,.;:") for q in quotes))
    entities = list(dict.fromkeys(_entity_name(e.text) for e in claim.entities if e.label in NAMED))
    entities = [e for e in entities if len(e) >= 2]
    entity_words = {w for e in entities for w in e.split()}
    words = [re.sub(r"'s$", "", fold(w)) for w in _TOKEN.findall(claim.text)]
    terms = [
        _stem(w)
        for w in dict.fromkeys(words)
        if len(w) >= 4 and w not in _STOP and w not in entity_words  # a quotation's words count too:
    ]  # a page holding part of a quotation holds some of the claim
    return ClaimParts(quotes, extract_figures(claim.text), entities, terms)


@dataclass
class _Passage:
    """A sentence (or two) of a page, folded, its word stems and figures worked out once."""

    text: str
    #: the two sentences a pair is made of (its stems and figures are theirs, not worked out again)
    pair: tuple[_Passage, _Passage] | None = None

    @cached_property
    def folded(self) -> str:
        return f"{self.pair[0].folded} {self.pair[1].folded}" if self.pair else fold(self.text)

    @cached_property
    def stems(self) -> set[str]:
        if self.pair:
            return self.pair[0].stems | self.pair[1].stems
        return {_stem(w) for w in _TOKEN.findall(self.folded)}

    @cached_property
    def figures(self) -> list[Figure]:
        return self.pair[0].figures + self.pair[1].figures if self.pair else extract_figures(self.text)


@dataclass
class _Page:
    """A page's text prepared once for every claim that cites it."""

    text: str
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)

    @cached_property
    def figures(self) -> list[Figure]:
        return extract_figures(self.text)

    @cached_property
    def stems(self) -> set[str]:
        return {_stem(w) for w in _TOKEN.findall(self.folded)}

    @cached_property
    def sentences(self) -> list[_Passage]:
        return [_Passage(s.strip()) for s in _SENTENCE.split(self.text) if s and s.strip()]

    @cached_property
    def passages(self) -> list[_Passage]:
        """Sentences, and pairs of neighbouring sentences (a claim may draw on two)."""
        s = self.sentences
        return s + [_Passage(f"{a.text} {b.text}", (a, b)) for a, b in itertools.pairwise(s)]

    def has_name(self, name: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", self.folded) is not None


@dataclass(frozen=True)
class Assessment:
    evidence: Evidence
    score: float
    snippet: str | None


def _share(found: int, total: int) -> float | None:
    return found / total if total else None


def _quote_match(quotes: list[str], page: _Page) -> tuple[float | None, str | None]:
    """The best similarity of a quotation to the page, and the sentence(s) it is best found in."""
    best, where = None, None
    for q in quotes:
        hit = fuzz.partial_ratio_alignment(q, page.folded, score_cutoff=50)
        score = hit.score / 100 if hit else 0.0
        if best is None or score > best:
            best, where = score, q
    if where is None or not best:
        return best, None
    at = max(
        page.passages,
        key=lambda p: fuzz.partial_ratio(where, p.folded) if len(p.folded) >= len(where) else 0.0,
    )
    return best, _clip(at.text)


def _clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def _best_passage(parts: ClaimParts, page: _Page) -> tuple[float, str | None]:
    """The passage holding most of the claim (figures count double, entities one and a half)."""
    total = 2 * len(parts.figures) + 1.5 * len(parts.entities) + len(parts.terms)
    if not total:
        return 0.0, None
    best, where = 0.0, None
    for p in page.passages:
        got = 2.0 * sum(1 for f in parts.figures if any(f.matches(g) for g in p.figures))
        got += 1.5 * sum(1 for e in parts.entities if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", p.folded))
        got += sum(1 for t in parts.terms if t in p.stems)
        if got / total > best:
            best, where = got / total, p.text
    return best, _clip(where) if where else None


def assess(claim: Claim, page: PageText | _Page) -> Assessment:
    """What ``page`` holds of ``claim``: found, partial or not_found, a 0-1 score and the best passage."""
    prepared = page if isinstance(page, _Page) else _Page(page.text)
    parts = claim_parts(claim)
    quote, quote_at = _quote_match(parts.quotes, prepared)
    strong = [f for f in parts.figures if not f.weak]
    counted = strong or parts.figures
    figs_found = [f for f in counted if any(f.matches(g) for g in prepared.figures)]
    figures = _share(len(figs_found), len(counted))
    entities = _share(sum(1 for e in parts.entities if prepared.has_name(e)), len(parts.entities))
    terms = _share(sum(1 for t in parts.terms if t in prepared.stems), len(parts.terms))
    passage, snippet = _best_passage(parts, prepared)
    weights = [(quote, 3.0), (figures, 2.0), (entities, 2.0), (terms, 1.0)]
    known = [(v, w) for v, w in weights if v is not None]
    score = sum(v * w for v, w in known) / sum(w for _, w in known) if known else 0.0
    if quote is not None and quote >= PARTIAL_QUOTE and quote_at:
        snippet = quote_at
    verdict = _decide(quote, figures, bool(strong and figs_found), entities, terms, passage)
    if verdict == Evidence.FOUND and quote is not None and quote >= FOUND_QUOTE:
        score = max(score, quote)
    return Assessment(verdict, round(min(1.0, score), 3), snippet if verdict != Evidence.NOT_FOUND else None)


def _decide(
    quote: float | None,
    figures: float | None,
    strong_figure: bool,
    entities: float | None,
    terms: float | None,
    passage: float,
) -> Evidence:
    """The table of the module docstring."""
    if quote is not None and quote >= FOUND_QUOTE:
        return Evidence.FOUND
    # the figures with the key entities (a claim without names: with some of its terms)
    names_ok = entities >= 0.5 if entities is not None else (terms is None or terms >= 0.3)
    if figures == 1.0 and strong_figure and names_ok:
        return Evidence.FOUND
    if quote is None and figures is None and entities and entities >= 1.0 and passage >= 0.7:
        return Evidence.FOUND
    if quote is not None and quote >= PARTIAL_QUOTE:
        return Evidence.PARTIAL
    if strong_figure:
        return Evidence.PARTIAL
    if (entities or 0) >= 0.5 and (terms or 0) >= 0.3:
        return Evidence.PARTIAL
    if (terms or 0) >= (0.5 if entities is None else 0.6) and passage >= 0.4:
        return Evidence.PARTIAL  # one passage says most of what the claim says, names aside
    return Evidence.NOT_FOUND


def page_for(check: UrlCheck | None, baseline: bool = False) -> tuple[str | None, str | None]:
    """(content hash, "live" or "archive") of the text to look in for ``check``'s URL, if any.

    ``baseline``: the snapshot of a live page instead of the page (what it said when cited).
    """
    if check is None:
        return None, None
    if baseline:
        live = check.status in (Status.OK, Status.REDIRECTED) and check.content_hash
        return (
            (check.archive_content_hash, "archive") if live and check.archive_content_hash else (None, None)
        )
    if check.status in (Status.OK, Status.REDIRECTED) and check.content_hash:
        return check.content_hash, "live"
    if check.status in ROTTEN and check.archive_content_hash:
        return check.archive_content_hash, "archive"
    return None, None


def _cited_urls(
    claim: Claim, by_note: Mapping[int, list[Citation]], by_id: Mapping[str, Citation]
) -> list[str]:
    """The URLs a claim's notes cite (a repeat without URLs leads to the source it repeats)."""
    urls: list[str] = []
    for number in claim.footnote_numbers:
        for cit in by_note.get(number, []):
            source = cit if cit.urls else by_id.get(cit.refers_to or "", cit)
            urls += source.urls
    return list(dict.fromkeys(urls))


def source_evidence(
    claims: Iterable[Claim],
    citations: Iterable[Citation],
    checks: Mapping[str, UrlCheck],
    pages: PageStore | None,
    *,
    baseline: bool = False,
) -> list[SourceEvidence]:
    """Per cited claim and URL, what the page (or its archived copy) holds of the claim
    (``baseline``: what the snapshot of a live page held of it)."""
    by_note: dict[int, list[Citation]] = {}
    by_id: dict[str, Citation] = {}
    for c in citations:
        by_note.setdefault(c.footnote_number, []).append(c)
        by_id[c.citation_id] = c
    prepared: dict[str, _Page | None] = {}
    out: list[SourceEvidence] = []
    for claim in claims:
        for url in _cited_urls(claim, by_note, by_id):
            digest, source = page_for(checks.get(url), baseline)
            if digest is not None and digest not in prepared:
                text = pages.load(digest) if pages is not None else None
                prepared[digest] = _Page(text.text) if text is not None and text.text.strip() else None
            page = prepared.get(digest) if digest is not None else None
            if page is None:
                out.append(SourceEvidence(claim_id=claim.claim_id, url=url, evidence=Evidence.NOT_CHECKED))
                continue
            found = assess(claim, page)
            out.append(
                SourceEvidence(
                    claim_id=claim.claim_id,
                    url=url,
                    evidence=found.evidence,
                    source=source,  # type: ignore[arg-type]
                    score=found.score,
                    snippet=found.snippet,
                )
            )
    return out


_RANK = {Evidence.FOUND: 2, Evidence.PARTIAL: 1, Evidence.NOT_FOUND: 0}


def lost_claims(live: Iterable[SourceEvidence], baseline: Iterable[SourceEvidence]) -> set[str]:
    """URLs of live pages whose snapshot held more of a claim than the page does now: the page no
    longer says what was cited, however little of its text changed."""
    then = {(e.claim_id, e.url): e.evidence for e in baseline if e.evidence in _RANK}
    return {
        e.url
        for e in live
        if e.evidence in _RANK
        and (e.claim_id, e.url) in then
        and _RANK[then[(e.claim_id, e.url)]] > _RANK[e.evidence]
    }
