"""Claims: sentences that keep their markers, transparent check-worthiness, entities and their index.

Every test runs the real spaCy model (``nlp_model``); paragraphs are built the way ``footnotes``
builds them (marker-free text, markers at offsets).
"""

import re

import pytest

from pipeline.core.models import Claim, Entity, Marker, NoteSplit, Paragraph
from pipeline.core.nlp import WEIGHTS, canonical_key, claim_id, claim_set, extract_claims, index_entities

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


def _paragraph(marked: str) -> NoteSplit:
    """A paragraph from text with markers written [^N] (as in the gold article.json)."""
    text, markers = "", []
    for piece in re.split(r"(\[\^\d+\])", marked):
        m = re.fullmatch(r"\[\^(\d+)\]", piece)
        if m:
            n = int(m.group(1))
            markers.append(Marker(number=n, label=str(n), page=1, paragraph=0, offset=len(text)))
        else:
            text += piece
    return NoteSplit(
        doc_id="doc", sha256="s", paragraphs=[Paragraph(index=0, page=1, text=text, markers=markers)]
    )


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


CHECKWORTHY = [
    pytest.param(
        "Up until 2015, Iran's trade turnover did not exceed $600 million.",
        {"number": "$600 million", "date": "2015", "entity_subject": "Iran"},
        id="money-date-possessor-subject",
    ),
    pytest.param("The two countries have met on the margins.", {}, id="a-small-count-is-no-figure"),
    pytest.param("For decades, the two sides competed for influence.", {}, id="vague-time-is-no-date"),
    pytest.param(
        "More than 150 citizens were arrested in 2012.",
        {"number": "More than 150", "date": "2012"},
        id="comparative-inside-a-number-is-the-number",
    ),
    pytest.param(
        "Russia was the single biggest fossil fuel supplier.",
        {"comparative": "superlative: biggest", "entity_subject": "Russia"},
        id="superlative",
    ),
    pytest.param(
        "The stakes are getting higher because Russia ceased being the guarantor.",
        {"comparative": "comparative: higher", "causal": "because", "entity_subject": "Russia"},
        id="comparative-and-causal",
    ),
    pytest.param("Russia is no longer Armenia's protector.", {"entity_subject": "Russia"}, id="no-longer"),
    pytest.param(
        "Ali Hajizade said that dozens of media platforms target the minority.",
        {"attribution": "Ali Hajizade", "number": "dozens", "entity_subject": "Ali Hajizade"},
        id="attribution-active",
    ),
    pytest.param(
        "The plan was described by Israeli security officials as reckless.",
        {"attribution": "Israeli security officials"},
        id="attribution-passive-agent",
    ),
    pytest.param(
        "According to Iranian sources, the secret services have the leeway to target dissidents.",
        {"attribution": "Iranian sources"},
        id="according-to",
    ),
    pytest.param(
        'Erdogan said that "Hamas is not a terrorist organisation" in October.',
        {"attribution": "Erdogan", "quotation": "Erdogan", "entity_subject": "Erdogan", "date": "October"},
        id="quotation-with-speaker",
    ),
    pytest.param(
        'Turkey refused to engage in "maximum pressure" on Tehran.',
        {"entity_subject": "Turkey"},
        id="scare-quotes-are-no-quotation",
    ),
    pytest.param("This is a plain sentence without much in it.", {}, id="nothing"),
]


@pytest.mark.parametrize("sentence,expected", CHECKWORTHY)
def test_checkworthiness_lists_transparent_reasons(nlp_model, sentence, expected):
    (claim,) = extract_claims(_paragraph(sentence), nlp_model)
    kinds = {
        r.split(":")[0].split(" (")[0].replace("entity subject", "entity_subject"): r for r in claim.reasons
    }
    kinds = {("comparative" if k in {"superlative", "comparative"} else k): v for k, v in kinds.items()}
    assert set(kinds) == set(expected), claim.reasons
    for kind, words in expected.items():
        assert words in kinds[kind], (kind, kinds[kind])
    assert claim.checkworthy == pytest.approx(min(1.0, sum(WEIGHTS[k] for k in expected)))
    if "attribution" in expected:
        assert claim.speaker == expected["attribution"]
    if "quotation" in expected:
        assert claim.quote == "Hamas is not a terrorist organisation"


