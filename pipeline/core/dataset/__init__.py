"""Dataset: per-document step records -> Parquet tables, written atomically (``fileio``).

Arrow schemas and JSON Schemas are both derived from the row models in ``models``.

One decision per module:

- ``sources``: which files in raw/ are documents, their partition keys, what changed since the last scan;
- ``store``: each step's record of each document between steps and runs;
- ``rows``: the rows of every table from a document's records (stale records left out);
- ``link_health``: which links are worst, link rot by domain and by citation age;
- ``arrow``: Arrow and JSON Schemas from the row models, the Parquet and DuckDB files;
- ``versions``: the dataset as one unit: version folders switched by one rename, pruning;
- ``parts``: where each document's parts live in a version folder (a folder of parts per table);
- ``corpus``: the corpus-wide tables and link health summaries, by DuckDB over the parts;
- ``database``: claims.duckdb, the previous version's file updated for what changed;
- ``publish``: the roll-up, incremental: only what depends on a changed document is written.
"""

from __future__ import annotations

from pipeline.core.dataset.arrow import (
    arrow_schema,
    check_contract,
    read_table,
    to_arrow,
    warm_up,
    write_duckdb,
    write_parquet,
    write_schemas,
)
from pipeline.core.dataset.corpus import RunSummaryRows, Summaries, summary_rows
from pipeline.core.dataset.link_health import (
    AGE_BANDS,
    SEVERITY,
    UNKNOWN_AGE,
    ClaimAtRisk,
    LinkRotRow,
    WorstLink,
    claims_at_risk,
    drifted_urls,
    rank_worst_links,
    summarize_link_rot,
)
from pipeline.core.dataset.parts import part_documents, part_path, table_dir
from pipeline.core.dataset.publish import (
    DUCKDB_FILE,
    PublishedDataset,
    publish_dataset,
    write_dataset,
)
from pipeline.core.dataset.rows import (
    body_words,
    build_tables,
    citation_rows,
    claim_rows,
    claim_source_rows,
    document_rows,
    document_tables,
    empty_reason,
    entity_index_rows,
    footnote_rows,
    issue_rows,
    url_check_rows,
    url_history_rows,
)
from pipeline.core.dataset.sources import (
    SUFFIXES,
    SourceFile,
    SourceScan,
    SourceState,
    find_source,
    list_sources,
    safe_key,
    scan_sources,
    source_digest,
)
from pipeline.core.dataset.store import DocumentRecords, DocumentStore, failed_document, read_records
from pipeline.core.dataset.versions import (
    CURRENT,
    VERSIONS_DIR,
    current_version,
    dataset_version,
    prune_versions,
)

__all__ = [
    "AGE_BANDS",
    "CURRENT",
    "DUCKDB_FILE",
    "SEVERITY",
    "SUFFIXES",
    "UNKNOWN_AGE",
    "VERSIONS_DIR",
    "ClaimAtRisk",
    "DocumentRecords",
    "DocumentStore",
    "LinkRotRow",
    "PublishedDataset",
    "RunSummaryRows",
    "SourceFile",
    "SourceScan",
    "SourceState",
    "Summaries",
    "WorstLink",
    "arrow_schema",
    "body_words",
    "build_tables",
    "check_contract",
    "citation_rows",
    "claim_rows",
    "claim_source_rows",
    "claims_at_risk",
    "current_version",
    "dataset_version",
    "document_rows",
    "document_tables",
    "drifted_urls",
    "empty_reason",
    "entity_index_rows",
    "failed_document",
    "find_source",
    "footnote_rows",
    "issue_rows",
    "list_sources",
    "part_documents",
    "part_path",
    "prune_versions",
    "publish_dataset",
    "rank_worst_links",
    "read_records",
    "read_table",
    "safe_key",
    "scan_sources",
    "source_digest",
    "summarize_link_rot",
    "summary_rows",
    "table_dir",
    "to_arrow",
    "url_check_rows",
    "url_history_rows",
    "warm_up",
    "write_dataset",
    "write_duckdb",
    "write_parquet",
    "write_schemas",
]
