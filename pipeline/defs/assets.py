"""Assets: one per step for each document (partitioned), then the dataset roll-up.

Each asset evaluates its own checks (``checks.SPECS``) in its step, after its output.
"""

from collections.abc import Iterator

import dagster as dg

from pipeline.core import dataset, nlp
from pipeline.core import footnotes as fn
from pipeline.core.citations import parse_citations
from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.layout import parse_document_isolated
from pipeline.core.models import (
    CitationRow,
    CitationSet,
    ClaimRow,
    ClaimSet,
    DocumentStatus,
    FootnoteRow,
    Line,
    NoteSplit,
    ParsedDocument,
    UrlCheckRow,
    UrlCheckSet,
)
from pipeline.core.report import report_path, write_reports
from pipeline.core.urlcheck import check_document_links
from pipeline.defs import checks
from pipeline.defs.metadata import (
    evidence_counts,
    evidence_metadata,
    link_counts,
    link_rot_table,
    preview,
    rows_metadata,
    table_metadata,
    worst_links_table,
)
from pipeline.defs.partitions import documents
from pipeline.defs.resources import PipelineConfig, SpacyModel, shared_limits

GROUP = "documents"
LINE_COLUMNS = ["page", "column", "top", "size", "bold", "text"]
WORST_LINKS = 10


def _find_source(settings: PipelineConfig, key: str, tagged: str | None = None) -> dataset.SourceFile:
    """The file of partition ``key``: the one the run was tagged with (the runner and the raw/
    sensor tag each run with its file), else found by listing raw/ (a run launched by hand)."""
    if tagged and (src := dataset.find_source(settings.raw_path, tagged, key)) is not None:
        return src
    for src in dataset.list_sources(settings.raw_path):
        if src.key == key:
            return src
    raise dg.Failure(
        description=f"no file in {settings.raw_dir} maps to partition {key!r}; was it deleted or renamed?",
    )


@dg.asset(
    partitions_def=documents,
    group_name=GROUP,
    kinds={"pdfplumber"},
    description="The document read with its layout: lines in reading order, fonts, positions, links.",
    check_specs=checks.SPECS["parsed_document"],
)
def parsed_document(
    context: dg.AssetExecutionContext, settings: PipelineConfig
) -> Iterator[dg.Output[ParsedDocument] | dg.AssetCheckResult]:
    output = _read_document(context, settings)
    yield output
    yield checks.text_extracted(output.value)


def _read_document(context: dg.AssetExecutionContext, settings: PipelineConfig) -> dg.Output[ParsedDocument]:
    src = _find_source(settings, context.partition_key, context.run.tags.get("source"))
    if src.problem is not None:  # a link out of raw/, a dangling link, a folder: never opened
        context.log.warning(f"{src.relative}: not read: {src.problem.message}")
        doc = dataset.failed_document(
            src.key,
            src.relative,
            dataset.source_digest(src),
            src.kind,
            src.problem.code.value,
            src.problem.message,
        )
        return dg.Output(
            doc,
            metadata={
                "status": doc.status.value,
                "error_code": doc.error_code or "",
                "error": doc.error or "",
                "pages": 0,
            },
        )
    try:
        # in a child process, so a PDF that makes pdfminer spin or crash is stopped at the limit
        doc = parse_document_isolated(
            src.path,
            doc_id=src.key,
            source_path=src.relative,
            max_pages=settings.max_pages,
            password=settings.pdf_password,
            timeout=settings.doc_timeout,
            memory_mb=settings.parser_memory_mb,
            max_line_chars=settings.max_paragraph_chars,
        )
    except DocumentError as exc:
        # A bad file is a result, not a crash: it becomes a 'failed' row with its reason.
        detail = "".join(f"\n{note}" for note in getattr(exc, "__notes__", []))
        (context.log.error if exc.code == DocumentErrorCode.INTERNAL else context.log.warning)(
            f"{src.relative}: {exc}{detail}"
        )
        doc = dataset.failed_document(
            src.key, src.relative, dataset.source_digest(src), src.kind, exc.code.value, exc.message
        )
    if doc.status == DocumentStatus.DEGRADED:
        context.log.warning(f"{src.relative}: degraded: {doc.error}")
    lines = [line for page in doc.layout for line in page.lines]
    return dg.Output(
        doc,
        metadata={
            "status": doc.status.value,
            "error_code": doc.error_code or "",
            "error": doc.error or "",
            "pages": doc.pages,
            "lines": len(lines),
            **rows_metadata(lines, Line, LINE_COLUMNS, schema_columns=LINE_COLUMNS),
            "title": doc.title or "",
            "source": dg.MetadataValue.path(str(src.path)),
            "warnings": dg.MetadataValue.md("\n".join(f"- {w}" for w in doc.warnings) or "none"),
        },
    )


