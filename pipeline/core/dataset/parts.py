"""Parts: where each document's share of the dataset lives inside a version folder.

Every table is a folder of Parquet parts, ``<table>.parquet/`` (the layout Spark and Hive write),
which pandas ``read_parquet``, DuckDB ``read_parquet('<table>.parquet/*.parquet')`` and
``pyarrow.dataset`` read as one table. A per-document table has one part per document,
``part-<doc_id>.parquet``, plus an empty part that keeps the folder readable (and typed) when no
document is left; a corpus table has one part. The URL checks of each document, before they are
merged into the corpus tables, are kept aside, all documents' in one file each (``_checks.parquet``,
``_history.parquet``, a ``_doc`` column naming the document; pyarrow and pandas skip names starting
with ``_``): a roll-up reads one file, not one per document, whose cost in memory grew with the
corpus. ``_manifest.json`` says which records each document's parts were made from, so the next
roll-up links the parts of unchanged documents instead of writing them again.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from pipeline.core.dataset.arrow import to_arrow, write_parquet
from pipeline.core.dataset.rows import CORPUS, PER_DOCUMENT
from pipeline.core.models import SCHEMA_VERSION, TABLES, UrlCheckRow, UrlHistoryRow

#: every document's URL checks (all of them, in record order) and history, before the corpus merge
RAW_CHECKS = "_checks.parquet"
RAW_HISTORY = "_history.parquet"
MANIFEST = "_manifest.json"
#: how a version's files are laid out; a version of another layout is not built upon
LAYOUT = 2
#: no document key can start with "~" (``sources.safe_key``), so this part never meets one
EMPTY_PART = "part-~empty.parquet"
CORPUS_PART = "part-corpus.parquet"
#: extra columns of the raw check parts: the document and the check's place in its record
DOC_COLUMN, ORDER_COLUMN = "_doc", "_ord"


def table_dir(root: Path, name: str) -> Path:
    return root / f"{name}.parquet"


def part_path(root: Path, name: str, doc_id: str) -> Path:
    return table_dir(root, name) / f"part-{doc_id}.parquet"


def part_documents(root: Path) -> list[str]:
    """The documents of a version (those with a part in ``documents``)."""
    names = (p.name for p in table_dir(root, "documents").glob("part-*.parquet"))
    return sorted(n.removeprefix("part-").removesuffix(".parquet") for n in names if n != EMPTY_PART)


def document_files(root: Path, doc_id: str) -> list[Path]:
    """Every part of one document's share of a version (its raw checks are rows of a file of all)."""
    return [part_path(root, name, doc_id) for name in PER_DOCUMENT]


def make_folders(stage: Path, previous: Path | None = None) -> None:
    """The folders of a new version, each per-document table with its empty part (linked from
    the ``previous`` version when it has one)."""
    for name in TABLES:
        table_dir(stage, name).mkdir(parents=True, exist_ok=True)
    for name in PER_DOCUMENT:
        empty = table_dir(stage, name) / EMPTY_PART
        if previous is None or not _link(table_dir(previous, name) / EMPTY_PART, empty):
            write_parquet(empty, to_arrow(TABLES[name], []))


def _link(src: Path, dst: Path) -> bool:
    """Hard-link (or copy) ``src`` to ``dst``; False when ``src`` is gone."""
    try:
        os.link(src, dst)
    except FileNotFoundError:
        return False
    except OSError:  # no hard links on this file system
        shutil.copy2(src, dst)
    return True


def write_part(root: Path, name: str, doc_id: str, rows: Sequence[BaseModel]) -> Path:
    path = part_path(root, name, doc_id)
    write_parquet(path, to_arrow(TABLES[name], rows))
    return path


def corpus_part(root: Path, name: str) -> Path:
    """The one part of the corpus table ``name``."""
    assert name in CORPUS
    return table_dir(root, name) / CORPUS_PART


def write_corpus_part(root: Path, name: str, table: pa.Table) -> None:
    write_parquet(corpus_part(root, name), table)


def _numbered(table: pa.Table, doc_id: str) -> pa.Table:
    table = table.append_column(DOC_COLUMN, pa.array([doc_id] * table.num_rows, pa.string()))
    return table.append_column(ORDER_COLUMN, pa.array(range(table.num_rows), pa.int64()))


def raw_checks(
    doc_id: str, checks: Sequence[UrlCheckRow], history: Sequence[UrlHistoryRow]
) -> tuple[pa.Table, pa.Table]:
    """One document's rows of ``_checks.parquet`` and ``_history.parquet``."""
    return (
        _numbered(to_arrow(UrlCheckRow, checks), doc_id),
        _numbered(to_arrow(UrlHistoryRow, history), doc_id),
    )


def raw_schema(kind: str) -> pa.Schema:
    row = UrlCheckRow if kind == RAW_CHECKS else UrlHistoryRow
    return _numbered(to_arrow(row, []), "").schema


#: documents whose raw check rows ``FreshChecks`` holds before it writes them as one row group
FRESH_BATCH = 64


class FreshChecks:
    """The raw check rows of the documents a roll-up writes, streamed to ``paths[kind]`` (beside
    the version's own files, and removed once merged into them) ``FRESH_BATCH`` documents at a
    time: two small Arrow tables held per document cost about 47 KB each, 47 MiB at 1,000."""

    def __init__(self, stage: Path) -> None:
        self.paths = {kind: stage / f"_fresh{kind}" for kind in (RAW_CHECKS, RAW_HISTORY)}
        self._writers = {kind: pq.ParquetWriter(path, raw_schema(kind)) for kind, path in self.paths.items()}
        self._held: dict[str, list[pa.Table]] = {kind: [] for kind in self.paths}

    def add(self, doc_id: str, checks: Sequence[UrlCheckRow], history: Sequence[UrlHistoryRow]) -> None:
        for kind, table in zip(self.paths, raw_checks(doc_id, checks, history), strict=True):
            self._held[kind].append(table)
        if len(self._held[RAW_CHECKS]) >= FRESH_BATCH:
            self._flush()

    def _flush(self) -> None:
        for kind, tables in self._held.items():
            if tables:
                self._writers[kind].write_table(pa.concat_tables(tables))
            tables.clear()

    def close(self) -> None:
        self._flush()
        for writer in self._writers.values():
            writer.close()

    def remove(self) -> None:
        for path in self.paths.values():
            path.unlink(missing_ok=True)


def link_document(previous: Path, stage: Path, doc_id: str) -> bool:
    """Hard-link (or copy) one document's files from the previous version; False (and nothing
    linked) if any is gone."""
    done = []
    for src in document_files(previous, doc_id):
        dst = stage / src.relative_to(previous)
        if not _link(src, dst):
            for path in done:
                path.unlink()
            return False
        done.append(dst)
    return True


def read_manifest(version: Path | None) -> dict[str, dict[str, object]]:
    """Documents of a version -> what their parts were made from; empty for another schema or
    layout (the next roll-up then writes every part again)."""
    if version is None:
        return {}
    try:
        data = json.loads((version / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return {}
    if data.get("schema_version") != SCHEMA_VERSION or data.get("layout") != LAYOUT:
        return {}
    if not all((version / kind).is_file() for kind in (RAW_CHECKS, RAW_HISTORY)):
        return {}  # the kept documents' checks would be lost
    docs = data.get("documents")
    return docs if isinstance(docs, dict) else {}


def write_manifest(stage: Path, documents: dict[str, dict[str, object]]) -> None:
    text = json.dumps(
        {"schema_version": SCHEMA_VERSION, "layout": LAYOUT, "documents": documents}, sort_keys=True
    )
    (stage / MANIFEST).write_text(text)
