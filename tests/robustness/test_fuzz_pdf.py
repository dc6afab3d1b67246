"""A bounded fuzz run over the PDF path: seeded mutations of fixture PDFs, each read by the same
isolated parser the pipeline uses, then split into notes and citations.

Bounded three ways: a fixed seed, a fixed number of mutations, and a time budget (mutations not
started when the budget runs out are reported as skipped, and at least half must run). Each
document must give a result or a clean ``DocumentError``: ``internal_error`` (an exception we
did not map) and ``parser_crashed`` count as failures. A spin is fine: the time limit ends it.
Bugs found this way keep a regression fixture in tests/fixtures/bad/, named for the case.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from pipeline.core.citations import parse_citations
from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.footnotes import split_notes
from pipeline.core.layout import parse_document, parse_document_isolated
from tests.robustness import documents as make
from tests.robustness.fuzz import mutations

SEED = 20240611
MUTATIONS = 60
BUDGET_SECONDS = 240.0
DOC_TIMEOUT = 20.0
BAD = make.FIXTURES / "bad"


def uncompressed_article() -> bytes:
    """Two pages with a superscript marker, a rule and a note, streams left uncompressed so
    mutations land in the content operators, not only in compressed noise."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0)
    for page in range(2):
        c.setFont("Helvetica", 10)
        for i, line in enumerate(make.prose_lines(20, offset=page)):
            c.drawString(72, 720 - 14 * i, line)
        c.setFont("Helvetica", 6)
        c.drawString(440, 682, "1")
        c.line(72, 120, 200, 120)
        c.setFont("Helvetica", 8)
        c.drawString(72, 108, "1 See https://www.example.test/report-2019.pdf (accessed 3 May 2020).")
        c.showPage()
    c.save()
    return buf.getvalue()


def bases() -> dict[str, bytes]:
    return {
        "generated": uncompressed_article(),
        "real": (make.REAL / "csg_obesity_news_article.pdf").read_bytes(),
        "restricted": make.restricted_pdf(),
    }


def read_through(path: Path) -> str:
    """The PDF path of the pipeline for one file; returns an outcome label or raises."""
    try:
        doc = parse_document_isolated(path, doc_id="fuzz", max_pages=3, timeout=DOC_TIMEOUT)
    except DocumentError as exc:
        if exc.code in (DocumentErrorCode.INTERNAL, DocumentErrorCode.PARSER_CRASHED):
            raise AssertionError(f"{exc}\n{''.join(getattr(exc, '__notes__', []))[-1500:]}") from None
        return exc.code.value
    split = split_notes(doc)
    parse_citations(doc.doc_id, split.notes)
    return doc.status.value


@pytest.mark.slow
def test_mutated_pdfs_give_a_result_or_a_clean_document_error(tmp_path):
    started = time.monotonic()
    outcomes: dict[str, int] = {}
    failures: list[str] = []
    skipped = 0
    for mutation in mutations(SEED, bases(), MUTATIONS):
        if time.monotonic() - started > BUDGET_SECONDS:
            skipped += 1
            continue
        path = tmp_path / f"{mutation.id}.pdf"
        path.write_bytes(mutation.data)
        try:
            outcome = read_through(path)
        except Exception as exc:  # any other exception is the bug this run looks for
            failures.append(f"{mutation.id}: {exc!r}"[:2000])
            continue
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        path.unlink()  # keep only the files that failed, to make regression fixtures
    assert not failures, "\n".join(failures)
    assert skipped <= MUTATIONS // 2, f"only {MUTATIONS - skipped} of {MUTATIONS} mutations ran in time"
    assert sum(outcomes.values()) >= MUTATIONS // 2
    # the mutations really damage files: both clean failures and readable results occur
    assert set(outcomes) & {"corrupt", "truncated", "encrypted", "no_text"}
    assert set(outcomes) & {"ok", "degraded"}


@pytest.mark.parametrize(
    "name",
    [
        "page-dict-garbled.pdf",  # 'Invalid dictionary construct' inside a page dictionary
        "mediabox-missing.pdf",  # a page without a MediaBox: pdfplumber raises TypeError
        "mediabox-not-numbers.pdf",  # MediaBox [0 1 /e308 ...]
        "rotate-not-a-number.pdf",  # /Rotate is a keyword: pdfplumber raises TypeError
    ],
)
def test_fuzz_found_page_tree_damage_is_a_corrupt_document(name):
    """Regression: these escaped as raw exceptions, because closing the PDF after a page-tree
    error walked the broken tree again."""
    with pytest.raises(DocumentError) as err:
        parse_document(BAD / name, doc_id="bad")
    assert err.value.code == DocumentErrorCode.CORRUPT
    assert err.value.message.startswith("the PDF is corrupt")
