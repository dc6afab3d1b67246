"""Asset checks. Blocking checks stop a broken parse from reaching the dataset's later steps.

The marker/note rule lives in ``pipeline.core.footnotes.quality_problems`` (the dataset uses it
too, to explain why a blocked document has no claims). Notes without a marker are common in
real articles (the seed has six), so a warning-level check reports them instead of blocking.
"""

import dagster as dg

from pipeline.core.footnotes import quality_problems
from pipeline.core.models import DocumentStatus, NoteSplit, ParsedDocument
from pipeline.defs.assets import footnotes, parsed_document
from pipeline.defs.partitions import documents


@dg.asset_check(
    asset=parsed_document,
    blocking=True,
    partitions_def=documents,
    description="The document was read and has text. Fails with the reason when it could not be.",
)
def text_extracted(parsed_document: ParsedDocument) -> dg.AssetCheckResult:
    lines = sum(len(p.lines) for p in parsed_document.layout)
    ok = parsed_document.status != DocumentStatus.FAILED and lines > 0
    return dg.AssetCheckResult(
        passed=ok,
        description=None if ok else f"{parsed_document.error_code}: {parsed_document.error}",
        metadata={
            "status": parsed_document.status.value,
            "lines": lines,
            "error": parsed_document.error or "",
            "failed_rows": dg.MetadataValue.json([] if ok else [parsed_document.doc_id]),
        },
    )


@dg.asset_check(
    asset=footnotes,
    blocking=True,
    partitions_def=documents,
    description="Every body marker has a note (tolerance: 20% and at least 3 orphans).",
)
def markers_have_notes(footnotes: NoteSplit) -> dg.AssetCheckResult:
    problems = quality_problems(footnotes)
    orphans = [i for i in footnotes.issues if i.kind == "marker_without_note"]
    return dg.AssetCheckResult(
        passed=not problems,
        description="; ".join(problems) or None,
        metadata={
            "markers": len(footnotes.markers),
            "notes": len(footnotes.notes),
            "markers_without_note": dg.MetadataValue.json([o.detail for o in orphans]),
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
        },
    )
