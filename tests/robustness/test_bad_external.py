"""The robustness corpus ../shared/corpus/bad-external/: malformed and unusual PDFs from other
projects' test suites, each with the outcome its README gives, in one run of the real command line
together with the awkward names of raw/ (not UTF-8, colliding keys, links out of raw/).

Every file ends as exactly one row with a distinct doc_id; every row that is not 'ok' has a
specific error_code and a message without Python internals. Rotated pages are read in their
reading orientation (the five pages of bold "Hello world" are body text: bold sets nothing apart
when the body itself is bold).
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from pipeline.core.dataset import read_table
from pipeline.core.errors import DocumentErrorCode
from pipeline.core.layout import parse_document_isolated
from tests.conftest import ROOT
from tests.robustness.conftest import run_pipeline

CORPUS = ROOT.parent / "shared" / "corpus" / "bad-external"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the bad-external corpus is not at {CORPUS}"),
]
#: Python internals a person should never read in a row
INTERNALS = re.compile(
    r"Traceback|\w+(Error|Exception)\b|NoneType|None: |object is not|\bb'|\{'|PDFObjRef|HTTPPool|"
    r"a later step has not run"
)
SPECIFIC = {c.value for c in DocumentErrorCode}

#: file -> (allowed (status, error_code) outcomes, a phrase the message must hold)
EXPECTED: dict[str, tuple[set[tuple[str, str | None]], str]] = {
    "pdfjs__encrypted-attachment.pdf": ({("ok", None), ("failed", "encrypted")}, ""),
    "pdfjs__issue7665.pdf": ({("failed", "corrupt"), ("failed", "encrypted")}, ""),
    "pdfjs__operator_list_cycle.pdf": ({("failed", "corrupt")}, "corrupt"),
    "pdfjs__pr4922.pdf": ({("failed", "only_page_furniture")}, "running header or footer"),
    "pdfjs__scan-bad.pdf": ({("degraded", "truncated")}, "what could be read"),
    "pdfminer__aes-256-r6.pdf": ({("failed", "encrypted")}, "PIPELINE_PDF_PASSWORD"),
    "pdfplumber__issue-987-test.pdf": (
        {("degraded", "no_body_text"), ("failed", "no_body_text")},
        "no body text was found",
    ),
    "pypdf__r4-owner-password.pdf": ({("ok", None)}, ""),
    "qpdf__append-xref-loop.pdf": ({("failed", "corrupt")}, "loop"),
    "qpdf__badlin1.pdf": ({("failed", "only_page_furniture")}, "'Potato"),
    "qpdf__issue-120.pdf": ({("failed", "corrupt")}, "loop"),
    "qpdf__issue-146.pdf": ({("failed", "truncated")}, "truncated"),
    "qpdf__issue-335b.pdf": ({("failed", "not_pdf")}, "not a PDF"),
    "qpdf__pages-loop.pdf": ({("ok", None)}, ""),
}
#: ok with every page read: issue 12's
ROTATED_OK = {
    "generated__rotate-0-90-180-270.pdf": 4,
    "pdfjs__hello_world_rotated.pdf": 5,
    "pdfplumber__nics-background-checks-2015-11-rotated.pdf": 1,
    "pypdfsamples__habibi-rotated.pdf": 4,
}
AWKWARD = {
    "caf\\xe9.txt": ("ok", None),
    "sub/a.txt": ("ok", None),
    "sub__a.txt": ("ok", None),
    "leak.txt": ("failed", "symlink_outside_raw"),
    "dangling.pdf": ("failed", "broken_link"),
    "x.pdf": ("failed", "not_a_file"),
}


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("bad-external")
    raw, out = tmp / "raw", tmp / "extracted"
    shutil.copytree(CORPUS, raw, ignore=shutil.ignore_patterns("README*"))
    for path in raw.iterdir():
        path.chmod(0o644)  # the corpus is read-only; the copy need not be
    (raw / "sub").mkdir()
    (raw / "sub" / "a.txt").write_text("A title\n\nThe first version opened in 2021 in Paris.\n")
    (raw / "sub__a.txt").write_text("A title\n\nThe second version opened in 2022 in Lyon.\n")
    (raw / os.fsdecode(b"caf\xe9.txt")).write_text("A title\n\nThe cafe opened in 2020 in Nice.\n")
    (tmp / "secret.txt").write_text("Secret\n\nNever read this sentence from 2019.\n")
    (raw / "leak.txt").symlink_to(tmp / "secret.txt")
    (raw / "dangling.pdf").symlink_to(tmp / "gone.pdf")
    (raw / "x.pdf").mkdir()
    run_pipeline(raw, out, tmp / "home", env={"PIPELINE_DOC_TIMEOUT": "60"})
    return {d["source_path"]: d for d in read_table(out, "documents")}


def test_every_entry_has_exactly_one_row_with_a_distinct_doc_id(rows):
    names = {p.name for p in CORPUS.glob("*.pdf")}
    assert set(rows) == names | set(AWKWARD)
    assert len({r["doc_id"] for r in rows.values()}) == len(rows)
    assert not any("Never read this sentence" in (r["title"] or "") for r in rows.values())


def test_every_row_that_is_not_ok_says_why_in_a_sentence(rows):
    for name, row in rows.items():
        if row["status"] == "ok":
            continue
        assert row["error_code"] in SPECIFIC, (name, row["error_code"])
        assert row["error"] and not INTERNALS.search(row["error"]), (name, row["error"])
        for warning in row["warnings"]:
            assert not INTERNALS.search(warning), (name, warning)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_gives_the_outcome_its_readme_says(rows, name):
    allowed, phrase = EXPECTED[name]
    row = rows[name]
    assert (row["status"], row["error_code"]) in allowed, row
    assert phrase in (row["error"] or ""), row["error"]


@pytest.mark.parametrize("name", sorted(ROTATED_OK))
def test_rotated_pages_are_read(rows, name):
    row = rows[name]
    assert (row["status"], row["pages"]) == ("ok", ROTATED_OK[name]), row


@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_awkward_names_get_their_outcome(rows, name):
    assert (rows[name]["status"], rows[name]["error_code"]) == AWKWARD[name]


@pytest.mark.parametrize(
    "password,outcome",
    [("usersecret", "ok"), ("ownersecret", "ok"), ("not the password", "the password setting is wrong")],
)
def test_the_aes256_file_opens_with_either_password_and_says_when_it_is_wrong(password, outcome):
    path = CORPUS / "pdfminer__aes-256-r6.pdf"
    try:
        doc = parse_document_isolated(path, doc_id="aes", password=password, timeout=60)
    except Exception as exc:  # DocumentError: the message is the outcome
        assert outcome in str(exc)
        return
    assert outcome == "ok" and doc.status.value == "ok"