REASONS = [
    pytest.param(
        'Erdogan said that "Hamas is not a terrorist organisation" in October.',
        [
            "date: October",
            "attribution: said (speaker: Erdogan)",
            "quotation (speaker: Erdogan)",
            "entity subject: Erdogan",
        ],
        0.75,
        id="quotation-with-speaker",
    ),
    pytest.param(
        "The stakes are getting higher because Russia ceased being the guarantor.",
        ["comparative: higher", "causal: because", "entity subject: Russia"],
        0.55,
        id="comparative-and-causal",
    ),
    pytest.param(
        "Ali Hajizade said that dozens of media platforms target the minority.",
        ["number: dozens", "attribution: said (speaker: Ali Hajizade)", "entity subject: Ali Hajizade"],
        0.75,
        id="attribution-active",
    ),
]


@pytest.mark.parametrize("sentence,reasons,score", REASONS)
def test_reasons_are_listed_in_the_order_of_the_weights_with_their_words(nlp_model, sentence, reasons, score):
    (claim,) = extract_claims(_paragraph(sentence), nlp_model)
    assert claim.reasons == reasons
    assert claim.checkworthy == score


def test_claim_ids_are_stable_and_distinct():
    assert claim_id("d", "Same  sentence.", 0) == claim_id("d", "same sentence.", 0)
    assert claim_id("d", "Same sentence.", 0) != claim_id("d", "Same sentence.", 1)
    assert claim_id("d", "Same sentence.", 0) != claim_id("e", "Same sentence.", 0)


# ---------------------------------------------------------------------------------------------
# Entity index
# ---------------------------------------------------------------------------------------------

VARIANTS = [
    ("the U.S.", "us"),
    ("U.S.", "us"),
    ("US", "us"),
    ("Turkey\u2019s", "turkey"),
    ("Turkey's", "turkey"),
    ("the Kremlin", "kremlin"),
    ("Nagorno- Karabakh", "nagorno-karabakh"),
    ("Nagorno-Karabakh", "nagorno-karabakh"),
]


@pytest.mark.parametrize("text,key", VARIANTS)
def test_obvious_variants_share_a_key(text, key):
    assert canonical_key(text) == key


def _claim(cid: str, text: str, *ents: tuple[str, str]) -> Claim:
    entities = [
        Entity(text=t, label=label, start=text.index(t), end=text.index(t) + len(t)) for t, label in ents
    ]
    return Claim(claim_id=cid, text=text, page=1, paragraph=0, sentence=0, entities=entities)


def test_entity_index_merges_variants_and_lists_claims():
    claims = [
        _claim("c1", "the U.S. and Turkey's army", ("the U.S.", "GPE"), ("Turkey's", "GPE")),
        _claim("c2", "U.S. envoy met Turkey in 2023", ("U.S.", "GPE"), ("Turkey", "GPE"), ("2023", "DATE")),
        _claim("c3", "Turkey spoke to Turkey", ("Turkey", "ORG")),
    ]
    rows = {r.text: r for r in index_entities("doc", claims)}
    assert set(rows) == {"U.S.", "Turkey"}  # dates and numbers are not indexed
    assert (rows["Turkey"].mentions, rows["Turkey"].claim_ids) == (3, ["c1", "c2", "c3"])
    assert rows["Turkey"].label == "GPE" and rows["Turkey"].labels == ["GPE", "ORG"]
    assert rows["U.S."].variants == ["U.S.", "the U.S."]
    assert rows["U.S."].entity_id != rows["Turkey"].entity_id


def test_the_claim_set_links_each_named_mention_to_its_index_row():
    claims = [
        _claim("c1", "the U.S. and Turkey's army", ("the U.S.", "GPE"), ("Turkey's", "GPE")),
        _claim("c2", "U.S. envoy met in 2023", ("U.S.", "GPE"), ("2023", "DATE")),
    ]
    record = claim_set("doc", "sha", claims)
    ids = {r.text: r.entity_id for r in record.entity_index}
    assert record.entity_index == index_entities("doc", claims)
    linked = [(e.text, e.entity_id) for c in record.claims for e in c.entities]
    assert linked == [
        ("the U.S.", ids["U.S."]),
        ("Turkey's", ids["Turkey"]),
        ("U.S.", ids["U.S."]),
        ("2023", None),
    ]


def test_seed_entity_index_counts_every_mention_once(nlp_model, parsed_seed):
    from pipeline.core.footnotes import split_notes

    claims = extract_claims(split_notes(parsed_seed("article-libreoffice.pdf")), nlp_model)
    rows = index_entities("seed", claims)
    keys = [canonical_key(r.text) for r in rows]
    assert len(keys) == len(set(keys))
    iran = next(r for r in rows if r.text == "Iran")
    mentions = sum(
        1 for c in claims for e in c.entities if e.label == "GPE" and canonical_key(e.text) == "iran"
    )
    assert iran.mentions >= mentions > 30
    assert set(iran.claim_ids) <= {c.claim_id for c in claims}
