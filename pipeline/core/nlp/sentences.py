"""Sentences: body paragraphs -> claim sentences that keep their markers, with entities and scores.

Markers were taken out of the paragraph text by ``footnotes`` (spaCy would glue ``IRGC,³``
into one token); each marker keeps its offset, so a sentence owns every marker that falls
inside it or right after its final punctuation.

Sentence boundaries come from spaCy's parser, which honours boundaries set before it runs. We
set two kinds: no sentence starts after an abbreviation (``Gen.``, ``App.``, ``No.``) or before a
lowercase word (``the law . . . and the violation``), and one does start after a marker that
follows a full stop (``...surging.¹⁸ Ankara``). Tokenising first and then piping the Docs costs
the same as piping the texts, so the stage stays as fast as bare ``nlp.pipe`` (bench/nlp.py).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from pipeline.core.models import Claim, NoteSplit, Paragraph, ParagraphKind
from pipeline.core.models import Entity as EntityModel
from pipeline.core.nlp.checkworthy import score_checkworthiness
from pipeline.core.nlp.furniture import is_furniture

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

# No sentence starts after these (when followed by a full stop): titles, legal and citation words.
ABBREVIATIONS = frozenset(
    {
        "adm", "app", "art", "assn", "atty", "capt", "cf", "ch", "cir", "cl", "co", "col", "comm", "corp",
        "ct", "dept", "dist", "dr", "e.g", "ed", "eds", "esp", "est", "fig", "gen", "gov", "hon", "i.e",
        "inc", "jr", "lt", "ltd", "maj", "mr", "mrs", "ms", "mt", "no", "nos", "op", "p", "para", "pp",
        "prof", "rep", "rev", "sec", "sen", "sgt", "sr", "st", "stat", "supp", "v", "vol", "vols", "vs",
    }
)  # fmt: skip


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


def extract_claims(split: NoteSplit, nlp: Language, *, batch_size: int = 64) -> list[Claim]:
    """Every body sentence becomes a claim; cited ones carry their footnote numbers."""
    paragraphs = [
        p
        for p in split.paragraphs
        if p.kind == ParagraphKind.BODY and p.text.strip() and (p.markers or not is_furniture(p.text))
    ]
    claims: list[Claim] = []
    seen: Counter[str] = Counter()
    sentence_no = 0
    for para, doc in zip(paragraphs, parse_paragraphs(nlp, paragraphs, batch_size=batch_size), strict=True):
        doc_ents = list(doc.ents)  # Doc.ents walks the whole Doc: once per paragraph, not per sentence
        for sent, markers in _sentences_with_markers(doc, para):
            raw = doc.text[sent.start_char : sent.end_char]  # Span.text rebuilds it token by token
            text = raw.strip()
            if not text or (not markers and is_furniture(text)):
                continue
            norm = re.sub(r"\s+", " ", text).lower()
            occurrence = seen[norm]
            seen[norm] += 1
            ents = [e for e in doc_ents if sent.start <= e.start and e.end <= sent.end]
            score, reasons, speaker, quote = score_checkworthiness(sent, ents)
            numbers = sorted(set(markers))
            lead = len(raw) - len(raw.lstrip())
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


def pipe_texts(nlp: Language, texts: Sequence[str], batch_size: int = 64) -> list[Doc]:
    """Bare ``nlp.pipe`` over texts: the baseline the benchmark compares against."""
    return list(nlp.pipe(texts, batch_size=batch_size))
