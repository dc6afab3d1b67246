"""Asset checks. Blocking checks stop a broken parse from reaching the dataset's later steps.

The marker/note rule lives in ``pipeline.core.footnotes.quality_problems``; the footnotes step
records its verdict in ``NoteSplit.problems``, which this check and the dataset read. Notes
without a marker are common in real articles (the seed has six), so a warning-level check
reports them instead of blocking.
"""

import dagster as dg

from pipeline.core import dataset
from pipeline.core.models import (
    SCHEMA_VERSION,
    TABLES,
    DocumentStatus,
    NoteSplit,
    ParagraphKind,
    ParsedDocument,
    SequenceIssue,
    Status,
    UrlCheck,
    UrlCheckSet,
)
from pipeline.core.urlcheck import CONCLUSIVE
from pipeline.defs.assets import claims_dataset, footnotes, parsed_document, url_checks
from pipeline.defs.partitions import documents
from pipeline.defs.resources import PipelineConfig


@dg.asset_check(
    asset=parsed_document,
    blocking=True,
    partitions_def=documents,
    description="The document was read and has text. Fails with the reason when it could not be.",
)
def text_extracted(parsed_document: ParsedDocument) -> dg.AssetCheckResult:
    lines = sum(len(p.lines) for p in parsed_document.layout)
    ok = parsed_document.status != DocumentStatus.FAILED and lines > 0
    code, error = parsed_document.error_code, parsed_document.error
    if (empty := dataset.empty_reason(parsed_document)) is not None:
        code, error = empty[0].value, empty[1]
    return dg.AssetCheckResult(
        passed=ok,
        description=None if ok else f"{code}: {error}",
        metadata={
            "status": parsed_document.status.value,
            "lines": lines,
            "error": parsed_document.error or "",
            "failed_rows": dg.MetadataValue.json([] if ok else [parsed_document.doc_id]),
        },
    )


def _issue_rows(issues: list[SequenceIssue]) -> list[dict[str, object]]:
    """The failing rows as they appear in issues.parquet."""
    return [{"kind": i.kind, "number": i.number, "detail": i.detail} for i in issues]


@dg.asset_check(
    asset=footnotes,
    blocking=True,
    partitions_def=documents,
    description="Every body marker has a note (tolerance: 20% and at least 3 orphans).",
)
def markers_have_notes(footnotes: NoteSplit) -> dg.AssetCheckResult:
    problems = footnotes.problems
    orphans = [i for i in footnotes.issues if i.kind == "marker_without_note"]
    return dg.AssetCheckResult(
        passed=not problems,
        description="; ".join(problems) or None,
        metadata={
            "markers": len(footnotes.markers),
            "notes": len(footnotes.notes),
            "markers_without_note": dg.MetadataValue.json([o.detail for o in orphans]),
            "failed_rows": dg.MetadataValue.json(_issue_rows(orphans)),
        },
    )


@dg.asset_check(
    asset=footnotes,
    partitions_def=documents,
    description="Notes that no marker points to (warning: real articles have some).",
)
def notes_have_markers(footnotes: NoteSplit) -> dg.AssetCheckResult:
    orphans = [i for i in footnotes.issues if i.kind == "note_without_marker"]
    gaps = [i for i in footnotes.issues if i.kind in ("gap", "duplicate_note")]
    return dg.AssetCheckResult(
        passed=not orphans and not gaps,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "notes_without_marker": dg.MetadataValue.json([o.number for o in orphans]),
            "numbering_problems": dg.MetadataValue.json([g.detail for g in gaps]),
            "failed_rows": dg.MetadataValue.json(_issue_rows([*orphans, *gaps])),
        },
    )


@dg.asset_check(
    asset=footnotes,
    blocking=True,
    partitions_def=documents,
    description="The document has body text (an empty or all-notes document is a misread).",
)
def document_not_empty(footnotes: NoteSplit) -> dg.AssetCheckResult:
    body = [p for p in footnotes.paragraphs if p.kind == ParagraphKind.BODY and p.text.strip()]
    words = dataset.body_words(footnotes)
    return dg.AssetCheckResult(
        passed=words > 0,
        description=None if words else "no body text was found (only notes, headings or nothing)",
        metadata={
            "body_paragraphs": len(body),
            "body_words": words,
            "failed_rows": dg.MetadataValue.json([] if words else [footnotes.doc_id]),
        },
    )


def _failed_rows(checks: list[UrlCheck], statuses: set[Status]) -> list[dict[str, str]]:
    return [
        {
            "url": c.url,
            "status": c.status.value,
            "http_status": str(c.http_status or ""),
            "archive_url": c.archive_url or "",
        }
        for c in checks
        if c.status in statuses
    ]


@dg.asset_check(
    asset=url_checks,
    partitions_def=documents,
    description="Warns when too many of a document's links are dead (PIPELINE_DEAD_LINK_THRESHOLD).",
)
def dead_link_share(url_checks: UrlCheckSet, settings: PipelineConfig) -> dg.AssetCheckResult:
    conclusive = [c for c in url_checks.checks if c.status in CONCLUSIVE]
    dead = _failed_rows(url_checks.checks, {Status.DEAD, Status.SOFT_404})
    share = len(dead) / len(conclusive) if conclusive else 0.0
    links = len(url_checks.checks)
    if conclusive:
        description = f"{len(dead)} of {len(conclusive)} checked links are dead ({share:.0%})"
    elif links:  # not "Passed": nothing was learnt about these links
        description = f"could not judge: none of the {links} link(s) could be checked (offline?)"
    else:
        description = "the document cites no link"
    return dg.AssetCheckResult(
        passed=share <= settings.dead_link_threshold and (bool(conclusive) or not links),
        severity=dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "dead_share": share,
            "threshold": settings.dead_link_threshold,
            "checked": len(conclusive),
            "failed_rows": dg.MetadataValue.json(dead),
        },
    )


@dg.asset_check(
    asset=url_checks,
    partitions_def=documents,
    description="Warns about links that failed but are not yet confirmed dead (N failures, D days apart).",
)
def unconfirmed_deaths(url_checks: UrlCheckSet) -> dg.AssetCheckResult:
    pending = [c for c in url_checks.checks if c.status == Status.DEAD and not c.confirmed]
    return dg.AssetCheckResult(
        passed=not pending,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "unconfirmed": len(pending),
            "failed_rows": dg.MetadataValue.json(_failed_rows(pending, {Status.DEAD})),
        },
    )


@dg.asset_check(
    asset=claims_dataset,
    blocking=True,
    description="Every Parquet file in extracted/ has the columns and types of the pydantic contract.",
)
def parquet_matches_contract(settings: PipelineConfig) -> dg.AssetCheckResult:
    problems = dataset.check_contract(settings.out_path)
    return dg.AssetCheckResult(
        passed=not problems,
        description="; ".join(problems[:5]) or None,
        metadata={
            "schema_version": SCHEMA_VERSION,
            "tables": len(TABLES),
            "failed_rows": dg.MetadataValue.json(problems),
        },
    )
