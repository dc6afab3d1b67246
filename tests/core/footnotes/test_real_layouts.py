"""Layouts of real PDFs from other producers (issue 12), one generated PDF per failure class.

Each case is drawn with the fixture generator's ``Sheet`` (tests/fixtures/pdf/make_cases.py) into
the test's own folder, so the layout under test is exactly what the test name says.
"""

from __future__ import annotations

from pipeline.core.footnotes import quality_problems, split_notes
from pipeline.core.layout import parse_document
from pipeline.core.models import ParagraphKind
from tests.core.footnotes.helpers import Sheet, draw_and_split

_split = draw_and_split


def _browser_print(s: Sheet) -> None:
    """A web page printed by a browser: raised ``[n]`` markers, a numbered reference list."""
    s.line(72, 80, "Large Example Model", 18, "Times-Bold")
    s.lines(
        72,
        120,
        [
            "A large example model is a model notable for its general abilities.^{[1]} It learns",
            "from text during a long training process.^{[2][3]} Some models are open to everyone.",
            "Later versions were praised for their accuracy and their breadth of knowledge.^{[4]}",
        ],
    )
    s.line(72, 190, "References", 14, "Times-Bold")
    s.lines(
        72,
        214,
        [
            '1. "Better Models" (https://example.org/blog/better-models/). Example Lab. Retrieved 2019.',
            '2. "Leaderboard" (https://huggingface.co/spaces/lmsys/leaderboard).huggingface.co. 2024.',
            '3. Doe, Jane (2020). "A Survey" (https://www.researchgate.net/publication/338931711).Proc.',
            '4. "Wiki" (https://en.wikipedia.org/wiki/ISBN_(identifier)). Retrieved 2024.',
        ],
        9,
        12,
    )


def test_raised_bracketed_markers_link_to_a_numbered_reference_list(tmp_path):
    split = _split(tmp_path, "raised_bracketed_markers_with_numbered_references", _browser_print)
    assert [m.number for m in split.markers] == [1, 2, 3, 4]
    assert [n.number for n in split.notes] == [1, 2, 3, 4]
    assert all(n.has_marker for n in split.notes)
    assert quality_problems(split) == []
    first = split.paragraphs[1]
    assert "[" not in first.text and first.text.startswith("A large example model is a model notable")


def test_a_url_in_parentheses_ends_at_the_closing_parenthesis(tmp_path):
    split = _split(tmp_path, "url_in_parentheses_glued_to_site_name", _browser_print)
    urls = {n.number: [u.url for u in n.urls] for n in split.notes}
    assert urls == {
        1: ["https://example.org/blog/better-models/"],
        2: ["https://huggingface.co/spaces/lmsys/leaderboard"],
        3: ["https://www.researchgate.net/publication/338931711"],
        4: ["https://en.wikipedia.org/wiki/ISBN_(identifier)"],
    }


def _notes_then_references(s: Sheet) -> None:
    """A magazine's last column: "Notes" (``N.`` labels), then an author-year "References" list
    whose heading is set larger than the body but not bold."""
    s.lines(
        72,
        80,
        [
            "The corpus was drawn from newswire text.^{1} Relations were defined by the",
            "evaluation programs.^{2} Their definitions are public.^{3}",
        ],
    )
    s.line(72, 130, "Notes", 12, "Times-Bold")
    s.lines(
        72,
        148,
        [
            "1. See ldc.upenn.edu.",
            "2. See Proceedings of the Third Message Understanding Conference.",
            "3. See www.itl.nist.gov/iad/mig/tests/ace.",
        ],
        9,
        11,
    )
    s.line(72, 200, "References", 12)  # set larger, not bold (QuarkXPress magazine)
    s.lines(
        72,
        218,
        [
            "Agichtein, E., and Gravano, L. 2000. Snowball: Extracting Relations from Large",
            "Plain-Text Collections. In Proceedings of the Fifth ACM Conference. New York: ACM.",
            "Banko, M., and Etzioni, O. 2008. The Tradeoffs Between Open and Traditional",
            "Relation Extraction. In Proceedings of ACL, 28-36.",
        ],
        9,
        11,
    )


