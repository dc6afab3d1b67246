"""Asset checks. Blocking checks stop a broken parse from reaching the dataset's later steps.

Each check is evaluated inside the step of the asset it checks (``check_specs`` of the asset in
``assets.py``, which yields the result after its output): a check of its own would be a step of
its own, reloading the record the asset has just written and storing about six more Dagster
events per check and document, about a third of a document run's events (issue 17, BENCHMARKS.md).
A blocking check that fails still stops the run before the downstream assets, and is reported as
that check (``events.run_problems``).

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
from pipeline.defs.resources import PipelineConfig


def text_extracted(parsed_document: ParsedDocument) -> dg.AssetCheckResult:
    lines = sum(len(p.lines) for p in parsed_document.layout)
    ok = parsed_document.status != DocumentStatus.FAILED and lines > 0
    code, error = parsed_document.error_code, parsed_document.error
    if (empty := dataset.empty_reason(parsed_document)) is not None:
        code, error = empty[0].value, empty[1]
    return dg.AssetCheckResult(
        check_name="text_extracted",
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


def markers_have_notes(footnotes: NoteSplit) -> dg.AssetCheckResult:
    problems = footnotes.problems
    orphans = [i for i in footnotes.issues if i.kind == "marker_without_note"]
    return dg.AssetCheckResult(
        check_name="markers_have_notes",
        passed=not problems,
        description="; ".join(problems) or None,
        metadata={
            "markers": len(footnotes.markers),
            "notes": len(footnotes.notes),
            "markers_without_note": dg.MetadataValue.json([o.detail for o in orphans]),
            "failed_rows": dg.MetadataValue.json(_issue_rows(orphans)),
        },
    )


def notes_have_markers(footnotes: NoteSplit) -> dg.AssetCheckResult:
    orphans = [i for i in footnotes.issues if i.kind == "note_without_marker"]
    gaps = [i for i in footnotes.issues if i.kind in ("gap", "duplicate_note")]
    return dg.AssetCheckResult(
        check_name="notes_have_markers",
        passed=not orphans and not gaps,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "notes_without_marker": dg.MetadataValue.json([o.number for o in orphans]),
            "numbering_problems": dg.MetadataValue.json([g.detail for g in gaps]),
            "failed_rows": dg.MetadataValue.json(_issue_rows([*orphans, *gaps])),
        },
    )


def document_not_empty(footnotes: NoteSplit) -> dg.AssetCheckResult:
    body = [p for p in footnotes.paragraphs if p.kind == ParagraphKind.BODY and p.text.strip()]
    words = dataset.body_words(footnotes)
    return dg.AssetCheckResult(
        check_name="document_not_empty",
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
        check_name="dead_link_share",
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


def unconfirmed_deaths(url_checks: UrlCheckSet) -> dg.AssetCheckResult:
    pending = [c for c in url_checks.checks if c.status == Status.DEAD and not c.confirmed]
    return dg.AssetCheckResult(
        check_name="unconfirmed_deaths",
        passed=not pending,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "unconfirmed": len(pending),
            "failed_rows": dg.MetadataValue.json(_failed_rows(pending, {Status.DEAD})),
        },
    )


def parquet_matches_contract(settings: PipelineConfig) -> dg.AssetCheckResult:
    problems = dataset.check_contract(settings.out_path)
    return dg.AssetCheckResult(
        check_name="parquet_matches_contract",
        passed=not problems,
        description="; ".join(problems[:5]) or None,
        metadata={
            "schema_version": SCHEMA_VERSION,
            "tables": len(TABLES),
            "failed_rows": dg.MetadataValue.json(problems),
        },
    )


def _spec(name: str, asset: str, description: str, *, blocking: bool = False) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name, asset=asset, description=description, blocking=blocking)


#: the checks of each asset, evaluated in its step (``assets.py``); names as the functions above
SPECS: dict[str, list[dg.AssetCheckSpec]] = {
    "parsed_document": [
        _spec(
            "text_extracted",
            "parsed_document",
            "The document was read and has text. Fails with the reason when it could not be.",
            blocking=True,
        ),
    ],
    "footnotes": [
        _spec(
            "markers_have_notes",
            "footnotes",
            "Every body marker has a note (tolerance: 20% and at least 3 orphans).",
            blocking=True,
        ),
        _spec(
            "notes_have_markers",
            "footnotes",
            "Notes that no marker points to (warning: real articles have some).",
        ),
        _spec(
            "document_not_empty",
            "footnotes",
            "The document has body text (an empty or all-notes document is a misread).",
            blocking=True,
        ),
    ],
    "url_checks": [
        _spec(
            "dead_link_share",
            "url_checks",
            "Warns when too many of a document's links are dead (PIPELINE_DEAD_LINK_THRESHOLD).",
        ),
        _spec(
            "unconfirmed_deaths",
            "url_checks",
            "Warns about links that failed but are not yet confirmed dead (N failures, D days apart).",
        ),
    ],
    "claims_dataset": [
        _spec(
            "parquet_matches_contract",
            "claims_dataset",
            "Every Parquet file in extracted/ has the columns and types of the pydantic contract.",
            blocking=True,
        ),
    ],
}
