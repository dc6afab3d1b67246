"""The benchmark corpus generator (bench/make_corpus.py): varied, consistent, valid documents.

Rendering needs the Debian fonts and the `bench` extra; those tests are skipped without them.
"""

import re
from pathlib import Path

import pytest

from bench import make_corpus as mc
from bench.seedgen import common as C
from tests.conftest import ROOT

SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# points of running header and footer at the top and bottom of a page, by layout
FURNITURE = {"twocolumn": (46, 40), "endnotes": (52, 40)}
MISSING = mc.missing_requirements()
needs_render = pytest.mark.skipif(bool(MISSING), reason="; ".join(MISSING) or "ok")


def norm(s: str) -> str:
    """Compare rendered text without whitespace, hyphens or soft hyphens (lines break anywhere)."""
    return re.sub(r"[\s\-\u00ad]+", "", s)


def check_numbering(art: dict) -> None:
    numbers = [f["number"] for f in art["footnotes"]]
    assert numbers == list(range(1, len(numbers) + 1)), "notes are not numbered 1..N"
    markers = C.body_markers(art)
    assert set(markers) <= set(numbers), "a marker points to no note"
    first_seen = list(dict.fromkeys(markers))
    assert first_seen == sorted(first_seen), "markers are not numbered in reading order"
    # a note with no marker only ever follows a note that has one (as in the seed)
    present = set(markers)
    assert all(n in present or n - 1 in numbers for n in numbers)


# ------------------------------------------------------------------ variation (no rendering)
def test_variation_is_deterministic_and_varied():
    base = C.load_seed()
    again = mc.vary_article(base, 7, 5)
    assert mc.vary_article(base, 7, 5) == again
    arts = [mc.vary_article(base, 7, i) for i in range(12)]
    bodies = {" ".join(p for s in a["sections"] for p in s["paragraphs"]) for a in arts}
    assert len(bodies) == 12
    assert len({a["title"] for a in arts}) > 1 and len({a["author"] for a in arts}) > 1
    assert len({len(a["footnotes"]) for a in arts}) > 3
    seed_urls = {u for f in base["footnotes"] for u in f["urls"]}
    varied = {u for a in arts for u in a["urls"]} - seed_urls
    assert varied and all(u.startswith("http") for u in varied)
    assert mc.vary_article(base, 8, 5) != again


def test_variation_keeps_markers_and_notes_consistent():
    base = C.load_seed()
    for i in range(40):
        art = mc.vary_article(base, 7, i)
        check_numbering(art)
        for note in art["footnotes"]:
            # the note's URLs are the ones printed in its text
            assert [u for kind, u in C.split_urls(note["text"]) if kind == "url"] == note["urls"]


def test_small_variation_is_short_consistent_and_deterministic():
    base = C.load_seed()
    for i in range(20):
        art = mc.vary_article(base, 7, i, small=True)
        assert art == mc.vary_article(base, 7, i, small=True)
        assert len(art["sections"]) == 2 and all(len(s["paragraphs"]) <= 2 for s in art["sections"])
        assert art["figures"] == []
        check_numbering(art)

    def notes(small: bool) -> int:
        return sum(len(mc.vary_article(base, 7, i, small=small)["footnotes"]) for i in range(20))

    assert notes(small=True) < notes(small=False) / 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2015, trade", ["2015"]),
        ("did not exceed $600 million", ["600"]),
        ("a 7,200 km network", ["7,200"]),
        ("rose to 42%.", ["42"]),
        ("the S-400 and a 44-day war", []),
        ("the 07/10 events", []),
        ("in the 1990s", []),
        ("3.5 per cent", []),
        ("the region.[^12] Then", []),
    ],
)
def test_figures_that_vary(text, expected):
    assert mc.NUMBER_RE.findall(text) == expected


def test_refuses_to_write_into_raw():
    before = sorted(p.name for p in (ROOT / "raw").iterdir())
    with pytest.raises(mc.CorpusError, match="raw/"):
        mc.make_corpus(ROOT / "raw", docs=1)
    with pytest.raises(mc.CorpusError, match="raw/"):
        mc.make_corpus(ROOT / "raw" / "bench", docs=1)
    assert sorted(p.name for p in (ROOT / "raw").iterdir()) == before


