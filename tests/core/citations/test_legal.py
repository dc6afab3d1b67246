"""Legal styles: cases by volume and reporter, Bluebook periodicals, dockets, statutes, constitutions."""

import pytest

from pipeline.core.citations import parse_citation

LEGAL = [
    pytest.param(
        "See, Shaanan Cohney, et al., Coin-Operated Capitalism, 119 Col. L. Rev. 591, 597-98 (2019) "
        "(A study \u201cbuilt around a survey of the 50 ICOs that raised the most capital in 2017\u201d)",
        {
            "authors": ["Shaanan Cohney"],
            "title": "Coin-Operated Capitalism",
            "container": "Col. L. Rev.",
            "volume": "119",
            "page": "591",
            "pinpoint": "597-98",
            "published": "2019",
            "signal": "See",
        },
        id="journal-bluebook",
    ),
    pytest.param(
        "Bell Atl. Corp. v. Twombly, 550 U.S. 544, 570 (2007).",
        {
            "title": "Bell Atl. Corp. v. Twombly",
            "container": "U.S.",
            "volume": "550",
            "page": "544",
            "pinpoint": "570",
            "published": "2007",
            "kind": "full",
        },
        id="legal-case",
    ),
    pytest.param(
        "See, e.g. SEC v. Telegram Grp. Inc., 448 F. Supp. 3d 352, 379 (S.D.N.Y. 2020) (\u201c[T]he security "
        "in this case is not simply the Gram\u201d).",
        {
            "title": "SEC v. Telegram Grp. Inc.",
            "container": "F. Supp. 3d",
            "volume": "448",
            "page": "352",
            "published": "2020",
            "signal": "See, e.g.",
        },
        id="legal-case-parenthetical",
    ),
    pytest.param(
        "Both the SEC and the courts look to the \u201ceconomic realities underlying a transaction,\u201d "
        "United Housing Found., Inc. v. Forman, 421 U.S. 837, 849 (1975), so merely stating it will not do.",
        {"title": "United Housing Found., Inc. v. Forman", "container": "U.S.", "published": "1975"},
        id="legal-case-in-prose",
    ),
    pytest.param(
        "Securities and Exchange Commission v. Ripple Labs, Inc., et al., No. 1:20-cv-10832 "
        "(S.D.N.Y. Dec. 20, 2020)",
        {
            "title": "Securities and Exchange Commission v. Ripple Labs, Inc.",
            "container": "S.D.N.Y.",
            "published": "2020-12-20",
        },
        id="legal-docket",
    ),
    pytest.param(
        "O.C.G.A. § 21-2-50(a) (2023).",
        {"title": "O.C.G.A. § 21-2-50(a)", "container": "O.C.G.A.", "published": "2023"},
        id="legal-statute",
    ),
    pytest.param(
        "GA. CONST. art. V, § 3, para. 1.",
        {"title": "GA. CONST. art. V, § 3, para. 1", "container": "GA. CONST."},
        id="legal-constitution",
    ),
]


@pytest.mark.parametrize("raw,expected", LEGAL)
def test_legal_citation_fields(raw, expected):
    fields = parse_citation(raw)
    assert {k: getattr(fields, k) for k in expected} == expected
