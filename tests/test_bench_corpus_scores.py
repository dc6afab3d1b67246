"""bench.corpus_scores compare: every figure that got worse is named, layouts are averaged."""

from bench.corpus_scores import compare


def test_compare_names_every_worse_figure_and_averages_each_layout():
    before = {
        "doc-0000-twocolumn.pdf": {"status": "ok", "pair_recall": 1.0, "footnote_numbers_spurious": 0.0},
        "doc-0005-browser.pdf": {"status": "ok", "pair_recall": 0.5, "footnote_numbers_spurious": 0.0},
    }
    after = {
        "doc-0000-twocolumn.pdf": {
            "status": "degraded",
            "pair_recall": 0.9,
            "footnote_numbers_spurious": 2.0,
        },
        "doc-0005-browser.pdf": {"status": "ok", "pair_recall": 1.0, "footnote_numbers_spurious": 0.0},
    }
    lines = compare(before, after)
    assert lines[:4] == [
        "3 figure(s) got worse over 2 documents",
        "  doc-0000-twocolumn.pdf status: ok -> degraded",
        "  doc-0000-twocolumn.pdf pair_recall: 1.000 -> 0.900",
        "  doc-0000-twocolumn.pdf footnote_numbers_spurious: 0.000 -> 2.000",
    ]
    assert lines[-2:] == [
        "| browser | 1 | 0.500 / 1.000 | 1 / 1 |",
        "| twocolumn | 1 | 1.000 / 0.900 | 1 / 0 |",
    ]