def test_refuses_to_replace_a_foreign_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(mc.CorpusError, match=r"not made by bench\.make_corpus"):
        mc.make_corpus(tmp_path, docs=1)
    assert (tmp_path / "notes.txt").read_text() == "mine"


# ------------------------------------------------------------------ rendered documents
@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if MISSING:
        pytest.skip("; ".join(MISSING))
    out = tmp_path_factory.mktemp("bench") / "corpus"
    manifest = mc.make_corpus(out, docs=3, seed=7, jobs=1)
    return out, manifest


def raised_digit_runs(page) -> list[int]:
    """Numbers set as superscripts: digits smaller than, and raised above, the text before them."""
    out: list[int] = []
    prev, run, run_end = None, "", None
    for ch in page.chars:
        is_sup = (
            ch["text"].isdigit()
            and prev is not None
            and ch["size"] < 0.85 * prev["size"]
            and prev["bottom"] - ch["bottom"] > 1
        )
        if is_sup and run and abs(ch["x0"] - run_end) < 1:
            run += ch["text"]
        else:
            if run:
                out.append(int(run))
            run = ch["text"] if is_sup else ""
        if is_sup:
            run_end = ch["x1"]
        else:
            prev = ch
    if run:
        out.append(int(run))
    return out


@needs_render
def test_corpus_has_every_layout_and_a_manifest(corpus):
    out, manifest = corpus
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == ["doc-0000-twocolumn.pdf", "doc-0001-endnotes.pdf", "doc-0002-text.txt"]
    assert [e["name"] for e in manifest["files"]] == names
    assert mc.is_corpus(out, 3, 7) and not mc.is_corpus(out, 4, 7) and not mc.is_corpus(out, 3, 8)
    assert all((out / ".gold" / f"{n}.json").is_file() for n in names)


@needs_render
@pytest.mark.parametrize("name", ["doc-0000-twocolumn.pdf", "doc-0001-endnotes.pdf"])
def test_rendered_pdf_has_its_markers_and_notes(corpus, name):
    import json

    import pdfplumber

    out, manifest = corpus
    gold = json.loads((out / ".gold" / f"{name}.json").read_text("utf-8"))
    check_numbering(gold)
    entry = next(e for e in manifest["files"] if e["name"] == name)
    with pdfplumber.open(out / name) as pdf:
        assert len(pdf.pages) == entry["pages"] >= 1
        markers = [n for page in pdf.pages for n in raised_digit_runs(page)]
        top, bottom = FURNITURE[entry["layout"]]
        parts = []
        for p in pdf.pages:
            body = p.crop((0, top, p.width, p.height - bottom))  # without running header and footer
            if entry["layout"] == "twocolumn":  # the left column, then the right one
                mid = p.width / 2
                parts += [
                    body.crop((0, top, mid, body.bbox[3])),
                    body.crop((mid, top, p.width, body.bbox[3])),
                ]
            else:
                parts.append(body)
        text = "\n".join(part.extract_text() for part in parts)
    assert sorted(markers) == sorted(C.body_markers(gold))
    flat = norm(text)
    for note in gold["footnotes"]:
        assert norm(note["text"][:40]) in flat, f"note {note['number']} not rendered"
        for url in note["urls"]:
            assert norm(url) in flat, f"URL of note {note['number']} not rendered"
    for sec in gold["sections"]:
        for para in sec["paragraphs"]:
            assert norm(C.MARKER_RE.sub("", para)[1:60]) in flat
    if "endnotes" in name:  # the notes section lists "N. text" in order
        labels = [int(m) for m in re.findall(r"^(\d+)\. ", text.split("\nNotes\n", 1)[1], re.M)]
        assert labels[: len(gold["footnotes"])] == [f["number"] for f in gold["footnotes"]]


