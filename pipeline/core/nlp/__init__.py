"""NLP: body paragraphs -> claim sentences with entities and explained check-worthiness.

One module per decision: ``model`` (loading spaCy once per process), ``sentences`` (sentences
that keep their markers), ``furniture`` (bylines, copyright lines and crumbs are no claims),
``checkworthy`` (learned weights of named features, each score with its reasons), ``entities``
(the NER post-pass and the per-document entity index), ``limits`` (absurd input kept from
spaCy), ``plaintext`` (claims from plain text,
for the ``claims`` command).
"""

from pipeline.core.nlp.checkworthy import WEIGHTS, score_checkworthiness
from pipeline.core.nlp.entities import INDEXED_LABELS, canonical_key, claim_set, entity_id, index_entities
from pipeline.core.nlp.furniture import is_furniture
from pipeline.core.nlp.limits import keep_within_limits
from pipeline.core.nlp.model import UNUSED_COMPONENTS, load_model
from pipeline.core.nlp.plaintext import claim_rows, claims_from_text, score_lines
from pipeline.core.nlp.sentences import (
    ABBREVIATIONS,
    claim_id,
    extract_claims,
    hint_sentence_boundaries,
    parse_paragraphs,
    pipe_texts,
)

__all__ = [
    "ABBREVIATIONS",
    "INDEXED_LABELS",
    "UNUSED_COMPONENTS",
    "WEIGHTS",
    "canonical_key",
    "claim_id",
    "claim_rows",
    "claim_set",
    "claims_from_text",
    "entity_id",
    "extract_claims",
    "hint_sentence_boundaries",
    "index_entities",
    "is_furniture",
    "keep_within_limits",
    "load_model",
    "parse_paragraphs",
    "pipe_texts",
    "score_checkworthiness",
    "score_lines",
]
