"""The roll-up: every document's step records become the tables, published as one new version.

``write_dataset`` writes every table as Parquet and all of them into claims.duckdb, inside one
version folder (``versions``), so readers switch from the previous dataset to this one at once.
``publish_dataset`` is the whole roll-up: it forgets documents whose file left raw/, reads the
records one document at a time, writes the dataset and summarizes link health.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from pydantic import BaseModel

from pipeline.core.dataset.arrow import to_arrow, write_duckdb, write_parquet, write_schemas
from pipeline.core.dataset.link_health import rank_worst_links, summarize_link_rot
from pipeline.core.dataset.rows import build_tables
from pipeline.core.dataset.store import DocumentStore, read_records
from pipeline.core.dataset.versions import dataset_version
from pipeline.core.models import TABLES, LinkRotRow, WorstLink

DUCKDB_FILE = "claims.duckdb"
#: the worst links a published dataset names
WORST_LINKS = 20


def write_dataset(out_dir: Path, tables: Mapping[str, Sequence[BaseModel]]) -> dict[str, Path]:
    """Write every table as Parquet, and all of them into claims.duckdb, as one new version.

    Readers switch from the previous version to this one at once (``dataset_version``).
    ``paths`` maps table names to their Parquet files, and ``"duckdb"`` to the database.
    """
    paths: dict[str, Path] = {}
    arrow: dict[str, pa.Table] = {}
    names = [f"{name}.parquet" for name in TABLES] + [DUCKDB_FILE]
    with dataset_version(out_dir, names) as stage:
        for name, model in TABLES.items():
            arrow[name] = to_arrow(model, tables.get(name, []))
            write_parquet(stage / f"{name}.parquet", arrow[name])
            paths[name] = out_dir / f"{name}.parquet"
        write_duckdb(stage / DUCKDB_FILE, arrow)
    paths["duckdb"] = out_dir / DUCKDB_FILE
    write_schemas(out_dir / "schema")
    return paths


@dataclass(frozen=True)
class PublishedDataset:
    """What one roll-up read, wrote and found: what the roll-up's metadata shows."""

    tables: dict[str, list[BaseModel]]
    #: table name -> its Parquet file, and "duckdb" -> claims.duckdb
    paths: dict[str, Path]
    #: documents whose file left raw/: their step records were deleted
    removed: list[str]
    #: documents not parsed yet, left out of the tables
    missing: list[str]
    worst_links: list[WorstLink]
    link_rot_by_domain: list[LinkRotRow]
    link_rot_by_age: list[LinkRotRow]


def publish_dataset(
    store: DocumentStore, keys: Iterable[str], out_dir: Path, *, worst_links: int = WORST_LINKS
) -> PublishedDataset:
    """Roll every document in ``keys`` up into the dataset in ``out_dir``, published as one version.

    Records of documents not in ``keys`` (their file left raw/) are deleted first.
    """
    keys = list(keys)
    removed = sorted(set(store.doc_ids()) - set(keys))
    for stale in removed:  # its file left raw/: its records go too
        store.remove(stale)
    missing: list[str] = []
    tables = build_tables(read_records(store, keys, missing))
    paths = write_dataset(out_dir, tables)
    sources = tables["claim_sources"]
    by_domain, by_age = summarize_link_rot(sources)
    return PublishedDataset(
        tables=tables,
        paths=paths,
        removed=removed,
        missing=missing,
        worst_links=rank_worst_links(tables["url_checks"], sources, worst_links),
        link_rot_by_domain=by_domain,
        link_rot_by_age=by_age,
    )
