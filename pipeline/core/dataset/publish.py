"""The roll-up: each document's step records become its parts, published as one new version.

``publish_dataset`` is incremental: a document whose step records are those its parts in the
current version were made from keeps them (hard-linked into the new version); only new and
changed documents are read and written, plus the ``claim_sources`` parts of documents citing a
URL whose latest check changed. The corpus tables (``url_checks``, ``url_history``) and the link
health summaries come from SQL over the parts (``corpus``), claims.duckdb is the previous one
updated (``database``), and readers switch from the previous version to the new one at once
(``versions``). ``write_dataset`` publishes tables already in memory, in the same layout.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from pipeline.core.dataset.arrow import to_arrow, write_schemas
from pipeline.core.dataset.corpus import (
    Summaries,
    changed_urls,
    check_lookup,
    documents_citing,
    summarize,
    write_merged_checks,
    write_raw_checks,
)
from pipeline.core.dataset.database import write_database
from pipeline.core.dataset.link_health import ClaimAtRisk, LinkRotRow, WorstLink
from pipeline.core.dataset.parts import (
    FreshChecks,
    corpus_part,
    link_document,
    make_folders,
    read_manifest,
    write_corpus_part,
    write_manifest,
    write_part,
)
from pipeline.core.dataset.rows import (
    CORPUS,
    PER_DOCUMENT,
    claim_source_rows,
    document_tables,
    url_check_rows,
    url_history_rows,
)
from pipeline.core.dataset.store import DocumentStore, read_records
from pipeline.core.dataset.versions import current_version, dataset_version
from pipeline.core.models import TABLES, CitationSet, ClaimSet, UrlCheckSet

DUCKDB_FILE = "claims.duckdb"
#: the worst links a published dataset names
WORST_LINKS = 20
#: what ``<out>/`` holds of a version: a folder of parts per table, and the DuckDB file
NAMES = [f"{name}.parquet" for name in TABLES] + [DUCKDB_FILE]


def _paths(out_dir: Path) -> dict[str, Path]:
    paths = {name: out_dir / f"{name}.parquet" for name in TABLES}
    paths["duckdb"] = out_dir / DUCKDB_FILE
    return paths


def write_dataset(out_dir: Path, tables: Mapping[str, Sequence[BaseModel]]) -> dict[str, Path]:
    """Publish tables held in memory (one part per document) as one new version.

    ``paths`` maps table names to their folders of parts, and ``"duckdb"`` to the database.
    """
    with dataset_version(out_dir, NAMES) as stage:
        make_folders(stage)
        for name in PER_DOCUMENT:
            by_doc: dict[str, list[BaseModel]] = defaultdict(list)
            for row in tables.get(name, []):
                by_doc[row.doc_id].append(row)  # type: ignore[attr-defined]
            for doc_id, rows in by_doc.items():
                write_part(stage, name, doc_id, rows)
        for name in CORPUS:
            write_corpus_part(stage, name, to_arrow(TABLES[name], tables.get(name, [])))
        write_database(stage / DUCKDB_FILE, stage)
    write_schemas(out_dir / "schema")
    return _paths(out_dir)


@dataclass(frozen=True)
class PublishedDataset:
    """What one roll-up read, wrote and found: what the roll-up's metadata shows."""

    #: table name -> its folder of parts, and "duckdb" -> claims.duckdb
    paths: dict[str, Path]
    #: documents whose file left raw/: their step records were deleted
    removed: list[str]
    #: documents not parsed yet, left out of the tables
    missing: list[str]
    #: documents whose parts were written (the others' were linked from the previous version)
    rewritten: list[str]
    summaries: Summaries

    @property
    def worst_links(self) -> list[WorstLink]:
        return self.summaries.worst_links

    @property
    def link_rot_by_domain(self) -> list[LinkRotRow]:
        return self.summaries.link_rot_by_domain

    @property
    def link_rot_by_age(self) -> list[LinkRotRow]:
        return self.summaries.link_rot_by_age

    @property
    def at_risk(self) -> list[ClaimAtRisk]:
        """The first ``corpus.AT_RISK_SHOWN`` cited claims none of whose linked sources still
        backs them, in document order (``summaries.at_risk_count`` counts them all)."""
        return self.summaries.at_risk


@dataclass
class _Parts:
    #: document -> what its parts were made from (the new manifest)
    manifest: dict[str, dict]
    #: documents whose parts were written, and those never parsed
    written: set[str]
    missing: list[str]


