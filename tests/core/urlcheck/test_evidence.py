"""Evidence: what a cited page holds of a claim, one case per row (claims read by the real spaCy model)."""

from __future__ import annotations

import pytest

from pipeline.core.models import Citation, Claim, Entity, Evidence, SourceEvidence, Status, UrlCheck
from pipeline.core.urlcheck.evidence import (
    SNIPPET_CHARS,
    assess,
    claim_parts,
    lost_claims,
    page_for,
    source_evidence,
)
from pipeline.core.urlcheck.figures import extract_figures
from pipeline.core.urlcheck.pagetext import PageStore, PageText, extract_page, text_similarity

FOUND, PARTIAL, NOT_FOUND = Evidence.FOUND, Evidence.PARTIAL, Evidence.NOT_FOUND


@pytest.fixture(scope="module")
def claim(nlp_model):
    def make(text: str, claim_id: str = "c1", numbers: list[int] | None = None) -> Claim:
        doc = nlp_model(text)
        ents = [Entity(text=e.text, label=e.label_, start=e.start_char, end=e.end_char) for e in doc.ents]
        return Claim(
            claim_id=claim_id,
            text=text,
            page=1,
            paragraph=0,
            sentence=0,
            entities=ents,
            footnote_numbers=numbers or [1],
            cited=True,
        )

    return make


QUOTE = 'The minister said that "our borders will never be changed by force" in Baku.'
TROOPS = "Iran moved 50,000 troops to the border on September 16, 2022."
SUPPORT = "Iran supports Armenia against Azerbaijan in the South Caucasus."
TRADE = "Turkey's trade with Iran is surging, in 2023 by an impressive 42%."
AMOUNT = "Up until 2015, Iran's trade turnover with the Caucasus did not exceed $600 million."


@pytest.mark.parametrize(
    ("case", "text", "page", "expected"),
    [
        (
            "quote_verbatim_curly",
            QUOTE,
            "In Baku he said: “Our borders will never be changed by force.”",
            FOUND,
        ),
        (
            "quote_one_word_changed",
            QUOTE,
            "In Baku he said: “Our borders will never be altered by force.”",
            FOUND,
        ),
        (
            "quote_paraphrased_in_part",
            QUOTE,
            "The minister said borders would not be changed soon, in Baku.",
            PARTIAL,
        ),
        (
            "half_of_the_quote",
            QUOTE,
            "Asked about the talks, he said that our borders will never change.",
            PARTIAL,
        ),
        (
            "figures_and_names_written_otherwise",
            TROOPS,
            "On 16 Sept. 2022, Iran moved some 50,000 troops north.",
            FOUND,
        ),
        (
            "names_and_terms_without_the_figures",
            TROOPS,
            "Iran moved troops to its northern border, media said.",
            PARTIAL,
        ),
        ("one_figure_elsewhere", TROOPS, "Some 50,000 fans watched the final in Madrid.", PARTIAL),
        (
            "percent_in_words_and_an_adjective",
            TRADE,
            "Turkish-Iranian trade rose 42 percent in 2023, data from Turkey show.",
            FOUND,
        ),
        (
            "amount_abbreviated",
            AMOUNT,
            "Until 2015 Iran's trade with the Caucasus stayed under 600m dollars.",
            FOUND,
        ),
        (
            "amount_differs",
            AMOUNT,
            "Until 2015 Iran's trade turnover with the Caucasus stayed under $400 million.",
            PARTIAL,
        ),
        (
            "no_figures_one_passage_holds_it",
            SUPPORT,
            "In the South Caucasus, Iran has long supported Armenia against Azerbaijan.",
            FOUND,
        ),
        (
            "same_name_other_story",
            SUPPORT,
            "Iran beat Japan two to one in the Asian Cup semi-final on Tuesday.",
            NOT_FOUND,
        ),
        (
            "unrelated_page",
            TROOPS,
            "Mix the flour with two eggs and bake the cake for forty minutes.",
            NOT_FOUND,
        ),
        (
            "a_bare_year_is_not_enough",
            AMOUNT,
            "The museum reopened in 2015 after a long renovation of its rooms.",
            NOT_FOUND,
        ),
    ],
)
def test_what_the_page_holds_of_the_claim(claim, case, text, page, expected):
    found = assess(claim(text), PageText(page))
    assert found.evidence == expected, (case, found)
    assert 0.0 <= found.score <= 1.0
    if expected == NOT_FOUND:
        assert found.snippet is None
    else:
        assert found.snippet and len(found.snippet) <= SNIPPET_CHARS


def test_scores_order_found_partial_not_found(claim):
    c = claim(TROOPS)
    pages = [
        "On 16 Sept. 2022, Iran moved some 50,000 troops north.",
        "Iran moved troops to its northern border, media said.",
        "Mix the flour with two eggs and bake the cake for forty minutes.",
    ]
    scores = [assess(c, PageText(p)).score for p in pages]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1] > scores[2]


def test_the_snippet_is_the_passage_holding_the_claim_and_never_longer_than_300_characters(claim):
    filler = " ".join(["The weather was mild and the markets were calm that week."] * 40)
    page = f"{filler}\nOn 16 Sept. 2022, Iran moved some 50,000 troops north. {filler}"
    found = assess(claim(TROOPS), PageText(page))
    assert found.evidence == FOUND
    assert "50,000 troops" in found.snippet and len(found.snippet) <= SNIPPET_CHARS


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("$600 million", [("number", 6e8)]),
        ("600m", [("number", 6e8)]),
        ("US$2.3 trillion", [("number", 2.3e12)]),
        ("5bn", [("number", 5e9)]),
        ("42% and 42 per cent", [("percent", 42.0), ("percent", 42.0)]),
        ("50,000 troops", [("number", 50000.0)]),
        ("September 16, 2022", [("date", (2022, 9, 16)), ("number", 2022.0)]),
        ("16 Sept. 2022", [("date", (2022, 9, 16)), ("number", 2022.0)]),
        ("2022-09-16", [("date", (2022, 9, 16)), ("number", 2022.0)]),
        ("May 2021", [("date", (2021, 5, None)), ("number", 2021.0)]),
        ("3 people", []),  # a small bare count is noise
        ("a 5 m wall", []),  # metres, not millions
    ],
)
def test_figures_are_normalised(text, figures):
    assert [(f.kind, f.value) for f in extract_figures(text)] == figures


