"""Claims from plain text, for users who have text rather than a PDF (the ``claims`` command).

Paragraphs are separated by blank lines (the lines of one paragraph are joined), or, with
``one_per_line``, every line is a paragraph: the form scorers use, where the output must have one
row per input line, the highest-scoring claim of that line (a line without a claim scores 0).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pipeline.core.models import Claim, ClaimSet, NoteSplit, Paragraph
from pipeline.core.nlp.entities import claim_set
from pipeline.core.nlp.sentences import extract_claims

if TYPE_CHECKING:
    from spacy.language import Language


def _split(paragraphs: Sequence[str], doc_id: str) -> NoteSplit:
    paras = [Paragraph(index=i, page=1, text=t) for i, t in enumerate(paragraphs) if t.strip()]
    return NoteSplit(doc_id=doc_id, sha256="", paragraphs=paras)


def claims_from_text(text: str, nlp: Language, *, doc_id: str = "text") -> ClaimSet:
    """Every sentence of the text as a claim, with its score, reasons and linked entities."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return claim_set(doc_id, "", extract_claims(_split(paragraphs, doc_id), nlp))


def score_lines(lines: Sequence[str], nlp: Language) -> list[dict[str, Any]]:
    """One row per line: ``{"line": N, "checkworthy": score, "reasons": [...]}`` of its best claim."""
    best: dict[int, Claim] = {}
    for claim in extract_claims(_split([" ".join(x.split()) for x in lines], "lines"), nlp):
        if claim.paragraph not in best or claim.checkworthy > best[claim.paragraph].checkworthy:
            best[claim.paragraph] = claim
    rows = []
    for i in range(len(lines)):
        claim = best.get(i)
        rows.append(
            {
                "line": i + 1,
                "checkworthy": claim.checkworthy if claim else 0.0,
                "reasons": claim.reasons if claim else [],
            }
        )
    return rows


def claim_rows(claims: ClaimSet) -> list[dict[str, Any]]:
    """The ``claims`` command's rows: text, score, reasons, speaker, quote, entities."""
    return [
        {
            "paragraph": c.paragraph,
            "sentence": c.sentence,
            "text": c.text,
            "checkworthy": c.checkworthy,
            "reasons": c.reasons,
            "speaker": c.speaker,
            "quote": c.quote,
            "entities": [e.model_dump(mode="json") for e in c.entities],
        }
        for c in claims.claims
    ]