def test_a_references_heading_ends_the_endnotes_before_it(tmp_path):
    split = _split(tmp_path, "references_heading_after_endnotes", _notes_then_references)
    assert {n.number: n.text for n in split.notes} == {
        1: "See ldc.upenn.edu.",
        2: "See Proceedings of the Third Message Understanding Conference.",
        3: "See www.itl.nist.gov/iad/mig/tests/ace.",
    }
    assert any(p.text.startswith("References") or "Agichtein" in p.text for p in split.paragraphs)


def test_a_bare_host_ending_a_note_is_its_url(tmp_path):
    split = _split(tmp_path, "bare_host_at_note_end", _notes_then_references)
    urls = {n.number: [u.url for u in n.urls] for n in split.notes}
    assert urls == {1: ["http://ldc.upenn.edu"], 2: [], 3: ["http://www.itl.nist.gov/iad/mig/tests/ace"]}


def _whitepaper(s: Sheet) -> None:
    """A report laid out in InDesign: notes at the baseline as ``4 https://...``, set small well
    below a short separator rule, a raised 0 in a formula that is no marker."""
    s.lines(
        72,
        100,
        [
            "The impact of these attacks has been extensive, as evidenced by NotPetya^{1} and Solarwinds^{2}.",
            "The weights W^{0} are learned once. A catalogue^{3} of known attacks is kept by the group.",
        ],
    )
    s.rule(72, 144, 688)
    s.lines(
        72,
        712,
        [
            "1 https://www.wired.com/story/notpetya-cyberattack-ukraine-russia-code-crashed-the-world/",
            "2 https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds",
            "3 See, for example: https://github.com/cncf/tag-security/tree/master/compromises",
        ],
        7,
        10,
    )


def test_notes_that_are_only_a_url_after_a_baseline_number(tmp_path):
    split = _split(tmp_path, "baseline_number_then_url_under_a_distant_rule", _whitepaper)
    urls = {n.number: [u.url for u in n.urls] for n in split.notes}
    assert urls == {
        1: ["https://www.wired.com/story/notpetya-cyberattack-ukraine-russia-code-crashed-the-world/"],
        2: ["https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds"],
        3: ["https://github.com/cncf/tag-security/tree/master/compromises"],
    }
    assert quality_problems(split) == []


def test_a_raised_zero_is_a_formula_index_not_a_marker(tmp_path):
    split = _split(tmp_path, "raised_zero_in_a_formula", _whitepaper)
    assert [m.number for m in split.markers] == [1, 2, 3]
    assert not [i for i in split.issues if i.kind == "marker_without_note"]


def _report_with_references_then_citations(s: Sheet) -> None:
    """A report whose endnotes ("Citations", raised labels) follow a numbered "References" list
    that no marker cites; one marker is a Markdown footnote printed as typed (``[^3]``); a table
    in small print under a grid of rules comes first and is not notes."""
    s.lines(
        72,
        90,
        [
            "Security is a concern of every component of the stack.^{1} Teams adopt approaches that",
            "shift security left.^{2} Findings are reviewed and integrate [^3] as they occur.",
            *["The lifecycle is mapped to the practices of the framework in the table below, one"] * 8,
        ],
    )
    for y in (250, 280, 310, 340, 370):
        s.rule(72, 300, y)
    s.lines(76, 270, ["1. Develop", "Code Review", "2. Distribute", "Build Pipeline"], 9, 30)
    s.page()
    s.line(72, 80, "References", 18, "Times-Bold")
    s.lines(
        72,
        104,
        [
            "1. NIST SP 800-204 Security Strategies - https://nvlpubs.nist.gov/nistpubs/SP.800-204.pdf",
            "2. CIS Kubernetes Benchmark",
            "3. Threat Modeling: 12 Available Methods",
            "4. https://owasp.org/www-community/Application_Threat_Modeling",
            "5. MITRE ATT&CK Matrix For Kubernetes",
            "6. Cloud Native Security Lexicon",
            "7. https://www.mcafee.com/enterprise/en-ca/security-awareness/ransomware.html",
        ],
        7,
        14,
    )
    s.line(72, 220, "Citations", 18, "Times-Bold")
    s.lines(
        72,
        246,
        [
            "^{1}Another model to consider is Code: https://kubernetes.io/docs/concepts/security/overview/",
            "^{2}Example - MITRE ATT&CK Framework for Kubernetes",
            "^{3}The concept of regression proofing is best explained as antifragile behaviour.",
        ],
        7,
        16,
    )


