"""Bad documents: each one gets a 'failed' or 'degraded' row with a specific error, the others
in the same run complete, and the document's partition shows the error in the Dagster UI.

The whole table runs once through the real command line (``python -m pipeline run``, in a
subprocess behind the loopback-only guard) with a page limit of 5, a time limit of 10 s and a
PDF password set; the Dagster instance it used is then read the way the UI reads it.
"""

from __future__ import annotations

import multiprocessing
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dagster as dg
import pytest

from pipeline.core.dataset import read_table, safe_key
from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.layout import parse_document_isolated
from tests.conftest import guarded_env
from tests.robustness import documents as make
from tests.robustness.conftest import open_instance, run_pipeline

PASSWORD = "correct horse"
MAX_PAGES = 5
DOC_TIMEOUT = 10.0


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    status: str
    code: str | None
    says: str  # a phrase the error (or, for an ok row, a warning) must contain
    processed: bool  # later steps ran: claims were extracted

    def __str__(self) -> str:
        return self.name


CASES = [
    Case("corrupt.pdf", make.corrupt_pdf, "failed", "corrupt", "the PDF is corrupt", False),
    Case("truncated.pdf", make.truncated_pdf, "failed", "truncated", "truncated (no %%EOF marker)", False),
    Case("truncated-tail.pdf", make.tail_truncated_pdf, "degraded", "truncated", "what could be read", True),
    Case(
        "encrypted-wrong-password.pdf",
        lambda: make.encrypted_pdf("another password"),
        "failed",
        "encrypted",
        "the password setting is wrong",
        False,
    ),
    Case("encrypted.pdf", lambda: make.encrypted_pdf(PASSWORD), "ok", None, "", True),
    # regression: with a password set, PDFs with only an owner password failed as 'encrypted'
    Case("restricted.pdf", make.restricted_pdf, "ok", None, "", True),
    Case("scanned.pdf", lambda: make.image_pdf([False, False]), "failed", "no_text", "image-only", False),
    Case(
        "scanned-page.pdf",
        lambda: make.image_pdf([True, False, True]),
        "degraded",
        "pages_without_text",
        "no text on page(s) 2 of 3",
        True,
    ),
    Case("empty.pdf", lambda: b"", "failed", "empty_file", "empty (0 bytes)", False),
    Case("download.pdf", make.html_named_pdf, "failed", "not_pdf", "starts like HTML", False),
    Case("photo.pdf", lambda: make.png_bytes(), "failed", "not_pdf", "binary data", False),
    Case("huge.pdf", lambda: make.article_pdf(40), "degraded", "too_many_pages", "read 5 of 40 pages", True),
    Case("spin.pdf", make.spinning_pdf, "failed", "timeout", "PIPELINE_DOC_TIMEOUT", False),
    Case(
        "windows-1252.txt",
        lambda: make.article_text().replace("euros", "€ (café)").encode("cp1252"),
        "ok",
        None,
        "decoded as cp1252",
        True,
    ),
    Case("utf-16.txt", lambda: make.article_text().encode("utf-16"), "ok", None, "decoded as utf-16", True),
    Case("binary.txt", make.undecodable_text, "failed", "encoding", "could not be detected", False),
    Case("no-notes.txt", lambda: make.article_text().encode(), "ok", None, "", True),
    Case("no-notes.pdf", lambda: make.article_pdf(2), "ok", None, "", True),
]
GOOD = "csg_obesity_news_article.pdf"  # a real article with notes, in the same run