@dg.asset(
    partitions_def=documents,
    group_name=GROUP,
    description="Body paragraphs with their note markers, and the notes themselves.",
    check_specs=checks.SPECS["footnotes"],
)
def footnotes(
    context: dg.AssetExecutionContext, parsed_document: ParsedDocument
) -> Iterator[dg.Output[NoteSplit] | dg.AssetCheckResult]:
    if parsed_document.status == DocumentStatus.FAILED:
        split = NoteSplit(
            doc_id=parsed_document.doc_id, sha256=parsed_document.sha256, title=parsed_document.title
        )
    else:
        split = fn.split_notes(parsed_document)
    rows = dataset.footnote_rows(split)
    yield dg.Output(
        split,
        metadata={
            "notes": len(split.notes),
            "markers": len(split.markers),
            "paragraphs": len(split.paragraphs),
            "sequence_issues": len(split.issues),
            "urls": sum(len(n.urls) for n in split.notes),
            **rows_metadata(rows, FootnoteRow, ["number", "page", "text", "urls"]),
        },
    )
    yield checks.markers_have_notes(split)
    yield checks.notes_have_markers(split)
    yield checks.document_not_empty(split)


@dg.asset(
    partitions_def=documents,
    group_name=GROUP,
    description="Each note parsed into citations: authors, title, container, date, URLs, DOI.",
)
def citations(context: dg.AssetExecutionContext, footnotes: NoteSplit) -> dg.Output[CitationSet]:
    cits = CitationSet(
        doc_id=footnotes.doc_id,
        sha256=footnotes.sha256,
        citations=parse_citations(footnotes.doc_id, footnotes.notes),
    )
    rows = dataset.citation_rows(cits)
    by_kind: dict[str, int] = {}
    for c in rows:
        by_kind[c.kind or "full"] = by_kind.get(c.kind or "full", 0) + 1
    return dg.Output(
        cits,
        metadata={
            "citations": len(rows),
            "with_url": sum(1 for c in rows if c.urls),
            "by_kind": dg.MetadataValue.json(by_kind),
            "repeats_resolved": sum(1 for c in rows if c.refers_to),
            **rows_metadata(
                rows, CitationRow, ["footnote_number", "authors", "title", "container", "published"]
            ),
        },
    )


@dg.asset(
    partitions_def=documents,
    group_name=GROUP,
    kinds={"spacy"},
    pool="nlp",
    description="Claim sentences (cited or check-worthy) and their named entities.",
)
def claims(
    context: dg.AssetExecutionContext, footnotes: NoteSplit, spacy: SpacyModel, settings: PipelineConfig
) -> dg.Output[ClaimSet]:
    model = spacy.load()
    bounded, warnings = nlp.keep_within_limits(
        footnotes,
        max_paragraph_chars=settings.max_paragraph_chars,
        max_token_chars=settings.max_token_chars,
    )
    for warning in warnings:
        context.log.warning(warning)
    claims = nlp.extract_claims(bounded, model)
    result = nlp.claim_set(footnotes.doc_id, footnotes.sha256, claims, warnings)
    rows, ents = dataset.claim_rows(result)
    return dg.Output(
        result,
        metadata={
            "claims": len(rows),
            "cited": sum(1 for c in rows if c.cited),
            "entities": len(ents),
            "named_entities": len(result.entity_index),
            "warnings": dg.MetadataValue.md("\n".join(f"- {w}" for w in warnings) or "none"),
            **rows_metadata(rows, ClaimRow, ["text", "footnote_numbers", "checkworthy", "reasons"]),
        },
    )


