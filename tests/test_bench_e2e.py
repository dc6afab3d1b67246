"""Helpers of the end-to-end benchmark (bench/e2e.py) that do not need a pipeline run."""

from bench import e2e


def test_reads_the_cli_progress_and_summary_lines():
    lines = [
        ("[3/200] doc-0002-text.txt ... ok in 1.4s", ("doc-0002-text.txt", "ok", "1.4")),
        (
            "[7/200] doc-0006-endnotes.pdf ... degraded (parse-quality check failed (12 of 48)) in 12.0s",
            ("doc-0006-endnotes.pdf", "degraded", "12.0"),
        ),
        ("[1/1] a b.pdf ... failed in 0.3s", ("a b.pdf", "failed", "0.3")),
    ]
    for line, (name, status, secs) in lines:
        m = e2e.DOC_LINE.match(line)
        assert m and (m["name"], m["status"], m["secs"]) == (name, status, secs)
    assert e2e.DOC_LINE.match("[2/200] doc-0001-endnotes.pdf: unchanged, skipped") is None
    m = e2e.SUMMARY_LINE.match("0 processed, 200 unchanged, in 14.2s -> bench/results/e2e/out/")
    assert m and (m["processed"], m["unchanged"], m["secs"]) == ("0", "200", "14.2")


def test_write_section_replaces_only_its_own_section(tmp_path):
    md = tmp_path / "BENCHMARKS.md"
    md.write_text(
        "# Benchmarks\n\n## Parsing\n\nfast\n\n## End to end (200 documents)\n\nold\n\n## URLs\n\nslow\n"
    )
    e2e.write_section(md, "## End to end (200 documents)\n\nnew numbers\n")
    text = md.read_text()
    assert "old" not in text and "new numbers" in text
    assert text.index("## Parsing") < text.index("new numbers") < text.index("## URLs")
    assert "fast" in text and "slow" in text
    e2e.write_section(md, "## End to end (3 documents)\n\nsmall\n")
    assert md.read_text().rstrip().endswith("small") and "new numbers" in md.read_text()


def test_write_section_creates_the_file(tmp_path):
    md = tmp_path / "BENCHMARKS.md"
    e2e.write_section(md, "## End to end (200 documents)\n\nnumbers\n")
    assert md.read_text() == "# Benchmarks\n\n## End to end (200 documents)\n\nnumbers\n"