@dataclass
class BadRun:
    stdout: str
    rows: dict[str, dict[str, Any]]
    materializations: dict[str, dict[str, Any]]
    checks: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory) -> BadRun:
    root = tmp_path_factory.mktemp("bad_documents")
    raw, out, home = root / "raw", root / "out", root / "dagster_home"
    raw.mkdir()
    for case in CASES:
        (raw / case.name).write_bytes(case.build())
    shutil.copyfile(make.REAL / GOOD, raw / GOOD)
    proc = run_pipeline(
        raw,
        out,
        home,
        env={
            "PIPELINE_MAX_PAGES": str(MAX_PAGES),
            "PIPELINE_DOC_TIMEOUT": str(DOC_TIMEOUT),
            "PIPELINE_PDF_PASSWORD": PASSWORD,
        },
    )
    rows = {row["source_path"]: row for row in read_table(out, "documents")}
    materializations, checks = {}, {}
    with open_instance(home) as instance:
        for name in [*(c.name for c in CASES), GOOD]:
            key = safe_key(name)
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey("parsed_document"), asset_partitions=[key]),
                limit=1,
            ).records
            materializations[name] = {
                k: v.value for k, v in records[0].asset_materialization.metadata.items()
            }
            (run,) = instance.get_run_records(dg.RunsFilter(tags={"dagster/partition": key}), limit=1)
            for entry in instance.all_logs(
                run.dagster_run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            ):
                evaluation = entry.dagster_event.event_specific_data
                if evaluation.check_name == "text_extracted":
                    checks[name] = {"passed": evaluation.passed, "description": evaluation.description or ""}
    return BadRun(proc.stdout, rows, materializations, checks)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_bad_document_gets_a_row_with_a_specific_error(bad_run, case):
    row = bad_run.rows[case.name]
    assert row["status"] == case.status, row
    assert row["error_code"] == case.code, row
    if case.status == "ok":
        assert row["error"] is None
        if case.says:
            assert any(case.says in w for w in row["warnings"]), row["warnings"]
    else:
        assert case.says in row["error"], row["error"]
    # degraded and ok documents are processed to the end; failed ones stop after parsing
    assert (row["claims"] > 0) == case.processed, row


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_partition_shows_the_error_in_the_ui(bad_run, case):
    meta = bad_run.materializations[case.name]
    assert meta["status"] == case.status
    assert meta["error_code"] == (case.code or "")
    check = bad_run.checks[case.name]
    if case.status == "failed":
        assert meta["error"] and case.says in meta["error"]
        assert not check["passed"]
        assert check["description"].startswith(f"{case.code}: ")
    else:
        assert check["passed"], check
        if case.status == "degraded":
            assert case.says in meta["error"]


@pytest.mark.slow
def test_the_other_documents_of_the_run_complete(bad_run):
    good = bad_run.rows[GOOD]
    assert good["status"] == "ok" and good["error"] is None
    assert good["footnotes"] > 0 and good["claims"] > 0
    assert len(bad_run.rows) == len(CASES) + 1  # nothing was lost
    assert "processed" in bad_run.stdout and "dataset was not written" not in bad_run.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", ["no-notes.txt", "no-notes.pdf"])
def test_a_document_without_notes_is_valid_with_zero_notes_and_its_claims(bad_run, name):
    row = bad_run.rows[name]
    assert row["status"] == "ok" and row["error"] is None
    assert row["footnotes"] == 0
    assert row["claims"] >= 5  # every body sentence of the article


def test_decimal_numbers_in_a_text_without_notes_are_not_markers():
    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import read_text

    doc = read_text(make.article_text().encode(), doc_id="n", source_path="n.txt", sha256="x")
    split = split_notes(doc)
    assert split.markers == []
    assert any("rose to 7.5 percent" in p.text for p in split.paragraphs)


# --- the parser on its own: fast, one case at a time ----------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.name != "spin.pdf"], ids=str)
def test_isolated_parser_gives_a_result_or_a_specific_document_error(tmp_path, case):
    path = tmp_path / case.name
    path.write_bytes(case.build())
    try:
        doc = parse_document_isolated(
            path, doc_id="d", max_pages=MAX_PAGES, password=PASSWORD, timeout=DOC_TIMEOUT * 6
        )
    except DocumentError as exc:
        assert case.status == "failed"
        assert exc.code.value == case.code and case.says in exc.message
    else:
        assert doc.status.value == case.status
        assert doc.error_code == case.code


def test_encrypted_pdf_without_a_password_setting_asks_for_one(tmp_path):
    path = tmp_path / "encrypted.pdf"
    path.write_bytes(make.encrypted_pdf(PASSWORD))
    with pytest.raises(DocumentError) as err:
        parse_document_isolated(path, doc_id="e", password=None, timeout=60)
    assert err.value.code == DocumentErrorCode.ENCRYPTED
    assert "set PIPELINE_PDF_PASSWORD" in err.value.message
    doc = parse_document_isolated(path, doc_id="e", password=PASSWORD, timeout=60)
    assert doc.status.value == "ok" and any(line.text for page in doc.layout for line in page.lines)


