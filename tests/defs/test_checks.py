import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core import dataset
from pipeline.core.footnotes import link_markers, quality_problems
from pipeline.core.models import (
    Marker,
    Note,
    NoteSplit,
    Paragraph,
    ParsedDocument,
    Status,
    UrlCheck,
    UrlCheckSet,
)
from pipeline.defs import checks
from pipeline.defs.resources import PipelineConfig


def settings(tmp_path, **kw):
    return PipelineConfig(raw_dir=str(tmp_path), out_dir=str(tmp_path / "out"), **kw)


def split(paragraph_text="Body text.", markers=(), notes=()):
    para = Paragraph(
        index=0,
        page=1,
        text=paragraph_text,
        markers=[Marker(number=n, label=str(n), page=1, paragraph=0, offset=1) for n in markers],
    )
    s = NoteSplit(
        doc_id="d",
        sha256="s",
        paragraphs=[para],
        notes=[Note(number=n, label=str(n), text="t", page=1) for n in notes],
    )
    s.issues = link_markers(s.paragraphs, s.notes)
    s.problems = quality_problems(s)  # as the footnotes step records it
    return s


@pytest.mark.parametrize(
    "markers,notes,passed",
    [
        (range(1, 11), range(1, 11), True),
        (range(1, 11), range(1, 9), True),  # 2 orphans: tolerated
        (range(1, 11), range(1, 5), False),  # 6 of 10 orphans
        (range(1, 8), [], False),  # markers but no notes at all
    ],
)
def test_markers_have_notes(markers, notes, passed):
    result = checks.markers_have_notes(split(markers=markers, notes=notes))
    assert result.passed is passed
    failed = result.metadata["failed_rows"].value
    assert [r["number"] for r in failed] == [n for n in markers if n not in notes]
    assert all(r["kind"] == "marker_without_note" for r in failed)
    if not passed:
        assert result.description


def test_document_not_empty_fails_without_body_text():
    assert checks.document_not_empty(split()).passed
    empty = checks.document_not_empty(split(paragraph_text=" "))
    assert not empty.passed and empty.metadata["failed_rows"].value == ["d"]


def test_text_extracted_reports_the_reason():
    doc = dataset.failed_document("bad.pdf", "bad.pdf", "0", "pdf", "encrypted", "the PDF is encrypted")
    result = checks.text_extracted(doc)
    assert not result.passed and "encrypted" in result.description
    ok = ParsedDocument(doc_id="d", source_path="d.pdf", sha256="s", kind="pdf")
    assert not checks.text_extracted(ok).passed  # no lines at all: nothing extracted


def urlset(*statuses, confirmed=True):
    return UrlCheckSet(
        doc_id="d",
        sha256="s",
        checks=[
            UrlCheck(url=f"https://example.org/{i}", status=s, confirmed=confirmed)
            for i, s in enumerate(statuses)
        ],
    )


@pytest.mark.parametrize(
    "statuses,passed",
    [
        ([Status.OK, Status.OK, Status.OK, Status.DEAD], True),  # 25% = threshold
        ([Status.OK, Status.DEAD, Status.SOFT_404], False),  # 67%
        ([Status.UNVERIFIED, Status.UNVERIFIED], False),  # nothing checked: not "Passed"
        ([], True),  # no link at all
    ],
)
def test_dead_link_share(tmp_path, statuses, passed):
    result = checks.dead_link_share(urlset(*statuses), settings(tmp_path))
    assert result.passed is passed
    dead = [r["url"] for r in result.metadata["failed_rows"].value]
    assert len(dead) == sum(s in (Status.DEAD, Status.SOFT_404) for s in statuses)


def test_unconfirmed_deaths_lists_them():
    result = checks.unconfirmed_deaths(urlset(Status.DEAD, Status.OK, confirmed=False))
    assert not result.passed
    assert [r["url"] for r in result.metadata["failed_rows"].value] == ["https://example.org/0"]


def test_parquet_contract_check_finds_a_wrong_column(tmp_path):
    out = tmp_path / "out"
    dataset.write_dataset(out, dataset.build_tables([]))
    assert checks.parquet_matches_contract(settings(tmp_path)).passed
    # a foreign part in the table's folder: readers would take it as part of the table
    part = out / "footnotes.parquet" / "part-d.parquet"
    pq.write_table(pa.table({"doc_id": ["d"], "number": ["not an int"]}), part)
    result = checks.parquet_matches_contract(settings(tmp_path))
    assert not result.passed
    failed = result.metadata["failed_rows"].value
    assert "footnotes.number: type string, contract says int64 (footnotes.parquet/part-d.parquet)" in failed
    assert "footnotes.text: column missing (footnotes.parquet/part-d.parquet)" in failed


def test_dead_link_share_says_it_could_not_judge_when_no_link_was_checked(tmp_path):
    result = checks.dead_link_share(urlset(Status.UNVERIFIED, Status.UNVERIFIED), settings(tmp_path))
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.description.startswith("could not judge: none of the 2 link(s) could be checked")