@dg.asset(
    partitions_def=documents,
    group_name=GROUP,
    kinds={"requests"},
    pool="url_checks",
    description=(
        "The status of every URL cited by the document (checked politely, with history), "
        "and the worst links with the claims that rest on them."
    ),
    check_specs=checks.SPECS["url_checks"],
)
def url_checks(
    context: dg.AssetExecutionContext,
    footnotes: NoteSplit,
    citations: CitationSet,
    claims: ClaimSet,
    settings: PipelineConfig,
) -> Iterator[dg.Output[UrlCheckSet] | dg.AssetCheckResult]:
    def progress(done: int, todo: int) -> None:
        if done == todo or done % 20 == 0:
            context.log.info(f"checked {done}/{todo} URLs")

    report = check_document_links(
        footnotes,
        citations,
        settings.url_settings(),
        settings.state_path / "url_history.sqlite",
        claims=claims,
        offline=settings.offline,
        progress=progress,
        limits=shared_limits(context.instance, settings),
    )
    if report.note:
        context.log.warning(report.note)
    result, link_checks = report.links, report.links.checks
    rows = dataset.url_check_rows(link_checks)
    sources = dataset.claim_source_rows(claims, citations, {c.url: c for c in link_checks}, result.evidence)
    yield dg.Output(
        result,
        metadata={
            "urls": len(report.urls),
            "checked_now": report.checked,
            "from_history": report.cached,
            "offline": report.offline,
            "note": report.note or "",
            **link_counts(link_checks),
            **evidence_counts(sources, dataset.claims_at_risk(sources, dataset.drifted_urls(link_checks))),
            **rows_metadata(rows, UrlCheckRow, ["url", "status", "http_status", "error"]),
            "worst_links": worst_links_table(dataset.rank_worst_links(link_checks, sources, WORST_LINKS)),
            # written by claims_dataset from the dataset, after this materialization
            "report": dg.MetadataValue.path(str(report_path(settings.out_path, footnotes.doc_id))),
        },
    )
    yield checks.dead_link_share(result, settings)
    yield checks.unconfirmed_deaths(result)


@dg.asset(
    group_name="dataset",
    deps=[parsed_document, footnotes, citations, claims, url_checks],
    kinds={"parquet", "duckdb"},
    automation_condition=(
        dg.AutomationCondition.any_deps_updated().since_last_handled()
        & ~dg.AutomationCondition.any_deps_in_progress()
        & ~dg.AutomationCondition.in_progress()
    ),
    description=(
        "The claims dataset in extracted/: one Parquet file per table, for every document in raw/, "
        "and claims.duckdb holding every table (claim_sources first: claim x citation x URL status)."
    ),
    check_specs=checks.SPECS["claims_dataset"],
)
def claims_dataset(context: dg.AssetExecutionContext, settings: PipelineConfig) -> dg.MaterializeResult:
    keys = context.instance.get_dynamic_partitions(documents.name)
    published = dataset.publish_dataset(settings.store(), keys, settings.out_path)
    for stale in published.removed:
        context.log.info(f"removed the records of {stale}: its file is no longer in raw/")
    if published.missing:
        missing = published.missing
        context.log.warning(f"{len(missing)} document(s) not parsed yet, left out: {', '.join(missing[:10])}")
    reports = write_reports(settings.out_path, only=published.rewritten)
    context.log.info(f"wrote {len(reports)} report(s) to {settings.out_path / 'reports'}")
    summaries = published.summaries
    metadata = table_metadata(summaries.counts, summaries.previews, published.paths)
    metadata["duckdb_path"] = dg.MetadataValue.path(str(published.paths["duckdb"]))
    metadata["claim_sources_preview"] = preview(
        summaries.previews["claim_sources"],
        ["claim_text", "footnote_number", "title", "url", "url_status", "evidence"],
    )
    metadata["entity_index_preview"] = preview(
        summaries.previews["entity_index"], ["text", "label", "mentions"]
    )
    metadata["documents_rewritten"] = len(published.rewritten)
    metadata.update(evidence_metadata(summaries.evidence, published.at_risk, summaries.at_risk_count))
    metadata["worst_links"] = worst_links_table(published.worst_links, with_docs=True)
    metadata["link_rot_by_domain"] = link_rot_table(published.link_rot_by_domain, "domain")
    metadata["link_rot_by_citation_age"] = link_rot_table(published.link_rot_by_age, "citation age at check")
    metadata["reports_folder"] = dg.MetadataValue.path(str(settings.out_path / "reports"))
    metadata["reports"] = dg.MetadataValue.md(
        "\n".join(f"- `{doc_id}`: `{path}`" for doc_id, path in sorted(reports.items())[:50])
        or "_no documents_"
    )
    return dg.MaterializeResult(metadata=metadata, check_results=[checks.parquet_matches_contract(settings)])