def test_a_pdf_that_spins_pdfminer_is_stopped_at_the_time_limit(tmp_path):
    """A crafted PDF (20 million save/restore operators, 80 KB compressed) that keeps pdfminer
    busy for minutes; an ordinary PDF parses well within the same limit."""
    spin, ordinary = tmp_path / "spin.pdf", tmp_path / "ordinary.pdf"
    spin.write_bytes(make.spinning_pdf())
    ordinary.write_bytes(make.article_pdf(1))
    started = time.monotonic()
    with pytest.raises(DocumentError) as err:
        parse_document_isolated(spin, doc_id="s", timeout=3)
    assert err.value.code == DocumentErrorCode.TIMEOUT
    assert time.monotonic() - started < 60  # stopped, not run to the end (minutes)
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("parse ")]
    assert parse_document_isolated(ordinary, doc_id="o", timeout=3).status.value == "ok"


def test_an_ordinary_pdf_over_a_tiny_time_limit_is_a_timeout(tmp_path):
    path = tmp_path / "article.pdf"
    path.write_bytes(make.article_pdf(40))
    with pytest.raises(DocumentError) as err:
        parse_document_isolated(path, doc_id="a", timeout=0.01)
    assert err.value.code == DocumentErrorCode.TIMEOUT


def test_a_parser_process_that_dies_is_a_clean_parser_crashed_error(tmp_path):
    """The child is killed from outside (as the OOM killer would): the parent reports it."""
    path = tmp_path / "spin.pdf"
    path.write_bytes(make.spinning_pdf())
    outcome: dict[str, BaseException] = {}

    def parse() -> None:
        try:
            parse_document_isolated(path, doc_id="s", timeout=120)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=parse)
    thread.start()
    deadline = time.monotonic() + 60
    children: list = []
    while not children and time.monotonic() < deadline:
        children = [p for p in multiprocessing.active_children() if p.name == "parse s" and p.pid]
        time.sleep(0.05)
    assert children, "the parser child did not start"
    time.sleep(0.5)
    children[0].kill()
    thread.join(60)
    error = outcome["error"]
    assert isinstance(error, DocumentError) and error.code == DocumentErrorCode.PARSER_CRASHED
    assert "SIGKILL" in error.message


# --- the password setting through Dagster --------------------------------------------------


@pytest.mark.parametrize(
    "password,status,check_passed",
    [(None, "failed", False), ("wrong", "failed", False), (PASSWORD, "ok", True)],
    ids=["no-password", "wrong-password", "right-password"],
)
def test_pipeline_config_pdf_password_reaches_the_parser(tmp_path, password, status, check_passed):
    from pipeline.defs import assets
    from pipeline.defs.partitions import documents
    from pipeline.defs.resources import PipelineConfig, StateIOManager

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "locked.pdf").write_bytes(make.encrypted_pdf(PASSWORD))
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents.name, ["locked.pdf"])
        result = dg.materialize(
            [assets.parsed_document],
            partition_key="locked.pdf",
            instance=instance,
            resources={
                "settings": PipelineConfig(raw_dir=str(raw), out_dir=str(out), pdf_password=password),
                "io_manager": StateIOManager(out_dir=str(out)),
            },
            raise_on_error=False,
        )
    meta = result.asset_materializations_for_node("parsed_document")[0].metadata
    assert meta["status"].value == status
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.passed is check_passed
    if not check_passed:
        hint = "set PIPELINE_PDF_PASSWORD" if password is None else "the password setting is wrong"
        assert evaluation.description.startswith("encrypted: ") and hint in evaluation.description


def test_pipeline_pdf_password_env_var_sets_the_resource(monkeypatch):
    from pipeline.defs.resources import PipelineConfig

    monkeypatch.setenv("PIPELINE_PDF_PASSWORD", PASSWORD)
    monkeypatch.setenv("PIPELINE_DOC_TIMEOUT", "12.5")
    config = PipelineConfig.from_env()
    assert config.pdf_password == PASSWORD and config.doc_timeout == 12.5


@pytest.mark.slow
def test_run_output_names_each_failure(bad_run):
    for case in CASES:
        if case.status == "failed":
            line = next(ln for ln in bad_run.stdout.splitlines() if f"] {case.name} ..." in ln)
            assert f"failed ({case.says}" in line or case.says in line, line


def test_a_parser_child_left_running_by_a_dead_parent_stops_itself():
    """If the pipeline is killed mid-parse, its child still has a CPU limit (time limit + 5 s)."""
    code = "from pipeline.core.layout.isolation import _limit_own_cpu\n_limit_own_cpu(0.5)\nwhile True:\n    pass\n"
    proc = subprocess.run([sys.executable, "-c", code], env=guarded_env(), timeout=240)
    assert proc.returncode == -signal.SIGXCPU
