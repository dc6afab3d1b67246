"""Metadata the Dagster UI shows: row counts, column schemas, markdown previews, output paths."""

import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import BaseModel

from pipeline.core.dataset import ClaimAtRisk, LinkRotRow, WorstLink, arrow_schema
from pipeline.core.models import TABLES, ClaimSourceRow, Evidence, Status, UrlCheck

PREVIEW_ROWS = 5


def _cell(value: Any, width: int = 80) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = "" if value is None else str(getattr(value, "value", value))
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], empty: str = "_no rows_"
) -> dg.MetadataValue:
    if not rows:
        return dg.MetadataValue.md(empty)
    head = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    return dg.MetadataValue.md(head + "".join("| " + " | ".join(_cell(v) for v in r) + " |\n" for r in rows))


def preview(rows: Sequence[BaseModel], columns: Sequence[str], n: int = PREVIEW_ROWS) -> dg.MetadataValue:
    """A markdown table of the first rows."""
    return _table(columns, [[getattr(r, c, None) for c in columns] for r in rows[:n]])


def column_schema(model: type[BaseModel], columns: Sequence[str] | None = None) -> dg.TableSchema:
    """The UI's column schema of a row model: Arrow types for dataset tables, Python types otherwise."""
    if model in TABLES.values():
        fields = [(f.name, str(f.type)) for f in arrow_schema(model)]
    else:
        hints = typing.get_type_hints(model)
        fields = [(name, getattr(hints[name], "__name__", str(hints[name]))) for name in model.model_fields]
    wanted = set(columns) if columns is not None else None
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name=name, type=typ, description=model.model_fields[name].description or "")
            for name, typ in fields
            if wanted is None or name in wanted
        ]
    )


def rows_metadata(
    rows: Sequence[BaseModel],
    model: type[BaseModel],
    preview_columns: Sequence[str],
    *,
    schema_columns: Sequence[str] | None = None,
    preview_key: str = "preview",
) -> dict[str, Any]:
    """The block every asset's metadata repeats: row count, column schema, the first rows."""
    return {
        "dagster/row_count": len(rows),
        "dagster/column_schema": column_schema(model, schema_columns),
        preview_key: preview(rows, preview_columns),
    }


def link_counts(checks: Sequence[UrlCheck]) -> dict[str, Any]:
    """How a document's links stand: counts by status, dead (confirmed), archived, drifted."""
    by_status: dict[str, int] = {}
    for c in checks:
        by_status[c.status.value] = by_status.get(c.status.value, 0) + 1
    return {
        "by_status": dg.MetadataValue.json(by_status),
        "dead": by_status.get(Status.DEAD.value, 0),
        "dead_confirmed": sum(1 for c in checks if c.status == Status.DEAD and c.confirmed),
        "archived": sum(1 for c in checks if c.archive_url),
        "possible_drift": sum(1 for c in checks if c.possible_drift),
        "content_changed": sum(1 for c in checks if c.content_changed),
        "paywalled": by_status.get(Status.PAYWALLED.value, 0),
    }


def evidence_counts(sources: Sequence[ClaimSourceRow], at_risk: Sequence[ClaimAtRisk]) -> dict[str, Any]:
    """What the cited pages hold of the claims (per claim and URL), and the claims at risk."""
    by_value = {e.value: 0 for e in Evidence}
    seen: set[tuple[str, str]] = set()
    for row in sources:
        if row.url and (row.claim_id, row.url) not in seen:  # one per claim and URL, however many notes
            seen.add((row.claim_id, row.url))
            by_value[Evidence(row.evidence).value] += 1
    return evidence_metadata(by_value, at_risk)


def evidence_metadata(
    by_value: Mapping[str, int], at_risk: Sequence[ClaimAtRisk], at_risk_count: int | None = None
) -> dict[str, Any]:
    """``evidence_counts`` from counts already made (Evidence value -> claims and URLs); the
    table shows the first 20 claims at risk, of ``at_risk_count`` (default: all given)."""
    rows = [
        [
            r.doc_id,
            r.page,
            r.claim_text,
            "; ".join(f"{u} ({w})" for u, w in zip(r.urls, r.reasons, strict=True)),
        ]
        for r in at_risk[:20]
    ]
    return {
        "evidence": dg.MetadataValue.json(by_value),
        "evidence_found": by_value[Evidence.FOUND.value],
        "evidence_not_found": by_value[Evidence.NOT_FOUND.value],
        "claims_at_risk": len(at_risk) if at_risk_count is None else at_risk_count,
        "claims_at_risk_table": _table(
            ["document", "page", "claim", "sources (why)"], rows, empty="_no claim is at risk_"
        ),
    }


def worst_links_table(links: Sequence[WorstLink], *, with_docs: bool = False) -> dg.MetadataValue:
    """URL, status, the claims that cite it and the archived copy, worst first."""
    header = ["url", "status", "cited by", "archive_url"]
    rows = []
    for link in links:
        status = link.status.value + ("" if link.confirmed else " (unconfirmed)")
        notes = "note " + ", ".join(str(n) for n in link.footnote_numbers) if link.footnote_numbers else ""
        cited = f"{notes}: " + " / ".join(_cell(c, 60) for c in link.claims[:2]) if link.claims else notes
        if link.citing_claims > 2:
            cited += f" (+{link.citing_claims - 2} more claims)"
        if with_docs:
            more = link.citing_documents - len(link.doc_ids)
            docs = ", ".join(link.doc_ids) + (f" (+{more} more documents)" if more > 0 else "")
            cited = docs + (f" {cited}" if cited else "")
        rows.append([link.url, status, cited or "no claim", link.archive_url or ""])
    return _table(header, rows, empty="_every checked link is alive_")


def link_rot_table(rows: Sequence[LinkRotRow], title: str, n: int = 15) -> dg.MetadataValue:
    """Link rot per group; the share counts only links whose fate is known."""
    body = [
        [
            r.group,
            r.links,
            r.alive,
            r.rotten,
            r.undetermined,
            "–" if r.rot_share is None else f"{r.rot_share:.0%}",
        ]
        for r in rows[:n]
    ]
    return _table(
        [title, "links", "alive", "rotten", "undetermined", "rot share"], body, empty="_no cited links_"
    )


def table_metadata(
    counts: Mapping[str, int], previews: Mapping[str, Sequence[BaseModel]], paths: Mapping[str, Path]
) -> dict[str, Any]:
    """Counts, paths and the first rows of every table of the dataset (the row count is of claims)."""
    claims = ["text", "footnote_numbers", "checkworthy"]
    meta = rows_metadata(previews.get("claims", []), TABLES["claims"], claims, preview_key="claims_preview")
    meta["dagster/row_count"] = counts.get("claims", 0)
    for name in TABLES:
        meta[f"{name}_rows"] = counts.get(name, 0)
        if name in paths:
            meta[f"{name}_path"] = dg.MetadataValue.path(str(paths[name]))
    cols = {
        "documents": ["doc_id", "status", "pages", "footnotes", "claims", "error"],
        "url_checks": ["url", "status", "http_status", "error"],
    }
    for name, columns in cols.items():
        meta[f"{name}_preview"] = preview(previews.get(name, []), columns)
    return meta
