"""The run ledger: skip rules, how a finished run is recorded, the roll-up's inputs, the code version."""

import datetime as dt
import json
import re
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest

from pipeline.core import state
from pipeline.core.dataset import DocumentStore, SourceFile, current_version, write_dataset
from pipeline.core.fileio import write_text
from pipeline.core.models import SCHEMA_VERSION, DocumentStatus, NoteSplit, ParsedDocument

KEY = "report.pdf"
SHA = "a" * 64


def source(tmp_path: Path) -> SourceFile:
    return SourceFile(key=KEY, relative=KEY, path=tmp_path / KEY, kind="pdf", size=1, mtime_ns=0)


def finished(**changes: object) -> state.FinishedRun:
    fields = {
        "doc_id": KEY,
        "sha256": SHA,
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": state.pipeline_version(),
        "status": DocumentStatus.DEGRADED,
        "reason": "check markers_have_notes failed: 9 markers but no notes were found",
        "steps": ["parsed_document", "footnotes"],
        "finished_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }
    return state.FinishedRun(**{**fields, **changes})


# (case, marker written by the last run or None, step records on disk, skipped?)
SKIP_CASES = [
    ("finished, degraded by a blocking check", finished(), ["parsed_document", "footnotes"], True),
    (
        "finished, ok",
        finished(status=DocumentStatus.OK, reason=None, steps=["parsed_document"]),
        ["parsed_document"],
        True,
    ),
    (
        "finished, failed for good",
        finished(status=DocumentStatus.FAILED, steps=["parsed_document"]),
        ["parsed_document"],
        True,
    ),
    ("killed: no marker", None, ["parsed_document", "footnotes"], False),
    ("file changed", finished(sha256="b" * 64), ["parsed_document", "footnotes"], False),
    ("older schema", finished(schema_version="0.9.0"), ["parsed_document", "footnotes"], False),
    (
        "other pipeline code",
        finished(pipeline_version="0.0.1+000000000000"),
        ["parsed_document", "footnotes"],
        False,
    ),
    ("outcome worth retrying", finished(retry=True), ["parsed_document", "footnotes"], False),
    ("a step record was deleted since", finished(), ["parsed_document"], False),
]


@pytest.mark.parametrize(("case", "marker", "records", "skipped"), SKIP_CASES, ids=[c[0] for c in SKIP_CASES])
def test_is_current(tmp_path, case, marker, records, skipped):
    store = DocumentStore(tmp_path / ".state")
    for step in records:
        write_text(store.path(step, KEY), "{}")
    if marker is not None:
        store.save(state.FINISHED, KEY, marker)
    assert state.is_current(store, source(tmp_path), SHA) is skipped


def test_an_unreadable_marker_means_the_document_is_done_again(tmp_path):
    store = DocumentStore(tmp_path / ".state")
    write_text(store.path(state.FINISHED, KEY), '{"doc_id": "report.pdf", "sha2')
    assert state.finished_run(store, KEY) is None
    assert not state.is_current(store, source(tmp_path), SHA)


def test_the_pipeline_version_names_the_release_and_the_code():
    release, _, digest = state.pipeline_version().partition("+")
    assert release == version("footnote-pipeline")
    assert re.fullmatch(r"[0-9a-f]{12}", digest)
    assert digest == state.code_digest(state.PACKAGE)


def test_the_code_version_changes_with_any_module_of_core_or_defs_subpackages_included(tmp_path):
    package = tmp_path / "pipeline"
    shutil.copytree(state.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = state.code_digest(package)
    assert before == state.code_digest(state.PACKAGE)

    rows = package / "core" / "dataset" / "rows.py"
    rows.write_text(rows.read_text() + "\n# a fix in a subpackage\n")
    edited = state.code_digest(package)
    assert edited != before

    (package / "core" / "newstep").mkdir()
    (package / "core" / "newstep" / "__init__.py").write_text('"""A new step package."""\n')
    assert state.code_digest(package) != edited

    added = state.code_digest(package)
    (package / "cli.py").write_text("# the command line does not make records\n")
    assert state.code_digest(package) == added


def _doc(status: DocumentStatus = DocumentStatus.OK, **fields: object) -> ParsedDocument:
    return ParsedDocument(
        doc_id=KEY, source_path=KEY, sha256=SHA, kind="pdf", pages=1, status=status, **fields
    )


def test_a_run_stopped_by_a_blocking_check_finishes_degraded_with_the_check_as_reason(tmp_path):
    store = DocumentStore(tmp_path)
    store.save("parsed_document", KEY, _doc())
    store.save("footnotes", KEY, NoteSplit(doc_id=KEY, sha256=SHA))
    outcome = state.RunOutcome(
        failed_checks=("check markers_have_notes failed: 9 markers but no notes were found",),
        materialized=frozenset({"parsed_document", "footnotes"}),
        first_failure="check markers_have_notes failed: 9 markers but no notes were found",
    )
    done = state.finish_document(store, KEY, SHA, outcome)
    assert (done.status, done.reason, done.retry, done.steps) == (
        DocumentStatus.DEGRADED,
        "check markers_have_notes failed: 9 markers but no notes were found",
        False,
        ["parsed_document", "footnotes"],
    )
    assert (done.sha256, done.pipeline_version) == (SHA, state.pipeline_version())


def test_a_run_whose_parse_raised_finishes_failed_and_is_retried(tmp_path):
    store = DocumentStore(tmp_path)
    outcome = state.RunOutcome(
        raised_steps=("parsed_document: MemoryError",), first_failure="parsed_document: MemoryError"
    )
    done = state.finish_document(store, KEY, SHA, outcome)
    assert (done.status, done.reason, done.retry, done.steps) == (
        DocumentStatus.FAILED,
        "parsed_document: MemoryError; retried on the next run (attempt 1 of 3)",
        True,
        [],
    )


def test_a_document_that_timed_out_is_retried_a_bounded_number_of_times_then_kept(tmp_path):
    store = DocumentStore(tmp_path)
    doc = ParsedDocument(
        doc_id=KEY,
        source_path="a.pdf",
        sha256=SHA,
        kind="pdf",
        status="failed",
        error_code="timeout",
        error="reading the document took longer than 10 s and was stopped",
    )
    store.save("parsed_document", KEY, doc)
    outcome = state.RunOutcome(materialized=frozenset({"parsed_document"}))
    runs = [state.finish_document(store, KEY, SHA, outcome, max_retries=2) for _ in range(3)]
    assert [r.retry for r in runs] == [True, True, False]
    assert runs[-1].reason.endswith(
        "tried 3 times; kept until the file changes (setting PIPELINE_DOC_RETRIES)"
    )
    # a new version of the file starts the count again
    store.save("parsed_document", KEY, doc.model_copy(update={"sha256": "other"}))
    assert state.finish_document(store, KEY, "other", outcome, max_retries=2).retry


def test_a_run_launched_elsewhere_finishes_with_the_content_it_parsed(tmp_path):
    store = DocumentStore(tmp_path)
    store.save("parsed_document", KEY, _doc(DocumentStatus.FAILED, error="encrypted", error_code="encrypted"))
    done = state.finish_document(
        store, KEY, None, state.RunOutcome(materialized=frozenset({"parsed_document"}))
    )
    assert (done.sha256, done.status, done.reason, done.retry, done.steps) == (
        SHA,
        DocumentStatus.FAILED,
        "encrypted",
        False,
        ["parsed_document"],
    )


def test_links_checked_offline_are_known_from_the_url_checks_record(tmp_path):
    from pipeline.core.models import UrlCheckSet

    store = DocumentStore(tmp_path)
    assert not state.links_were_offline(store, KEY, SHA)
    store.save("url_checks", KEY, UrlCheckSet(doc_id=KEY, sha256=SHA, offline=True))
    assert state.links_were_offline(store, KEY, SHA)
    assert not state.links_were_offline(store, KEY, "b" * 64)  # a record of other content says nothing


def test_the_roll_up_is_kept_only_while_its_inputs_are_those_it_was_built_from(tmp_path):
    out = tmp_path / "out"
    store = DocumentStore(out / ".state")
    for key in ("a.pdf", "b.pdf"):
        for step in ("parsed_document", "footnotes"):
            write_text(store.path(step, key), "{}")
    write_dataset(out, {})
    inputs = state.dataset_inputs(store, ["a.pdf", "b.pdf"])
    assert not state.dataset_is_current(out, store, inputs)  # never recorded
    state.record_dataset_inputs(out, store, inputs)
    assert state.dataset_is_current(out, store, state.dataset_inputs(store, ["a.pdf", "b.pdf"]))

    # a document deleted from raw/
    assert not state.dataset_is_current(out, store, state.dataset_inputs(store, ["a.pdf"]))
    # a record rewritten by another run (same bytes: a rename still makes a new file)
    write_text(store.path("footnotes", "b.pdf"), "{}")
    assert not state.dataset_is_current(out, store, state.dataset_inputs(store, ["a.pdf", "b.pdf"]))
    state.record_dataset_inputs(out, store, inputs := state.dataset_inputs(store, ["a.pdf", "b.pdf"]))
    assert state.dataset_is_current(out, store, inputs)
    # another version published since (a UI run of claims_dataset)
    write_dataset(out, {})
    assert not state.dataset_is_current(out, store, inputs)
    state.record_dataset_inputs(out, store, inputs)
    assert state.dataset_is_current(out, store, inputs)
    # a published file removed by hand
    shutil.rmtree(current_version(out) / "claims.parquet")
    assert not state.dataset_is_current(out, store, inputs)


def test_what_the_roll_up_remembers_of_its_inputs_does_not_grow_with_the_corpus(tmp_path):
    """One digest of every record's identity, not the facts of each document: the runner holds it
    through the roll-up, so the facts of 10^5 documents would have cost hundreds of MB."""
    store = DocumentStore(tmp_path / ".state")
    keys = [f"doc-{i:03}.pdf" for i in range(100)]
    for key in keys:
        write_text(store.path("parsed_document", key), "{}")
    few, many = state.dataset_inputs(store, keys[:2]), state.dataset_inputs(store, keys)
    assert set(many) == set(few) and len(many["records"]) == len(few["records"]) == 64
    assert len(json.dumps(many)) < 200 and many["documents"] == 100 and many["records"] != few["records"]
    assert len({store.stamp(key) for key in keys}) == 100  # one short digest per document
    assert {len(store.stamp(key)) for key in keys} == {32}