def test_a_claims_parts(claim):
    parts = claim_parts(claim(QUOTE))
    assert parts.quotes == ["our borders will never be changed by force"]
    assert parts.entities == ["baku"]
    assert {"minister", "border", "chang", "force"} <= set(parts.terms)  # stems; a quotation's words too


def test_which_text_is_looked_at():
    live = UrlCheck(url="u", status=Status.OK, content_hash="a" * 64, archive_content_hash="b" * 64)
    dead = UrlCheck(url="u", status=Status.DEAD, content_hash=None, archive_content_hash="b" * 64)
    assert page_for(live) == ("a" * 64, "live")
    assert page_for(dead) == ("b" * 64, "archive")
    assert page_for(dead.model_copy(update={"archive_content_hash": None})) == (None, None)
    assert page_for(live.model_copy(update={"status": Status.PAYWALLED})) == (None, None)
    assert page_for(live.model_copy(update={"status": Status.BLOCKED})) == (None, None)
    assert page_for(None) == (None, None)


def test_source_evidence_follows_repeats_and_says_not_checked_without_text(tmp_path, claim):
    store = PageStore(tmp_path / "pages")
    digest = store.save(PageText("On 16 Sept. 2022, Iran moved some 50,000 troops north."))
    cits = [
        Citation(citation_id="d:1:0", footnote_number=1, position=0, raw_text="A", urls=["http://a.test/x"]),
        Citation(citation_id="d:2:0", footnote_number=2, position=0, raw_text="Ibid.", refers_to="d:1:0"),
        Citation(citation_id="d:3:0", footnote_number=3, position=0, raw_text="B", urls=["http://b.test/y"]),
    ]
    checks = {
        "http://a.test/x": UrlCheck(url="http://a.test/x", status=Status.OK, content_hash=digest),
        "http://b.test/y": UrlCheck(url="http://b.test/y", status=Status.TIMEOUT),
    }
    claims = [claim(TROOPS, "c1", [2]), claim(TROOPS, "c2", [3])]
    got = source_evidence(claims, cits, checks, store)
    assert [(e.claim_id, e.url, e.evidence, e.source) for e in got] == [
        ("c1", "http://a.test/x", FOUND, "live"),
        ("c2", "http://b.test/y", Evidence.NOT_CHECKED, None),
    ]


def test_the_page_store_keeps_each_text_once_by_its_hash(tmp_path):
    store = PageStore(tmp_path / "pages")
    page = PageText("Some text.", title="T", date="2024-01-02")
    digest = store.save(page)
    assert store.save(page) == digest and len(list((tmp_path / "pages").rglob("*.json"))) == 1
    assert store.load(digest) == page
    assert store.load("../../etc/passwd") is None and store.load(None) is None


def test_main_text_leaves_the_boilerplate_out_and_gives_the_pages_date():
    html = (
        "<html><head><title>Trade | Site</title><meta property='article:published_time' content='2023-05-02'>"
        "</head><body><nav>Home News Sport Weather</nav><article><h1>Trade</h1><p>Trade between Iran and "
        "Turkey reached $5 billion in 11 months, up 42% on the year, officials said on Tuesday.</p>"
        "</article><footer>Cookie settings</footer></body></html>"
    )
    page = extract_page(html, "http://x.test/a")
    assert page is not None and "$5 billion" in page.text and "Cookie" not in page.text
    assert page.date == "2023-05-02"
    assert extract_page("   ") is None


def test_text_similarity():
    a = "The central bank raised its key rate to 10.75% in January 2023 to fight inflation."
    assert text_similarity(a, a) == 1.0
    assert text_similarity(a, a + " A correction was added.") > 0.8
    assert text_similarity(a, "A new museum of coins opened its doors to visitors this spring.") < 0.4


def test_a_live_page_that_lost_what_its_snapshot_held_of_a_claim_changed():
    def ev(url, value, claim="c1"):
        return SourceEvidence(claim_id=claim, url=url, evidence=value)

    live = [ev("a", PARTIAL), ev("b", FOUND), ev("c", NOT_FOUND), ev("d", Evidence.NOT_CHECKED)]
    then = [ev("a", FOUND), ev("b", FOUND), ev("c", NOT_FOUND), ev("d", FOUND), ev("e", FOUND)]
    assert lost_claims(live, then) == {"a"}


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<p>a</p><script>x()</script><p>b</p>", "<p>a</p><p>b</p>"),
        ("<p>a</p><STYLE>.c{}</STYLE><svg><path/></svg><p>b</p>", "<p>a</p><p>b</p>"),
        (
            '<script type="application/ld+json">{"d":1}</script><p>b</p>',
            '<script type="application/ld+json">{"d":1}</script><p>b</p>',
        ),
        ("<p>a</p><script>never closed <p>b</p>", "<p>a</p>"),
    ],
)
def test_scripts_and_styles_are_dropped_before_extraction_but_json_ld_is_kept(html, kept):
    from pipeline.core.urlcheck.pagetext import _without_scripts

    assert _without_scripts(html) == kept
