"""Repeats: Ibid., Id., supra, op. cit. and short forms, linked to the full citation they repeat."""

import pytest

from pipeline.core.citations import parse_citations, resolve_references
from pipeline.core.models import Citation
from tests.conftest import REAL_PDFS
from tests.core.citations.helpers import notes


def _resolve(*texts: str) -> list[Citation]:
    return parse_citations("doc", notes(*texts))


REFERENCES = [
    pytest.param(
        [
            'Mark N. Katz, "Iran and Russia," USIP, August 1, 2015, https://iranprimer.usip.org/r',
            "Ibid., 12.",
        ],
        [("full", None), ("ibid", 0)],
        id="ibid",
    ),
    pytest.param(
        [
            'Ilya Roubanis, "Russia\'s invasion of Ukraine," Foreign Policy Centre, July 28, 2023, https://f.uk/a',
            'Ilya Roubanis, "Old enemies make new friends: Caucasus and India-Pakistan rivalry," Foreign Policy '
            "Centre, February 23, 2023, https://fpc.org.uk/old-enemies",
            "Katz, 5.",
            "Roubanis, 'Old enemies', 7.",
        ],
        # "Katz, 5." has no earlier Katz to repeat: a short form left unresolved
        [("full", None), ("full", None), ("short_form", None), ("short_form", 1)],
        id="short-form-by-author-and-title",
    ),
    pytest.param(
        [
            'Mark N. Katz, "Iran and Russia," USIP, August 1, 2015, https://iranprimer.usip.org/r',
            'Dorian Jones, "Erdogan defies Trump," VOA, 2019, https://voanews.com/a',
            "Katz, op. cit., p. 4.",
            "Katz, 12.",
        ],
        [("full", None), ("full", None), ("op_cit", 0), ("short_form", 0)],
        id="op-cit-and-author-short-form",
    ),
    pytest.param(
        [
            "See, Shaanan Cohney, et al., Coin-Operated Capitalism, 119 Col. L. Rev. 591, 597-98 (2019).",
            "Russo, supra note 9.",
            "Cohney, et al., supra note 1, at 605.",
            "Id.",
            "See id. at 609.",
        ],
        [("full", None), ("supra", None), ("supra", 0), ("ibid", 0), ("ibid", 0)],
        id="supra-and-id",
    ),
    pytest.param(
        [
            "Steve Fiorillo, Bitcoin History, https://www.thestreet.com/x (last updated Jan. 2, 2020).",
            "See, Shaanan Cohney, et al., Coin-Operated Capitalism, 119 Col. L. Rev. 591, 597-98 (2019).",
            # the document says note 1, but Cohney is in note 2 (bitcoin note 17 does this)
            "ICOs entail issuance of assets. Cohney, et al., supra note 1, at 609.",
        ],
        [("full", None), ("full", None), ("supra", 1)],
        id="supra-with-a-wrong-note-number",
    ),
    pytest.param(
        [
            "Camp v. Williams, 314 Ga. 699, 705, 879 S.E.2d 88, 92 (2022).",
            "O.C.G.A. § 21-2-5(b).",
            "Camp, 314 Ga. at 700\u201301, 879 S.E.2d at 89\u201390.",
            "Id. at 706\u201307.",
            "W.J. Howey, Co., 328 U.S. 293.",
        ],
        [("full", None), ("full", None), ("short_form", 0), ("ibid", 0), ("full", None)],
        id="legal-short-form",
    ),
    pytest.param(
        [
            "Harbor mines are devices that explode if struck by a vessel hull.",
            "Id.",
        ],
        [("commentary", None), ("ibid", None)],
        id="id-with-nothing-to-repeat",
    ),
]


@pytest.mark.parametrize("texts,expected", REFERENCES)
def test_references_are_resolved(texts, expected):
    cits = _resolve(*texts)
    ids = [c.citation_id for c in cits]
    got = [(c.kind, ids.index(c.refers_to) if c.refers_to else None) for c in cits]
    assert got == expected


def test_refers_to_points_at_the_full_citation_not_at_an_intermediate_repeat():
    cits = _resolve(
        "Camp v. Williams, 314 Ga. 699, 705 (2022).",
        "Id. at 706.",
        "Id.",
        "Camp, 314 Ga. at 701.",
        "Id.",
    )
    full = cits[0].citation_id
    assert [c.refers_to for c in cits[1:]] == [full] * 4


def test_resolve_references_keeps_every_other_field():
    cits = parse_citations("d", notes('A. Author, "T," Pub, 2020, https://a.org', "Ibid."))
    again = resolve_references(cits)
    assert again == cits


@pytest.fixture(scope="module")
def bitcoin_citations():
    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import parse_document

    path = REAL_PDFS / "bitcoin_securities_legal_article.pdf"
    split = split_notes(parse_document(path, doc_id="bitcoin", source_path=path.name))
    return {(c.footnote_number, c.position): c for c in parse_citations("bitcoin", split.notes)}


def test_bluebook_repeats_in_the_bitcoin_article(bitcoin_citations):
    cits = bitcoin_citations
    by_id = {c.citation_id: c for c in cits.values()}
    howey = cits[(9, 0)]
    assert howey.title == "Securities and Exchange Commission v. W.J. Howey, Co."
    assert (howey.volume, howey.container, howey.page, howey.published) == ("328", "U.S.", "293", "1946")
    # "See, supra note 9." / "W.J. Howey, Co., 328 U.S. 293." / "Russo, supra note 18." / "Id."
    assert cits[(14, 0)].kind == "supra" and cits[(14, 0)].refers_to == howey.citation_id
    assert cits[(58, 0)].kind == "short_form" and cits[(58, 0)].refers_to == howey.citation_id
    assert by_id[cits[(50, 0)].refers_to].authors == ["Camilla Russo"]
    assert cits[(53, 0)].kind == "ibid" and cits[(53, 0)].refers_to == cits[(50, 0)].refers_to
    # "Cohney, et al., supra note 6" where Cohney is in note 7: the name wins over the number
    assert by_id[cits[(17, 0)].refers_to].authors == ["Shaanan Cohney"]
    assert cits[(3, 0)].accessed == "2022-10-12"  # "(last visited ...)" is not the publication date
    assert cits[(3, 0)].published is None
