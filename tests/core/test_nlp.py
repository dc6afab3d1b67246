from pipeline.core.models import Marker, NoteSplit, Paragraph
from pipeline.core.nlp import claim_id, extract_claims

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


def test_entity_offsets_index_the_claim_text(nlp_model):
    claims = extract_claims(_split(), nlp_model)
    entities = [(c, e) for c in claims for e in c.entities]
    assert entities
    for claim, ent in entities:
        assert claim.text[ent.start : ent.end] == ent.text


def test_checkworthiness_lists_its_reasons(nlp_model):
    first, _, plain = extract_claims(_split(), nlp_model)
    assert any(r.startswith("number:") for r in first.reasons)
    assert first.checkworthy > plain.checkworthy
    assert 0.0 <= plain.checkworthy <= 1.0


def test_claim_ids_are_stable_and_distinct():
    assert claim_id("d", "Same  sentence.", 0) == claim_id("d", "same sentence.", 0)
    assert claim_id("d", "Same sentence.", 0) != claim_id("d", "Same sentence.", 1)
    assert claim_id("d", "Same sentence.", 0) != claim_id("e", "Same sentence.", 0)
