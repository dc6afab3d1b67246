import pytest

from pipeline.core.models import LinkSpan
from pipeline.core.text import (
    LinePiece,
    clean_url,
    extract_url_refs,
    find_dates,
    find_urls,
    hyphen_is_real,
    hyphens_added_evidence,
    join_lines,
    joins_hyphenated_word,
    parse_date,
    repair_url,
)
from pipeline.core.text.urls import bare_host_at_end

CLEAN = [
    ("https://example.org/a.", "https://example.org/a"),
    ("(https://eu.usatoday.com/story/x/)", "https://eu.usatoday.com/story/x/"),
    ("https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("https://example.org/x;", "https://example.org/x"),
    ("https://", None),
    ("www.example.com/page,", "www.example.com/page"),
    # a line break glued the next words on: an unclosed bracket before a word is prose
    ("https://bitcoin.org/bitcoin.pdf(last", "https://bitcoin.org/bitcoin.pdf"),
    ("https://www.coindesk.com/markets/2014-premine/(last", "https://www.coindesk.com/markets/2014-premine/"),
    ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("https://example.org/a…", "https://example.org/a"),
    ("C-SPAN", None),
    ("mailto:someone", None),
]


@pytest.mark.parametrize("raw,expected", CLEAN)
def test_clean_url(raw, expected):
    assert clean_url(raw) == expected


def test_find_urls_in_note_text():
    text = (
        'Katz, "Iran," USIP, 2015, https://iranprimer.usip.org/resource/iran-and-russia; see www.ft.com/c/1.'
    )
    assert [m.url for m in find_urls(text)] == [
        "https://iranprimer.usip.org/resource/iran-and-russia",
        "www.ft.com/c/1",
    ]


FIND = [
    ("See www.technorati.com, www.blogpulse.com, blogs.", ["www.technorati.com", "www.blogpulse.com"]),
    # scheme-less with a path, any country code
    ("law-library.rutgers.edu/resources/lawblogs.php", ["law-library.rutgers.edu/resources/lawblogs.php"]),
    ("archived at perma.cc/4GZA-EFMP.", ["perma.cc/4GZA-EFMP"]),
    # a bracketed archive link printed with a space inside it
    ("eip-20.md [https://perma.cc/4GZA- EFMP] (last visited)", ["https://perma.cc/4GZA-EFMP"]),
    # a Wayback URL embeds a second scheme
    (
        "at https://web.archive.org/web/2010/http://example.com/page+Rate. But",
        ["https://web.archive.org/web/2010/http://example.com/page+Rate"],
    ),
    ("not URLs: e.g./i.e., U.S./Canada, and/or, 12.5/3", []),
]


@pytest.mark.parametrize("text,expected", FIND)
def test_find_urls_table(text, expected):
    assert [m.url for m in find_urls(text)] == expected


def test_repair_url_collapses_a_doubled_scheme_only():
    assert repair_url("http://http://www.americanbar.org/x") == "http://www.americanbar.org/x"
    assert (
        repair_url("https://web.archive.org/web/1/http://a.org/")
        == "https://web.archive.org/web/1/http://a.org/"
    )


HYPHENS = [
    # left fragment, right fragment, segment, is the hyphen real?
    ("https://www.clingen-", "dael.org/publication", "www.clingen-dael.org", False),
    ("interviews/sergey-", "markedonov-the-caucasus", "sergey-markedonov-the-caucasus", True),
    ("east-eden-will-tehran-find-salva-", "tion-looking", "salva-tion-looking", False),
    ("wp-content/up-", "loads/2023", "up-loads", False),
    ("2023-10-", "25/", "2023-10-25", True),
    # names in a slug: neither half nor the joined form is a word
    ("commander-qassem-", "soleimani-looms-large", "commander-qassem-soleimani-looms-large", True),
    # both halves are words
    ("strait-hormuz-disruptions-", "implications-global", "disruptions-implications-global", True),
    ("www.maritime-", "executive.com/article", "maritime-executive", True),
    # codes are not hyphenated by typesetters
    ("https://perma.cc/4GZA-", "EFMP", "4GZA-EFMP", True),
]


@pytest.mark.parametrize("left,right,segment,real", HYPHENS)
def test_hyphen_at_a_url_line_break(left, right, segment, real):
    assert hyphen_is_real(left, right, segment) is real


def test_a_typesetter_that_never_adds_hyphens_makes_every_break_hyphen_real():
    assert hyphen_is_real("2002_a_Break-", "Out_Year", "Break-Out", hyphens_added=False) is True
    assert hyphen_is_real("2002_a_Break-", "Out_Year", "Break-Out") is False  # "breakout" is a word


def test_document_evidence_about_url_hyphens():
    cut_mid_word = join_lines(
        [LinePiece(text="See http://a.gov/page?_schema=PORTA", full=True), LinePiece(text="L30")]
    )
    added = join_lines(
        [LinePiece(text="See https://a.org/find-salva-", full=True), LinePiece(text="tion-looking")]
    )
    plain = join_lines([LinePiece(text="See https://a.org/", full=True), LinePiece(text="page")])
    assert hyphens_added_evidence([cut_mid_word, plain]) is False
    assert hyphens_added_evidence([cut_mid_word, added]) is None  # a typesetter's hyphen was seen too
    assert hyphens_added_evidence([plain]) is None


def test_join_lines_repairs_a_url_broken_with_an_added_hyphen():
    joined = join_lines(
        [
            LinePiece(text="Azizi, Clingendael, 2023, https://www.clingen-", full=True),
            LinePiece(text="dael.org/publication/east-eden"),
        ]
    )
    assert joined.text.endswith("https://www.clingendael.org/publication/east-eden")
    (ref,) = joined.urls
    assert ref.url == "https://www.clingendael.org/publication/east-eden"
    assert ref.raw_url == "https://www.clingen-dael.org/publication/east-eden"
    assert ref.alternatives == ["https://www.clingen-dael.org/publication/east-eden"]


def test_join_lines_trusts_the_link_annotation_over_the_printed_hyphen():
    target = "https://caucasuswatch.de/en/interviews/sergey-markedonov-the-riot.html"
    first = "Watch, 2023, https://caucasuswatch.de/en/interviews/sergey-"
    second = "markedonov-the-riot.html"
    joined = join_lines(
        [
            LinePiece(text=first, links=[LinkSpan(start=13, end=len(first), uri=target)]),
            LinePiece(text=second, links=[LinkSpan(start=0, end=len(second), uri=target)]),
        ]
    )
    assert [u.url for u in joined.urls] == [target]
    assert joined.urls[0].source == "both"
    assert target in joined.text


def test_join_lines_joins_a_url_cut_without_hyphen_when_the_line_is_full():
    joined = join_lines(
        [
            LinePiece(
                text="Report, 2017, https://isis-online.org/uploads/Illicit_Transactions_3May2017_Final.",
                full=True,
            ),
            LinePiece(text='pdf; Devi Dumbadze, "Oscillation"'),
        ]
    )
    assert joined.urls[0].url == "https://isis-online.org/uploads/Illicit_Transactions_3May2017_Final.pdf"


def test_join_lines_keeps_prose_words_apart_and_dehyphenates():
    joined = join_lines([LinePiece(text="US intel officials be-"), LinePiece(text='lieve," CNN, 2022')])
    assert joined.text == 'US intel officials believe," CNN, 2022'


PROSE_HYPHENS = [
    # line ending, next line, did hyphenation add the hyphen?
    ("the capabili-", "ties of", True),
    ("an uncon-", "tested claim", True),
    ("a bar-", "gain price", True),
    ("Fabian Vogel-", "steller and", True),
    ("the hege-", "mon of", True),
    ("in real-", "time systems", False),
    ("a long-", "term view", False),
    ("the follow-", "up report", False),
    ("decision-", "making bodies", False),
    ("for blawg-", "related applications", False),
]


@pytest.mark.parametrize("left,right,added", PROSE_HYPHENS)
def test_joins_hyphenated_word(left, right, added):
    assert joins_hyphenated_word(left, right) is added
    joined = join_lines([LinePiece(text=left), LinePiece(text=right)]).text
    word = left.rsplit(None, 1)[-1] + right.split()[0]
    assert (word.replace("-", "") in joined) is added and (word in joined) is not added


JOINS = [
    # a hyphen before a capital is real and the lines close up
    (["Video from C-", "SPAN with captions"], "Video from C-SPAN with captions"),
    (["an “E-", "Government Act.”"], "an “E-Government Act.”"),
    # a dash at the end of a line closes up too; a spaced dash keeps its space
    (["often incredibly similar—", "crypto tokens"], "often incredibly similar—crypto tokens"),
    (["pages 13–", "15 of the report"], "pages 13–15 of the report"),
    (["the proxy standoff –", "a new front"], "the proxy standoff – a new front"),
    # a URL ending a line is not glued to the next URL of a list
    (
        ["https://a.example.org/report", "https://b.example.org/data"],
        "https://a.example.org/report https://b.example.org/data",
    ),
    # a URL ending a line is not glued to "(last visited"
    (
        ["https://bitcoin.org/bitcoin.pdf", "(last visited May 2)"],
        "https://bitcoin.org/bitcoin.pdf (last visited May 2)",
    ),
]


@pytest.mark.parametrize("lines,text", JOINS)
def test_join_lines_table(lines, text):
    assert join_lines([LinePiece(text=t, full=True) for t in lines]).text == text


def test_join_lines_joins_a_url_split_right_after_the_scheme():
    joined = join_lines(
        [
            LinePiece(text="is available at http://", full=True),
            LinePiece(text="www.youtube.com/user/Law#g/c/1E16"),
        ]
    )
    assert [u.url for u in joined.urls] == ["http://www.youtube.com/user/Law#g/c/1E16"]
    assert joined.text == "is available at http://www.youtube.com/user/Law#g/c/1E16"


def test_join_lines_with_document_evidence_keeps_a_break_hyphen():
    pieces = [
        LinePiece(text="Bulletin, http://x.gov/News/2002_a_Break-", full=True),
        LinePiece(text="Out_Year.aspx"),
    ]
    (default,) = join_lines(pieces).urls
    (kept,) = join_lines(pieces, hyphens_added=False).urls
    assert default.url == "http://x.gov/News/2002_a_BreakOut_Year.aspx"
    assert kept.url == "http://x.gov/News/2002_a_Break-Out_Year.aspx"
    assert kept.alternatives == ["http://x.gov/News/2002_a_BreakOut_Year.aspx"]
    assert kept.raw_url == default.raw_url == "http://x.gov/News/2002_a_Break-Out_Year.aspx"


def _link(text: str, part: str, uri: str) -> LinkSpan:
    start = text.index(part)
    return LinkSpan(start=start, end=start + len(part), uri=uri)


def test_annotation_only_links_are_urls_of_the_note():
    text = "See the full report for the tables."
    (ref,) = extract_url_refs(text, [_link(text, "the full report", "https://r.example.org/full.pdf")])
    assert (ref.url, ref.raw_url, ref.source) == (
        "https://r.example.org/full.pdf",
        "the full report",
        "annotation",
    )


def test_annotation_over_a_printed_url_that_lost_characters_wins():
    text = "2 3lepiphany.typepad.com/3l epiphany/ a taxonomy of legal blogs/index.html"
    target = "http://3lepiphany.typepad.com/3l_epiphany/a_taxonomy_of_legal_blogs/index.html"
    (ref,) = extract_url_refs(text, [_link(text, text[2:], target)])
    assert (ref.url, ref.alternatives, ref.source) == (target, [], "both")
    assert ref.raw_url == text[2:]


def test_printed_url_wins_over_a_mangled_or_extended_annotation():
    text = "at https://web.archive.org/web/2010/http://example.com/page. But"
    mangled = "https://web.archive.org/web/2010/http:/example.com/page"
    (ref,) = extract_url_refs(
        text, [_link(text, "https://web.archive.org/web/2010/http://example.com/page", mangled)]
    )
    assert ref.url == "https://web.archive.org/web/2010/http://example.com/page"
    assert ref.alternatives == [mangled]
    text = "Order, https://clerk.example.org/View/32-ORDER."
    tracked = "https://clerk.example.org/View/32-ORDER?bidId="
    (ref,) = extract_url_refs(text, [_link(text, "https://clerk.example.org/View/32-ORDER", tracked)])
    assert (ref.url, ref.alternatives) == ("https://clerk.example.org/View/32-ORDER", [tracked])


def test_a_url_cited_twice_in_a_note_is_listed_once():
    refs = extract_url_refs("https://usatrade.census.gov/; see also https://usatrade.census.gov/.")
    assert [r.url for r in refs] == ["https://usatrade.census.gov/"]


DATES = [
    ("Financial Times, August 15, 2023, https://x.org", "2023-08-15"),
    ("Eurasia Daily Monitor, 10 July 2013", "2013-07-10"),
    ("SWP Comments, July 2017", "2017-07"),
    ("Valdai Club, 2022", "2022"),
    ("VOA, Septemer 27, 2019", "2019-09-27"),  # misspelt month (seed note 17)
    ("COINDESK, Jul. 11, 2020", "2020-07-11"),
    ("(Jun. 27. 2022)", "2022-06-27"),
    ("BLOOMBERG, (November 9, 2021, 4:06 AM EST)", "2021-11-09"),
    ("retrieved 2023-10-25", "2023-10-25"),
    ("(S.D.N.Y. Sept. 19, 2025)", "2025-09-19"),
    ("Issue 100, no date here", None),
    ("February 30, 2020", "2020-02"),  # no such day: only the month is real
]


@pytest.mark.parametrize("text,iso", DATES)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_find_dates_gives_offsets_and_precision():
    text = "Reuters, October 1, 2012, and (2019)"
    dates = find_dates(text)
    assert [(text[d.start : d.end], d.iso, d.precision) for d in dates] == [
        ("October 1, 2012", "2012-10-01", "day"),
        ("2019", "2019", "year"),
    ]


# Real layouts from other producers (issue 12): URL classes seen on real PDFs.


def test_a_url_in_parentheses_ends_where_they_close():
    text = '"Leaderboard" (https://huggingface.co/spaces/lmsys/board).huggingface.co. Retrieved 2024.'
    assert [u.url for u in find_urls(text)] == ["https://huggingface.co/spaces/lmsys/board"]
    wiki = "(https://en.wikipedia.org/wiki/ISBN_(identifier))."
    assert [u.url for u in find_urls(wiki)] == ["https://en.wikipedia.org/wiki/ISBN_(identifier)"]


def test_a_bracketed_link_with_a_stray_space_runs_to_its_bracket():
    cases = {
        "YouTube, https://youtu.be/x [https://perma.cc /K5YV-Q2EP].": "https://perma.cc/K5YV-Q2EP",
        "fine [https://perma. cc/2MPL-AQDR] (last updated": "https://perma.cc/2MPL-AQDR",
        "fine [https://perma .cc/R8HJ-CNGS]; Keegan": "https://perma.cc/R8HJ-CNGS",
        "[https://perma.cc/PY B8-DZPA]": "https://perma.cc/PYB8-DZPA",
    }
    for text, url in cases.items():
        assert [u.url for u in find_urls(text)][-1] == url, text
    assert [u.url for u in find_urls("[https://example.org see]")] == ["https://example.org"]


def test_a_slug_after_a_stray_space_in_the_path_is_part_of_the_url():
    text = (
        "THE NEW INQUIRY (2013), https://thenewinquiry.com/ dissecting-the-frog/ [https://perma.cc/5ATS-ZEXM]"
    )
    assert find_urls(text)[0].url == "https://thenewinquiry.com/dissecting-the-frog/"
    cracked = "CRACKED, https://www.cracked.com/article_34083_ carrot-top-the-comedian.html [x]"
    assert [u.url for u in find_urls(cracked)] == [
        "https://www.cracked.com/article_34083_carrot-top-the-comedian.html"
    ]
    # prose after a URL stays prose, hyphenated or not
    assert [u.url for u in find_urls("at https://x.org/a/ well-known facts")] == ["https://x.org/a/"]
    assert [u.url for u in find_urls("see https://x.org/ and then")] == ["https://x.org/"]


def test_a_bare_host_ending_a_note_is_cited_but_a_site_name_in_a_sentence_is_not():
    assert bare_host_at_end("See ldc.upenn.edu.").url == "ldc.upenn.edu"
    assert bare_host_at_end("Data from the collection, ocrdata.ed.gov.").url == "ocrdata.ed.gov"
    assert bare_host_at_end("cisecurity.org maintains a listing of benchmarks") is None
    assert bare_host_at_end("Smith, i.e.") is None
    refs = extract_url_refs("See ldc.upenn.edu.")
    assert [(r.url, r.raw_url, r.source) for r in refs] == [("http://ldc.upenn.edu", "ldc.upenn.edu", "text")]


# URL classes of issue 12 seen in law reviews and news citations, each as the printed lines of a
# note: (case, lines, full, expected URLs).
URL_LINE_CASES = [
    (
        "stray_space_after_scheme_host_cut_at_line_end",
        ["Officials say, AP News (May 3, 2023), https:// ap", "news.com/article/officials-say-5f3e2a1b."],
        False,
        ["https://apnews.com/article/officials-say-5f3e2a1b"],
    ),
    (
        "stray_space_after_scheme",
        ["Id., https:// apnews.com/article/officials-say-5f3e2a1b [https://perma.cc/8XYZ-ABCD]."],
        False,
        ["https://apnews.com/article/officials-say-5f3e2a1b", "https://perma.cc/8XYZ-ABCD"],
    ),
    (
        "url_runs_into_the_next_bracketed_url",
        [
            "Report (2021), https://www.example.gov/files/reports/board-report-final.pdf[https://perma.cc/7QWE-RTYU]."
        ],
        False,
        ["https://www.example.gov/files/reports/board-report-final.pdf", "https://perma.cc/7QWE-RTYU"],
    ),
    (
        "url_continuation_runs_into_the_next_bracketed_url",
        [
            "Report of the Board (2021), https://www.example.gov/files/reports/annual-2021/",
            "report[https://perma.cc/7QWE-RTYU].",
        ],
        False,
        ["https://www.example.gov/files/reports/annual-2021/report", "https://perma.cc/7QWE-RTYU"],
    ),
    (
        "url_cut_mid_word_runs_into_the_next_bracketed_url",
        [
            "Report of the Board (2021), https://www.example.gov/files/reports/annual-2021/board",
            "report[https://perma.cc/7QWE-RTYU].",
        ],
        True,
        ["https://www.example.gov/files/reports/annual-2021/boardreport", "https://perma.cc/7QWE-RTYU"],
    ),
    (
        "identifier_split_mid_token_in_brackets",
        [
            "Smith v. Jones, 123 F.3d 456 (2d Cir. 2019), https://casetext.com/case/smith-v-jones [https://perma.cc/PY",
            "B8-DZPA].",
        ],
        True,
        ["https://casetext.com/case/smith-v-jones", "https://perma.cc/PYB8-DZPA"],
    ),
    (
        "identifier_split_mid_token",
        ["Smith v. Jones, 123 F.3d 456 (2d Cir. 2019), archived at https://perma.cc/PY", "B8-DZPA."],
        True,
        ["https://perma.cc/PYB8-DZPA"],
    ),
    (
        "identifier_split_after_its_hyphen",
        ["See https://www.law.cornell.edu/uscode/text/26/1202 [https://perma.cc/3KQW-", "4TZN]."],
        False,
        ["https://www.law.cornell.edu/uscode/text/26/1202", "https://perma.cc/3KQW-4TZN"],
    ),
    (
        "url_last_piece_before_a_closing_quote",
        [
            'to Armenia," Armenpress, 2022, https://caspiannews.com/news-detail/in',
            "dia-sends-weapons-to-armenia-through-i",
            'ran-reports-2023-7-27-17/"; "22 countries requested to purchase',
        ],
        True,
        [
            "https://caspiannews.com/news-detail/india-sends-weapons-to-armenia-through-iran-reports-2023-7-27-17/"
        ],
    ),
    (
        "url_continuation_closed_by_a_quotation_mark",
        [
            'Quoted in "Drones," Armenpress, 2022, "https://news.example.com/detail/drones-sold-to-the-',
            '2023-7-27-17/"; "Twenty countries asked to buy drones," Monitor, 2022.',
        ],
        True,
        ["https://news.example.com/detail/drones-sold-to-the-2023-7-27-17/"],
    ),
]


@pytest.mark.parametrize(
    ("case", "lines", "full", "expected"), URL_LINE_CASES, ids=[c[0] for c in URL_LINE_CASES]
)
def test_urls_broken_across_note_lines(case, lines, full, expected):
    joined = join_lines([LinePiece(text=t, full=full) for t in lines])
    assert [u.url for u in joined.urls] == expected


def test_a_scheme_followed_by_prose_is_no_url():
    assert find_urls("the prefix https:// is printed alone here") == []


def test_urls_before_a_spaced_scheme_are_all_found():
    text = "See https://a.example.org/x and https:// apnews.com/article/y, then www.example.com/z."
    assert [u.url for u in find_urls(text)] == [
        "https://a.example.org/x",
        "https://apnews.com/article/y",
        "www.example.com/z",
    ]