@needs_render
def test_rendered_text_has_its_markers_and_notes(corpus):
    import json

    out, _ = corpus
    name = "doc-0002-text.txt"
    gold = json.loads((out / ".gold" / f"{name}.json").read_text("utf-8"))
    check_numbering(gold)
    blocks = (out / name).read_text("utf-8").split("\n\n")
    labels = [
        int(b[: len(b) - len(b.lstrip(SUP))].translate(str.maketrans(SUP, "0123456789")))
        for b in blocks
        if b[:1] in SUP
    ]
    assert labels == [f["number"] for f in gold["footnotes"]]
    body = [b for b in blocks if b[:1] not in SUP]
    markers = [
        int(m.translate(str.maketrans(SUP, "0123456789"))) for b in body for m in re.findall(f"[{SUP}]+", b)
    ]
    assert markers == C.body_markers(gold)


@needs_render
def test_same_seed_same_bytes(corpus, tmp_path):
    out, _ = corpus
    for i in (0, 1, 2):
        entry = mc.render_document(7, i, tmp_path, None if i == 2 else _photo(tmp_path))
        assert (tmp_path / entry["name"]).read_bytes() == (out / entry["name"]).read_bytes()


def _photo(folder: Path) -> Path:
    from bench.seedgen import placeholder_image

    path = folder / ".photo.png"
    if not path.exists():
        placeholder_image.make(path)
    return path


def test_missing_fonts_are_named(monkeypatch, tmp_path):
    from bench.seedgen import fonts

    monkeypatch.setattr(fonts, "TWOCOLUMN", [tmp_path / "Caladea-Regular.ttf"])
    problems = mc.missing_requirements()
    assert any("fonts-crosextra-caladea" in p and "fonts-dejavu-core" in p for p in problems)
    with pytest.raises(mc.CorpusError, match="apt-get install"):
        mc.check_requirements()


@needs_render
@pytest.mark.parametrize("index", [5, 6, 7], ids=["browser", "sidenotes", "bandnotes"])
def test_layouts_of_other_producers_print_their_markers_notes_and_traps(tmp_path, index):
    """The layouts of bench/seedgen/variants.py: every note and URL printed, affiliation
    superscripts on the title page, URL-only notes, link rectangles over the full line width."""
    import json

    import pdfplumber

    entry = mc.render_document(7, index, tmp_path, None)
    gold = json.loads((tmp_path / ".gold" / f"{entry['name']}.json").read_text("utf-8"))
    check_numbering(gold)
    assert any(f["text"] == f["urls"][0] for f in gold["footnotes"] if f["urls"]), "no URL-only note"
    with pdfplumber.open(tmp_path / entry["name"]) as pdf:
        # the margin of the sidenotes read apart, not interleaved with the body's lines
        parts = [p.crop((395, 0, p.width, p.height)) if index == 6 else p for p in pdf.pages]
        text = "\n".join(part.extract_text() for part in parts)
        first = pdf.pages[0].extract_text()
        rects = [a for p in pdf.pages for a in p.annots if a.get("uri")]
    flat = norm(text)
    for note in gold["footnotes"]:
        assert norm(note["text"][:40]) in flat, f"note {note['number']} not rendered"
    assert "Institute for Regional Studies" in first and "Lindgren" in first
    assert rects and max(a["x1"] - a["x0"] for a in rects) > 150  # rectangles over whole lines
    if entry["layout"] == "browser":
        assert "\u21a9" in text and "[1]" in text
    again = tmp_path / "again"
    again.mkdir()
    mc.render_document(7, index, again, None)
    assert (again / entry["name"]).read_bytes() == (tmp_path / entry["name"]).read_bytes()


def test_generated_headings_are_wrapped_to_their_column():
    """A heading wider than its column ran over the next column's line (doc-0095 of the
    200-document corpus): no producer prints text over text."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from bench.seedgen import variants

    variants._fonts()
    heading = "Shipping insurance, naval escorts and the slow return of traffic through the strait"
    rows = variants._heading_lines(heading, 200, 10.5)
    assert len(rows) > 1
    assert all(stringWidth(r, variants.BOLD, 10.5) <= 200 for r in rows)
    assert " ".join(rows) == heading