def _document_parts(
    store: DocumentStore,
    keys: list[str],
    previous: Path | None,
    known: Mapping[str, dict],
    stage: Path,
    fresh: FreshChecks,
) -> _Parts:
    """Link the parts of unchanged documents, write those of the others (all but claim_sources;
    their raw URL checks go to ``fresh``)."""
    manifest: dict[str, dict] = {}
    todo: dict[str, list] = {}
    for key in keys:
        stamp = store.stamp(key)  # before reading: a record replaced meanwhile is redone next time
        entry = known.get(key)
        if (
            previous is not None
            and entry
            and entry.get("stamp") == stamp
            and link_document(previous, stage, key)
        ):
            manifest[key] = entry
        else:
            todo[key] = stamp
    missing: list[str] = []
    for key, record in ((k, r) for k in todo for r in read_records(store, [k], missing)):
        part = document_tables(record)  # one document at a time
        for name, rows in part.tables.items():
            if name != "claim_sources":
                write_part(stage, name, key, rows)
        fresh.add(key, url_check_rows(part.checks), url_history_rows(part.history))
        manifest[key] = {"stamp": todo[key], "sha256": record.doc.sha256}
    return _Parts(manifest, set(todo) - set(missing), missing)


def _cited_records(
    store: DocumentStore, key: str, sha256: str
) -> tuple[ClaimSet, CitationSet | None, UrlCheckSet | None] | None:
    claims = store.load("claims", key, ClaimSet)
    if claims is None or claims.sha256 != sha256:
        return None
    cits = store.load("citations", key, CitationSet)
    links = store.load("url_checks", key, UrlCheckSet)
    return (
        claims,
        cits if cits and cits.sha256 == sha256 else None,
        links if links and links.sha256 == sha256 else None,
    )


#: documents whose claim_sources parts are written with one look-up of their URLs' checks
SOURCES_BATCH = 64


def _write_claim_sources(
    store: DocumentStore, stage: Path, keys: Iterable[str], manifest: Mapping[str, dict]
) -> None:
    """The claim_sources part of each of ``keys``, with the checks of its URLs looked up in the
    new url_checks part a batch of documents at a time (not every URL's check in memory)."""
    checks_part = corpus_part(stage, "url_checks")
    todo = sorted(keys)
    for start in range(0, len(todo), SOURCES_BATCH):
        batch = {
            key: _cited_records(store, key, manifest[key]["sha256"])
            for key in todo[start : start + SOURCES_BATCH]
        }
        urls = {
            url
            for cited in batch.values()
            if cited is not None and cited[1] is not None
            for citation in cited[1].citations
            for url in citation.urls
        }
        checks = check_lookup(checks_part, urls)
        for key, cited in batch.items():
            rows = []
            if cited is not None:
                claims, cits, links = cited
                rows = claim_source_rows(claims, cits, checks, links.evidence if links else [])
            write_part(stage, "claim_sources", key, rows)


def publish_dataset(
    store: DocumentStore,
    keys: Iterable[str],
    out_dir: Path,
    *,
    worst_links: int = WORST_LINKS,
    full: bool = False,
) -> PublishedDataset:
    """Roll every document in ``keys`` up into the dataset in ``out_dir``, published as one version.

    Records of documents not in ``keys`` (their file left raw/) are deleted first. Only what
    depends on a new, changed or removed document is written again, unless ``full``.
    """
    keys = sorted(set(keys))
    removed = sorted(set(store.doc_ids()) - set(keys))
    for stale in removed:  # its file left raw/: its records go too
        store.remove(stale)
    previous = current_version(out_dir)
    known = {} if full else read_manifest(previous)
    with dataset_version(out_dir, NAMES) as stage:
        make_folders(stage, previous if known else None)
        fresh = FreshChecks(stage)
        try:
            done = _document_parts(store, keys, previous, known, stage, fresh)
        finally:
            fresh.close()
        manifest, changed, missing = done.manifest, done.written, done.missing
        write_raw_checks(stage, previous if known else None, set(manifest) - changed, fresh.paths)
        fresh.remove()
        write_merged_checks(stage)
        moved: set[str] = set()
        if known and previous:
            moved = changed_urls(corpus_part(previous, "url_checks"), corpus_part(stage, "url_checks"))
        # a URL's status in claim_sources is its latest check in any document
        citing = documents_citing(previous / DUCKDB_FILE, moved) if moved and previous else set()
        sources = changed | (citing & set(manifest))
        _write_claim_sources(store, stage, sources, manifest)
        gone = set(known) - set(manifest)
        redo = {name: changed | gone for name in PER_DOCUMENT}
        redo["claim_sources"] = sources | gone
        previous_db = previous / DUCKDB_FILE if known and previous else None
        write_database(stage / DUCKDB_FILE, stage, previous_db, redo)
        write_manifest(stage, manifest)
        summaries = summarize(stage / DUCKDB_FILE, worst_links)
    write_schemas(out_dir / "schema")
    return PublishedDataset(
        paths=_paths(out_dir),
        removed=removed,
        missing=missing,
        rewritten=sorted(sources),
        summaries=summaries,
    )
