"""Text files: decoded (UTF-8, else detected with a warning) and read as lines."""

import pytest

from pipeline.core.layout import parse_document


def test_text_files_are_read_as_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nBody text.¹\n\n¹ A note, https://example.org/x\n", encoding="utf-8")
    doc = parse_document(path, doc_id="a")
    assert doc.kind == "txt" and doc.title == "Title"
    assert doc.pages == 1 and doc.warnings == []
    assert [ln.text for ln in doc.layout[0].lines] == [
        "Title",
        "",
        "Body text.¹",
        "",
        "¹ A note, https://example.org/x",
        "",
    ]


def test_latin1_text_is_detected_with_a_warning(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes("Café society, façade and naïveté in Zürich.\n".encode("latin-1") * 20)
    doc = parse_document(path, doc_id="b")
    assert doc.layout[0].lines[0].text == "Café society, façade and naïveté in Zürich."
    assert doc.warnings == ["text decoded as cp1252 (not UTF-8)"]


TITLES = [
    pytest.param(
        "Feature Article May 30, 2024\n\nIran's Security Posture in the South Caucasus\n\nIlya Roubanis\n\n"
        + "Iran's engagement in the region needs a new diplomatic taxonomy, " * 4
        + "\n",
        "Iran's Security Posture in the South Caucasus",
        id="kicker-with-a-dateline-first",
    ),
    pytest.param(
        "2024-05-30\nBy Ana Ruiz and Bo Li\nA Smaller Port for a Smaller Trade\n\n"
        + "The port shrank. " * 20,
        "A Smaller Port for a Smaller Trade",
        id="iso-date-and-byline-first",
    ),
    pytest.param("Title\n\nBody text.\n", "Title", id="a-one-word-title-stays"),
    pytest.param(
        "A Brief\n\nThe port grew by 12% in 2022.¹\n\n1 Port Authority, 2022.\n",
        "A Brief",
        id="a-short-title-before-a-marked-body-line",
    ),
]


@pytest.mark.parametrize("text,title", TITLES)
def test_the_title_comes_from_the_opening_not_a_dateline(tmp_path, text, title):
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    assert parse_document(path, doc_id="t").title == title


def test_the_seed_text_is_titled_as_the_article():
    import json

    from tests.conftest import RAW, SEED_GOLD

    gold = SEED_GOLD
    doc = parse_document(RAW / "article-seed.txt", doc_id="seed")
    assert doc.title == json.loads(gold.read_text())["title"]  # the hand-made gold
