"""Splitting a note into citations: semicolons, full stops after a source, signals, quotes."""

import pytest

from pipeline.core.citations import split_citations

SPLITS = [
    # semicolons between citations
    (
        'Jones, "Erdogan defies Trump," VOA, 2019, https://voanews.com/a; Dorian Jones, "Turkey, Iran Join '
        'Forces," VOA, March 20, 2020, https://voanews.com/b',
        ["Jones,", "Dorian Jones,"],
    ),
    # a semicolon inside a title is no boundary (seed note 11: the title lost its opening quote)
    (
        'Ashish Dangwal, Iran confirms fighters from Russia; jets to arrive in March," Eurasian Times, '
        'August 19, 2023, https://a.com/x; "Iran expected consequences," Iran International, 2023',
        ["Ashish Dangwal,", '"Iran expected'],
    ),
    # a full stop after a URL ends a citation (seed note 18)
    (
        '"Iran-Turkey trade reaches 5bn," Tehran Times, 2023, https://t.com/a. "Iran\'s exports drop," '
        "Iran International, 2023, https://i.com/b",
        ['"Iran-Turkey', "\"Iran's exports"],
    ),
    # ... but not when the URL follows the full stop (seed note 56)
    (
        '"Ardabil imam addresses Azerbaijan," Farda News, April 2023. https://www.fardanews.com/x',
        ['"Ardabil'],
    ),
    # an unbalanced quote spanning a URL does not protect the next semicolon (seed note 36)
    (
        '"Georgia, Uzbekistan, Prioritize the BTK Railway, Silk Road Briefing, April 4, 2023, '
        'https://s.com/a; "Relations with Georgia," NATO, https://n.int/b',
        ['"Georgia, Uzbekistan', '"Relations'],
    ),
    # doubled semicolons (seed note 22)
    ('"A," Reuters, 2024, https://r.com/a/;; Tuvan Cumrukcu, "B," Reuters, 2023', ['"A,"', "Tuvan"]),
    # Bluebook: signals start citations; semicolons inside parentheses do not split
    (
        "See Camp, 314 Ga. 699, 879 S.E.2d 88; Barrow v. Raffensperger, 308 Ga. 660, 842 S.E.2d 884 (2020).",
        ["See Camp,", "Barrow v."],
    ),
    (
        "O.C.G.A. § 21-2-217(b); see also Fair Fight Action, Inc., 634 F. Supp. 3d at 1170.",
        ["O.C.G.A.", "see also Fair"],
    ),
    ("Cook, 291 Ga. at 70 (holding, in part; that ballots count).", ["Cook,"]),
    (
        "Id. (quoting Cohney); see also Reves v. Ernst & Young, 494 U.S. 56, 61 (1990).",
        ["Id. (quoting", "see also Reves"],
    ),
    # sections of one code after a semicolon stay together; a new volume-reporter starts a citation
    ("See O.C.G.A. §§ 15-9-30(b)(2) (2024); 21-2-2(35)(a).", ["See O.C.G.A."]),
    ("P.L. 116-283, §3511; 46 U.S.C. §53403(c).", ["P.L.", "46 U.S.C."]),
    # a full stop after a dated parenthetical, before "See also"
    (
        "The History of Ethereum, https://ethereum.org/en/history (last updated August 9, 2022). See also, "
        "Camilla Russo, Sale of The Century, COINDESK, Jul. 11, 2020",
        ["The History", "See also,"],
    ),
]


@pytest.mark.parametrize("text,starts", SPLITS)
def test_split_citations(text, starts):
    parts = split_citations(text)
    assert len(parts) == len(starts), parts
    assert all(p.startswith(s) for p, s in zip(parts, starts, strict=True)), parts
