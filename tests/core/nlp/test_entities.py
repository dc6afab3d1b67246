"""Entities: the NER post-pass (gazetteer labels, span repair) and the per-document index."""

import pytest

from pipeline.core.models import Claim, Entity
from pipeline.core.nlp import canonical_key, claim_set, extract_claims, index_entities
from tests.core.nlp.helpers import paragraph

VARIANTS = [
    ("the U.S.", "united states"),  # an alias: the key of its line in lexicons/aliases.tsv
    ("U.S.", "united states"),
    ("US", "united states"),
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


def test_aliases_share_the_key_of_their_line():
    assert canonical_key("United States") == canonical_key("the U.S.") == canonical_key("USA")
    assert canonical_key("the EU") == canonical_key("European Union")
    assert canonical_key("Georgia") != canonical_key("United States")


def test_entity_index_merges_aliases_and_short_names_within_a_document():
    claims = [
        _claim(
            "c1",
            "the United States and Hakan Fidan met",
            ("the United States", "GPE"),
            ("Hakan Fidan", "PERSON"),
        ),
        _claim("c2", "U.S. officials met Fidan", ("U.S.", "GPE"), ("Fidan", "PERSON")),
        _claim("c3", "U.S. envoys", ("U.S.", "GPE")),
    ]
    rows = {r.text: r for r in index_entities("doc", claims)}
    assert set(rows) == {"U.S.", "Hakan Fidan"}
    assert rows["U.S."].variants == ["U.S.", "the United States"] and rows["U.S."].mentions == 3
    assert rows["Hakan Fidan"].variants == ["Fidan", "Hakan Fidan"]
    record = claim_set("doc", "sha", claims)
    fidan = [e.entity_id for c in record.claims for e in c.entities if "Fidan" in e.text]
    assert fidan == [rows["Hakan Fidan"].entity_id] * 2


def test_a_short_name_shared_by_two_full_names_stays_apart():
    claims = [
        _claim(
            "c1", "Ilham Aliyev and Heydar Aliyev", ("Ilham Aliyev", "PERSON"), ("Heydar Aliyev", "PERSON")
        ),
        _claim("c2", "Aliyev spoke", ("Aliyev", "PERSON")),
    ]
    assert {r.text for r in index_entities("doc", claims)} == {"Ilham Aliyev", "Heydar Aliyev", "Aliyev"}


LABELS = [
    pytest.param(
        "Yerevan did not call on the CSTO after the incursion.", "Yerevan", "GPE", id="capital-as-person"
    ),
    pytest.param(
        "Saakashvili was then president of the country.", "Saakashvili", "PERSON", id="leader-as-place"
    ),
    pytest.param(
        "Iran's trade with the entire Caucasus did not exceed that.", "Caucasus", "LOC", id="region-as-org"
    ),
]


@pytest.mark.parametrize("sentence,name,label", LABELS)
def test_gazetteer_names_take_their_label(nlp_model, sentence, name, label):
    (claim,) = extract_claims(paragraph(sentence), nlp_model)
    assert [(e.text, e.label) for e in claim.entities if name in e.text] == [(name, label)]


TRAILING = [
    pytest.param("Turkey joined the Alliance of the", "Alliance of the", "Alliance", id="of-the"),
    pytest.param(
        "Since the Second Karabakh War of 2020 nothing moved.",
        "Second Karabakh War of",
        "Second Karabakh War",
        id="of",
    ),
]


@pytest.mark.parametrize("sentence,span,repaired", TRAILING)
def test_spans_do_not_end_in_a_preposition_or_article(nlp_model, sentence, span, repaired):
    from spacy.tokens import Span

    from pipeline.core.nlp.entities import EntityRepair

    doc = nlp_model.make_doc(sentence)
    for _, proc in nlp_model.pipeline:
        if proc.__class__.__name__ == "EntityRepair":
            break
        doc = proc(doc)
    start = sentence.index(span)
    doc.ents = [doc.char_span(start, start + len(span), label="ORG")]  # the model's span, as it cut it
    repaired_doc = EntityRepair(nlp_model)(doc)
    assert [e.text for e in repaired_doc.ents if e.text.startswith(repaired.split()[0])] == [repaired]
    assert isinstance(repaired_doc.ents[0], Span)


def test_seed_entities_are_labelled_right_and_aliases_merge(nlp_model, parsed_seed):
    from pipeline.core.footnotes import split_notes

    claims = extract_claims(split_notes(parsed_seed("article-libreoffice.pdf")), nlp_model)
    labels: dict[str, set[str]] = {}
    for c in claims:
        for e in c.entities:
            labels.setdefault(e.text, set()).add(e.label)
    assert labels["Yerevan"] == {"GPE"} and labels["Saakashvili"] == {"PERSON"}
    assert labels["Caucasus"] == {"LOC"}
    ends = {e.text.rsplit(" ", 1)[-1].lower() for c in claims for e in c.entities}
    assert not ends & {"of", "the", "and", "in", "for"}
    rows = index_entities("seed", claims)
    by_variant = {v: r.entity_id for r in rows for v in r.variants}
    assert by_variant["Fidan"] == by_variant["Hakan Fidan"]
    us = [v for v in by_variant if canonical_key(v) == canonical_key("United States")]
    assert len(us) > 1 and len({by_variant[v] for v in us}) == 1