def test_a_numbered_list_no_marker_cites_gives_way_to_the_cited_one(tmp_path):
    split = _split(tmp_path, "references_list_then_citations", _report_with_references_then_citations)
    assert {n.number: n.text for n in split.notes} == {
        1: "Another model to consider is Code: https://kubernetes.io/docs/concepts/security/overview/",
        2: "Example - MITRE ATT&CK Framework for Kubernetes",
        3: "The concept of regression proofing is best explained as antifragile behaviour.",
    }
    assert all(n.has_marker for n in split.notes)
    assert quality_problems(split) == []


def test_a_markdown_footnote_printed_as_typed_is_a_marker(tmp_path):
    split = _split(tmp_path, "markdown_marker_printed_as_typed", _report_with_references_then_citations)
    assert [m.number for m in split.markers] == [1, 2, 3]
    assert "[^3]" not in split.paragraphs[0].text


def test_small_print_under_a_grid_of_rules_is_a_table_not_notes(tmp_path):
    split = _split(tmp_path, "table_under_grid_rules", _report_with_references_then_citations)
    assert all(n.page == 2 for n in split.notes)
    assert not any(i.kind == "duplicate_note" for i in split.issues)


def _ocr_split_marker(s: Sheet) -> None:
    """An OCR text layer that set the digits of a raised two-digit marker apart (``2 1``)."""
    s.lines(72, 100, ["Comedians take narrative stances in their jokes.^{2 1} They write them down."])
    s.rule(72, 144, 680)
    s.line(72, 700, "21. See Thune, supra note 3.", 8)


def test_a_raised_marker_whose_digits_ocr_set_apart_is_one_number(tmp_path):
    split = _split(tmp_path, "ocr_split_marker_digits", _ocr_split_marker)
    assert [m.number for m in split.markers] == [21]


def _law_journal_with_id_notes(s: Sheet) -> None:
    """A law journal whose pages each end with a short ``N Id.`` note at the same height."""
    for page in range(5):
        first = 2 * page + 1
        s.lines(
            72,
            100,
            [
                f"The statute was enacted to protect management information.^{{{first}}} Courts later read it",
                f"narrowly, and the commentators agreed with them for a decade.^{{{first + 1}}} It was debated.",
            ],
        )
        s.rule(72, 216, 700)
        s.line(72, 716, f"^{{{first}}} Information Infrastructure Task Force, supra note {first}, at 235.", 9)
        s.line(72, 740, f"^{{{first + 1}}} Id.", 9)
        s.page()


def test_a_short_note_at_the_same_place_on_every_page_is_no_running_footer(tmp_path):
    split = _split(tmp_path, "short_id_note_at_every_page_foot", _law_journal_with_id_notes)
    assert [n.number for n in split.notes] == list(range(1, 11))
    assert {n.number: n.text for n in split.notes if n.number % 2 == 0} == {
        k: "Id." for k in (2, 4, 6, 8, 10)
    }


def _stacked_markers_on_a_short_last_line(s: Sheet) -> None:
    """A browser print: a paragraph's short last line holds more marker characters than text."""
    s.lines(
        72,
        100,
        [
            "The largest models are built with a decoder-only transformer architecture, while some",
            "recent implementations are based on other architectures, such as the state space",
            "model).^{[3][4][5]}",
            "Up to 2020, fine tuning was the only way a model could be adapted to a task.^{[6]}",
        ],
    )
    s.line(72, 200, "References", 14, "Times-Bold")
    s.lines(
        72, 224, [f"{n}. Source number {n} (https://example.org/source/{n})." for n in range(3, 7)], 9, 12
    )


