"""Entities: a post-pass on spaCy's NER, and the per-document entity index.

The small model mislabels names that are rare in its training news ("Yerevan" as a PERSON,
"Saakashvili" as a GPE) and lets spans run into a following preposition ("Alliance of the").
``entity_repair`` runs right after ``ner`` in the pipeline, so claims and check-worthiness both
see the repaired entities: names from a small gazetteer (``lexicons/gazetteer.tsv``) take its
label, spans lose trailing prepositions, articles and conjunctions, and gazetteer names the model
missed become entities where they overlap none. It is a lookup per entity plus one PhraseMatcher
pass, next to nothing beside the parser.

The index lists each named entity of a document once. Obvious variants share a key (a leading
"the", possessives, dots in acronyms); aliases from ``lexicons/aliases.tsv`` ("U.S." / "United
States") share the key of the alias line; and within a document a one-word person name ("Fidan")
joins the one full name that ends with it ("Hakan Fidan").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.models import Claim, ClaimSet, EntityIndexRow

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

LEXICONS = Path(__file__).with_name("lexicons")
REPAIR_COMPONENT = "entity_repair"
#: Labels the per-document entity index lists; numbers and dates stay in the entities table only.
INDEXED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
# Words a name does not end with: "Alliance of the", "Second Karabakh War of", "Iran and".
_TRAILING = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PART", "PUNCT"})
_TRAILING_WORDS = frozenset(
    {"of", "the", "a", "an", "and", "or", "in", "on", "at", "for", "to", "by", "with", "from"}
)


def _rows(name: str) -> list[list[str]]:
    lines = (LEXICONS / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@cache
def gazetteer() -> dict[str, str]:
    """Name -> label, from ``lexicons/gazetteer.tsv``."""
    return {name: label for label, name in _rows("gazetteer.tsv")}


@cache
def _aliases() -> dict[str, str]:
    """Normalised alias -> normalised first name of its line."""
    out: dict[str, str] = {}
    for names in _rows("aliases.tsv"):
        head = _plain_key(names[0])
        for name in names:
            out[_plain_key(name)] = head
    return out


# ---------------------------------------------------------------------------------------------
# The post-pass on NER
# ---------------------------------------------------------------------------------------------


def _trails(tok: Token) -> bool:
    return tok.lower_ in _TRAILING_WORDS or (tok.pos_ in _TRAILING and tok.text != ".")


def _trimmed(span: Span) -> Span | None:
    """The span without trailing function words ("Alliance of the" -> "Alliance")."""
    from spacy.tokens import Span

    end = span.end
    while end > span.start and _trails(span.doc[end - 1]):
        end -= 1
    if end == span.start:
        return None
    return span if end == span.end else Span(span.doc, span.start, end, label=span.label_)


def _unthe(text: str) -> str:
    """ "the Second Karabakh War" is looked up as "Second Karabakh War"."""
    return text[4:] if text[:4].lower() == "the " else text


class EntityRepair:
    """The post-pass: relabel gazetteer names, trim trailing function words, add names NER missed."""

    def __init__(self, nlp: Language) -> None:
        from spacy.matcher import PhraseMatcher

        self.names = gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab)
        self.matcher.add("GAZETTEER", [nlp.make_doc(name) for name in self.names])

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        ents = doc.ents
        fixed = []
        changed = False
        for ent in ents:
            span = _trimmed(ent)
            if span is not None:
                label = self.names.get(_unthe(span.text))
                if label is not None and label != span.label_:
                    span = Span(doc, span.start, span.end, label=label)
                fixed.append(span)
            changed = changed or span is not ent
        taken = {i for span in fixed for i in range(span.start, span.end)}
        for _, start, end in self.matcher(doc):
            if not taken.intersection(range(start, end)):
                fixed.append(Span(doc, start, end, label=self.names[doc[start:end].text]))
                changed = True
        if changed:  # setting doc.ents is the costly part: only when something moved
            doc.ents = filter_spans(fixed)
        return doc


def add_entity_repair(nlp: Language) -> None:
    """Put the post-pass right after ``ner`` (once; a model without ``ner`` is left alone)."""
    from spacy.language import Language

    if "ner" not in nlp.pipe_names or REPAIR_COMPONENT in nlp.pipe_names:
        return
    if not Language.has_factory(REPAIR_COMPONENT):
        Language.factory(REPAIR_COMPONENT, func=lambda nlp, name: EntityRepair(nlp))
    nlp.add_pipe(REPAIR_COMPONENT, after="ner")


# ---------------------------------------------------------------------------------------------
# Entity index
# ---------------------------------------------------------------------------------------------


def _surface(text: str) -> str:
    """The mention as people would list it: no leading "the", no possessive, one space."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text).strip(" \"',;:")
    text = re.sub(r"(?i)^the\s+", "", text)
    text = re.sub(r"(?:'s|')$", "", text)
    return re.sub(r"-\s+", "-", text).strip()


def _plain_key(text: str) -> str:
    key = _surface(text).replace(".", "").casefold()
    return re.sub(r"\s+", " ", key).strip()


def canonical_key(text: str) -> str:
    """Key under which variants merge: "the U.S.", "U.S.", "US", "United States"; "Turkey's" / "Turkey"."""
    key = _plain_key(text)
    return _aliases().get(key, key)


def entity_id(doc_id: str, key: str) -> str:
    return hashlib.sha1(f"{doc_id}|{key}".encode()).hexdigest()[:16]


def _document_keys(claims: Sequence[Claim]) -> dict[str, str]:
    """Key of each indexed mention text, one-word person names joined to their one full name."""
    keys = {e.text: canonical_key(e.text) for c in claims for e in c.entities if e.label in INDEXED_LABELS}
    people = {keys[e.text] for c in claims for e in c.entities if e.label == "PERSON" and keys.get(e.text)}
    full_by_last: dict[str, set[str]] = {}
    for key in people:
        words = key.split(" ")
        if len(words) > 1:
            full_by_last.setdefault(words[-1], set()).add(key)
    for text, key in keys.items():
        full = full_by_last.get(key, set())
        if " " not in key and len(full) == 1:  # "Fidan" -> "hakan fidan", unless two Fidans
            keys[text] = next(iter(full))
    return keys


def index_entities(doc_id: str, claims: Sequence[Claim]) -> list[EntityIndexRow]:
    """One row per distinct named entity of a document, variants merged, most mentioned first."""
    keys = _document_keys(claims)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for claim in claims:
        for ent in claim.entities:
            key = keys.get(ent.text) if ent.label in INDEXED_LABELS else None
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
    """The claims step's record: the claims, each named mention linked to the entity index, and
    the warnings of the step (input cut by ``keep_within_limits``)."""
    index = index_entities(doc_id, claims)
    keys = _document_keys(claims)
    indexed = {row.entity_id for row in index}
    linked = []
    for claim in claims:
        ents = []
        for ent in claim.entities:
            key = keys.get(ent.text) if ent.label in INDEXED_LABELS else None
            eid = entity_id(doc_id, key) if key else None
            ents.append(ent.model_copy(update={"entity_id": eid if eid in indexed else None}))
        linked.append(claim.model_copy(update={"entities": ents}))
    return ClaimSet(doc_id=doc_id, sha256=sha256, claims=linked, entity_index=index, warnings=list(warnings))
