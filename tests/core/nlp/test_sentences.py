"""Sentences keep their markers; entity offsets index the claim text; claim ids are stable.

Every test runs the real spaCy model (``nlp_model``).
"""

import pytest

from pipeline.core.models import Marker, NoteSplit, Paragraph
from pipeline.core.nlp import claim_id, extract_claims
from tests.core.nlp.helpers import paragraph as _paragraph

TEXT = (
    "Turkey's trade with Iran is surging, in 2023 by an impressive 42%. "
    "Ankara condemned Soleimani's assassination and, in turn, Fidan's appointment was welcomed in Tehran. "
    "This is a plain sentence without much in it."
)


def _split() -> NoteSplit:
    # marker 18 right after the first sentence's full stop; 20 inside the second sentence after "and,"
    first_end = TEXT.index("42%.") + 4
    inside = TEXT.index("and,") + 4
    para = Paragraph(
        index=0,
        page=3,
        section="Meeting Turkey",
        text=TEXT,
        markers=[
            Marker(number=18, label="18", page=3, paragraph=0, offset=first_end),
            Marker(number=20, label="20", page=3, paragraph=0, offset=inside),
        ],
    )
    return NoteSplit(doc_id="doc", sha256="s", paragraphs=[para])


def test_markers_link_to_the_sentence_that_carries_them(nlp_model):
    claims = extract_claims(_split(), nlp_model)
    by_number = {n: c.text for c in claims for n in c.footnote_numbers}
    assert by_number[18].startswith("Turkey's trade with Iran is surging")
    assert by_number[20].startswith("Ankara condemned")
    assert [c.cited for c in claims] == [True, True, False]
    assert all(c.section == "Meeting Turkey" and c.page == 3 for c in claims)


SENTENCES = [
    pytest.param(
        "Lexis designated the opinion \u201c2011 U.S. App. LEXIS 7063.\u201d[^4] The court agreed.",
        ["Lexis designated the opinion \u201c2011 U.S. App. LEXIS 7063.\u201d", "The court agreed."],
        {4: 0},
        id="legal-abbreviation-in-quotes",
    ),
    pytest.param(
        "Government \u201chas a legal duty to follow the law . . . and the violation of that duty "
        "constitutes an injury.\u201d[^7] He left.",
        [
            "Government \u201chas a legal duty to follow the law . . . and the violation of that duty "
            "constitutes an injury.\u201d",
            "He left.",
        ],
        {7: 0},
        id="ellipsis-inside-a-quote",
    ),
    pytest.param(
        "Iran moved 50,000 troops on Sept. 16, 2022, said Maj. Gen. Bagheri of the IRGC.[^80] "
        "Trade reached $6.58 billion, up 5.3% from 2021.[^81]",
        [
            "Iran moved 50,000 troops on Sept. 16, 2022, said Maj. Gen. Bagheri of the IRGC.",
            "Trade reached $6.58 billion, up 5.3% from 2021.",
        ],
        {80: 0, 81: 1},
        id="numbers-and-titles",
    ),
    pytest.param(
        "The firm, Howey Co., sold land to investors, e.g. in Florida, see No. 5.[^9] "
        "Investors relied on the firm.[^10]",
        [
            "The firm, Howey Co., sold land to investors, e.g. in Florida, see No. 5.",
            "Investors relied on the firm.",
        ],
        {9: 0, 10: 1},
        id="company-and-number-abbreviations",
    ),
    pytest.param(
        "Sergei Markedonov calls it \u201cthe riot of the Middle Powers.\u201d[^15] Turkey agreed,[^16] "
        "and Iran did not.",
        [
            "Sergei Markedonov calls it \u201cthe riot of the Middle Powers.\u201d",
            "Turkey agreed, and Iran did not.",
        ],
        {15: 0, 16: 1},
        id="markers-after-quote-and-comma",
    ),
]


@pytest.mark.parametrize("marked,sentences,owners", SENTENCES)
def test_sentences_survive_abbreviations_quotes_and_numbers(nlp_model, marked, sentences, owners):
    claims = extract_claims(_paragraph(marked), nlp_model)
    assert [c.text for c in claims] == sentences
    assert {n: i for i, c in enumerate(claims) for n in c.footnote_numbers} == owners


def test_entity_offsets_index_the_claim_text(nlp_model):
    claims = extract_claims(_split(), nlp_model)
    entities = [(c, e) for c in claims for e in c.entities]
    assert entities
    for claim, ent in entities:
        assert claim.text[ent.start : ent.end] == ent.text


def test_entity_offsets_hold_for_every_seed_claim(nlp_model, parsed_seed):
    from pipeline.core.footnotes import split_notes

    claims = extract_claims(split_notes(parsed_seed("article-twocolumn.pdf")), nlp_model)
    entities = [(c, e) for c in claims for e in c.entities]
    assert len(entities) > 300
    assert all(c.text[e.start : e.end] == e.text for c, e in entities)


def test_claim_ids_are_stable_and_distinct():
    assert claim_id("d", "Same  sentence.", 0) == claim_id("d", "same sentence.", 0)
    assert claim_id("d", "Same sentence.", 0) != claim_id("d", "Same sentence.", 1)
    assert claim_id("d", "Same sentence.", 0) != claim_id("e", "Same sentence.", 0)
