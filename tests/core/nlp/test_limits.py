"""Absurd input is kept away from spaCy: giant tokens are cut, giant paragraphs analysed in part."""

from pipeline.core import nlp
from pipeline.core.models import Marker, NoteSplit, Paragraph


def _split(text: str, offsets: list[int]) -> NoteSplit:
    markers = [
        Marker(number=i + 1, label=str(i + 1), page=1, paragraph=0, offset=o) for i, o in enumerate(offsets)
    ]
    return NoteSplit(
        doc_id="d", sha256="s", paragraphs=[Paragraph(index=0, page=1, text=text, markers=markers)]
    )


def test_a_giant_token_is_cut_and_markers_after_it_keep_their_place():
    head, tail = "It rose by 4 percent.", " The council said so."
    text = head + " " + "x.y" * 70_000 + tail
    split = _split(text, [len(head), len(text)])
    bounded, warnings = nlp.keep_within_limits(split, max_token_chars=500)
    (para,) = bounded.paragraphs
    assert len(para.text) < 200 and para.text.endswith(tail)
    assert [m.offset for m in para.markers] == [len(head), len(para.text)]
    assert warnings == [
        "paragraph 0 (page 1): 1 token(s) longer than 500 characters were cut to their first 40 "
        "before sentence analysis (setting PIPELINE_MAX_TOKEN_CHARS)"
    ]
    assert split.paragraphs[0].text == text  # the split itself is left as it was


def test_a_giant_paragraph_is_analysed_up_to_the_limit(nlp_model):
    sentence = "The council met on 3 May 2021 and agreed. "
    text = sentence * 30_000
    bounded, warnings = nlp.keep_within_limits(
        _split(text, [len(sentence) - 1, len(text) - 1]), max_paragraph_chars=5_000
    )
    (para,) = bounded.paragraphs
    assert len(para.text) <= 5_000 and [m.number for m in para.markers] == [1]
    assert "has 1,260,000 characters: only the first" in warnings[0]
    claims = nlp.extract_claims(bounded, nlp_model)
    assert 100 <= len(claims) <= 125 and claims[0].footnote_numbers == [1]


def test_ordinary_paragraphs_pass_unchanged():
    split = _split("An ordinary paragraph of a few words.", [10])
    assert nlp.keep_within_limits(split) == (split, [])