def test_a_line_of_stacked_raised_markers_keeps_the_body_size(tmp_path):
    split = _split(tmp_path, "stacked_markers_on_short_last_line", _stacked_markers_on_a_short_last_line)
    body = [p for p in split.paragraphs if p.kind == ParagraphKind.BODY]
    assert body[0].text.endswith("such as the state space model).")
    assert [m.number for m in body[0].markers] == [3, 4, 5]


def _abstract_in_small_print(s: Sheet) -> None:
    """A paper whose abstract, set smaller than the body, carries the first footnote marker."""
    s.lines(
        90,
        100,
        [
            "Open extraction systems learn relation phrases from the web. The paper",
            "concludes with a detailed analysis of the errors, suggesting directions for",
            "future work.^{1}",
        ],
        9,
        11,
    )
    s.lines(
        72,
        160,
        [
            "Typically, information extraction systems learn an extractor for each target relation",
            "from labelled training examples, which does not scale to the number of relations.^{2}",
        ]
        * 3,
        11,
        13,
    )
    s.rule(72, 216, 680)
    s.line(72, 696, "^{1} The source code is available at http://reverb.cs.washington.edu/", 8)
    s.line(72, 708, "^{2} See the survey of relation extraction systems.", 8)


def test_small_print_that_cites_a_note_gives_claims(tmp_path):
    split = _split(tmp_path, "abstract_in_small_print_with_marker", _abstract_in_small_print)
    cited = [p for p in split.paragraphs if any(m.number == 1 for m in p.markers)]
    assert [p.kind for p in cited] == [ParagraphKind.BODY]
    assert cited[0].text.endswith("suggesting directions for future work.")


def _ocr_notes_all_bold(s: Sheet) -> None:
    """An OCR text layer that sets every note line bold: a short continuation line with a URL
    is no heading of a box."""
    s.lines(72, 100, ["Comedians tell jokes about discount stores.^{1} Others tell them about food.^{2}"])
    s.rule(72, 144, 660)
    s.c.setFont("Times-Bold", 8)
    for y, text in [
        (680, "1. Sebastian Maniscalco, Chipotle | Sebastian Maniscalco: Aren't You Embarrassed?,"),
        (691, "YouTube (Jan. 26, 2015), https://www.youtube.com/watch?v=KijAPJXjg8c [https://perma.cc/"),
        (702, "A3BH-YRGV]."),
        (713, "2. See NYA Comedy, Old World Upbringing, YouTube (Apr. 22, 2019)."),
    ]:
        s.c.drawString(72, 792 - y, text)


def test_a_bold_ocr_continuation_line_with_a_url_goes_on_its_note(tmp_path):
    split = _split(tmp_path, "bold_ocr_note_continuation_with_url", _ocr_notes_all_bold)
    urls = {n.number: [u.url for u in n.urls] for n in split.notes}
    assert urls[1] == ["https://www.youtube.com/watch?v=KijAPJXjg8c", "https://perma.cc/A3BH-YRGV"]


def _turned_pages(s: Sheet) -> None:
    """Pages turned for display only (/Rotate 90 and 270): their text is upright as written."""
    texts = {90: "Turned a quarter for display, the page still reads.", 270: "Three quarters: so it is here."}
    for number, (rotation, text) in enumerate(texts.items(), start=1):
        s.c.setPageRotation(rotation)
        s.lines(72, 100, [f"{text}^{{{number}}} The text was written upright.", "It goes on below."])
        s.rule(72, 144, 680)
        s.line(72, 700, f"^{{{number}}} A note on a turned page, https://example.org/turned/{number}.", 8)
        s.page()


def test_pages_turned_for_display_are_read_in_their_reading_orientation(tmp_path):
    path = tmp_path / "rotate_90_and_270.pdf"
    sheet = Sheet(path)
    _turned_pages(sheet)
    sheet.save()
    doc = parse_document(path, doc_id="rotated")
    assert doc.status == "ok" and not doc.warnings
    assert [p.lines[0].text[:12] for p in doc.layout] == ["Turned a qua", "Three quarte"]
    split = split_notes(doc)
    assert [(n.page, n.urls[0].url) for n in split.notes] == [
        (1, "https://example.org/turned/1"),
        (2, "https://example.org/turned/2"),
    ]
