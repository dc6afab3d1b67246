"""Metadata the Dagster UI shows: row counts, column schemas, markdown previews, output paths."""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import BaseModel

from pipeline.core.dataset import arrow_schema
from pipeline.core.models import TABLES

PREVIEW_ROWS = 5


def _cell(value: Any, width: int = 80) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = "" if value is None else str(getattr(value, "value", value))
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def preview(rows: Sequence[BaseModel], columns: Sequence[str], n: int = PREVIEW_ROWS) -> dg.MetadataValue:
    """A markdown table of the first rows."""
    if not rows:
        return dg.MetadataValue.md("_no rows_")
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = "".join("| " + " | ".join(_cell(getattr(r, c, None)) for c in columns) + " |\n" for r in rows[:n])
    return dg.MetadataValue.md(head + body)


def column_schema(model: type[BaseModel]) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=f.name,
                type=str(f.type),
                description=(f.metadata or {}).get(b"description", b"").decode(),
            )
            for f in arrow_schema(model)
        ]
    )


def table_metadata(tables: Mapping[str, Sequence[BaseModel]], paths: Mapping[str, Path]) -> dict[str, Any]:
    """Counts, paths and the first rows of every table of the dataset."""
    meta: dict[str, Any] = {"dagster/row_count": len(tables.get("claims", []))}
    for name in TABLES:
        rows = tables.get(name, [])
        meta[f"{name}_rows"] = len(rows)
        if name in paths:
            meta[f"{name}_path"] = dg.MetadataValue.path(str(paths[name]))
    meta["dagster/column_schema"] = column_schema(TABLES["claims"])
    cols = {
        "documents": ["doc_id", "status", "pages", "footnotes", "claims", "error"],
        "claims": ["text", "footnote_numbers", "checkworthy"],
        "url_checks": ["url", "status", "http_status", "error"],
    }
    for name, columns in cols.items():
        meta[f"{name}_preview"] = preview(tables.get(name, []), columns)
    return meta
