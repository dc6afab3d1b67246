"""Dataset: per-document step records -> Parquet tables, written atomically (``fileio``).

Arrow schemas and JSON Schemas are both derived from the row models in ``models``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import types
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from pipeline.core.errors import DatasetError
from pipeline.core.fileio import atomic_path, create_temp, fsync_dir, pid_alive, write_text
from pipeline.core.models import (
    REACHABLE,
    ROTTEN,
    SCHEMA_VERSION,
    TABLES,
    Citation,
    CitationRow,
    CitationSet,
    ClaimRow,
    ClaimSet,
    ClaimSourceRow,
    DocumentRow,
    DocumentStatus,
    EntityIndexRow,
    EntityRow,
    FootnoteRow,
    IssueRow,
    LinkRotRow,
    NoteSplit,
    ParsedDocument,
    Status,
    UrlCheck,
    UrlCheckRow,
    UrlCheckSet,
    UrlHistoryRow,
    WorstLink,
)

M = TypeVar("M", bound=BaseModel)

# --- the dataset as one unit ------------------------------------------------------------------
#
# Renaming files one by one cannot replace several tables at once: a crash between two renames
# would leave new documents.parquet next to old claims.parquet. So each dataset is written
# into its own version folder, and ``<out>/<table>.parquet`` are symlinks through
# ``<out>/.versions/current``, itself a symlink that one rename switches to the new version.

VERSIONS_DIR = ".versions"
CURRENT = "current"


def _versions(out_dir: Path) -> Path:
    return out_dir / VERSIONS_DIR


def current_version(out_dir: Path) -> Path | None:
    """The folder holding the published dataset, if one has been published this way."""
    link = _versions(out_dir) / CURRENT
    if not link.is_symlink():
        return None
    return _versions(out_dir) / os.readlink(link)


def _replace_with_symlink(path: Path, target: str) -> None:
    """Point ``path`` at ``target`` in one rename, whatever ``path`` was (file, link, nothing)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = create_temp(path.parent, path.name)
    tmp.unlink()
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    finally:
        if tmp.is_symlink():
            tmp.unlink()


def _adopt_plain_files(out_dir: Path, names: Iterable[str]) -> None:
    """Move a dataset written as plain files (older versions) under ``.versions`` unchanged.

    Each file is hard-linked into the current version and then replaced by a symlink to that
    same content, so readers see no change and the next switch replaces every table at once.
    """
    plain = [n for n in names if (out_dir / n).is_file() and not (out_dir / n).is_symlink()]
    if not plain:
        return
    current = current_version(out_dir)
    if current is None:
        current = _versions(out_dir) / f"v{time.time_ns()}-{os.getpid()}"
        current.mkdir(parents=True)
        _replace_with_symlink(_versions(out_dir) / CURRENT, current.name)
    for name in plain:
        # the plain file is what readers see now, so it wins over what ``current`` holds
        tmp = create_temp(current, name)
        tmp.unlink()
        try:
            os.link(out_dir / name, tmp)
        except OSError:  # no hard links on this file system
            shutil.copy2(out_dir / name, tmp)
        os.replace(tmp, current / name)
        _replace_with_symlink(out_dir / name, f"{VERSIONS_DIR}/{CURRENT}/{name}")
    fsync_dir(current)
    fsync_dir(out_dir)


def _version_key(name: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"v(\d+)-(\d+)", name)
    return (int(m[1]), int(m[2])) if m else None


def prune_versions(out_dir: Path, keep: Iterable[str] = (), *, unfinished_only: bool = False) -> list[str]:
    """Delete version folders nobody needs: not current, not in ``keep``, writer not alive.

    With ``unfinished_only``, only those started after the current one (never published: the
    writer died before its switch) are deleted, and replaced versions are left for readers.
    """
    root = _versions(out_dir)
    if not root.is_dir():
        return []
    current = current_version(out_dir)
    current_key = _version_key(current.name) if current else None
    protect = {*keep, current.name if current else ""}
    removed = []
    for folder in sorted(root.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or folder.name in protect:
            continue
        key = _version_key(folder.name)
        if key is not None and key[1] != os.getpid() and pid_alive(key[1]):
            continue  # another process is writing its version right now
        if unfinished_only and current_key is not None and (key is None or key < current_key):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed


@contextmanager
def dataset_version(out_dir: Path, names: Sequence[str]) -> Iterator[Path]:
    """Yield a new, private folder to write the files ``names`` into; publish them all at once.

    On success ``<out_dir>/<name>`` for every name switches to the new files in a single
    rename; on any error, or if the process dies, readers keep seeing the previous dataset.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    _adopt_plain_files(out_dir, names)
    previous = current_version(out_dir)
    stage = _versions(out_dir) / f"v{time.time_ns()}-{os.getpid()}"
    stage.mkdir(parents=True)
    try:
        yield stage
        missing = [n for n in names if not (stage / n).exists()]
        if missing:
            raise DatasetError(f"dataset version is missing {', '.join(missing)}")
        fsync_dir(stage)
        # links for tables new in this version dangle until the switch, like an absent file
        for name in names:
            _replace_with_symlink(out_dir / name, f"{VERSIONS_DIR}/{CURRENT}/{name}")
        _replace_with_symlink(_versions(out_dir) / CURRENT, stage.name)
        fsync_dir(_versions(out_dir))
    except BaseException:
        if current_version(out_dir) != stage:
            shutil.rmtree(stage, ignore_errors=True)
        raise
    # the version just replaced stays one round for readers that resolved it a moment ago
    prune_versions(out_dir, keep=[previous.name] if previous else [])


# ---------------------------------------------------------------------------------------------
# Per-document state between steps
# ---------------------------------------------------------------------------------------------


class DocumentStore:
    """Step records of each document as JSON files: ``<state>/docs/<doc_id>/<step>.json``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, step: str, doc_id: str) -> Path:
        return self.root / "docs" / doc_id / f"{step}.json"

    def save(self, step: str, doc_id: str, record: BaseModel) -> Path:
        path = self.path(step, doc_id)
        write_text(path, record.model_dump_json())
        return path

    def load(self, step: str, doc_id: str, model: type[M]) -> M | None:
        path = self.path(step, doc_id)
        if not path.exists():
            return None
        return model.model_validate_json(path.read_bytes())

    def doc_ids(self) -> list[str]:
        folder = self.root / "docs"
        return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.exists() else []

    def remove(self, doc_id: str) -> None:
        folder = self.root / "docs" / doc_id
        if folder.exists():
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


def document_rows(doc: ParsedDocument, split: NoteSplit | None, claims: ClaimSet | None) -> DocumentRow:
    status, error = doc.status, doc.error
    if status != DocumentStatus.FAILED and (split is None or claims is None):
        from pipeline.core.footnotes import quality_problems

        problems = quality_problems(split) if split is not None else []
        reason = "; ".join(problems) if problems else "a later step has not run for this version"
        status = DocumentStatus.DEGRADED
        error = f"{error}; " if error else ""
        error += f"parse-quality check failed ({reason}); claims were not extracted" if problems else reason
    return DocumentRow(
        doc_id=doc.doc_id,
        source_path=doc.source_path,
        sha256=doc.sha256,
        title=doc.title,
        pages=doc.pages,
        status=status,
        error=error,
        error_code=doc.error_code,
        kind=doc.kind,
        footnotes=len(split.notes) if split else 0,
        markers=len(split.markers) if split else 0,
        claims=len(claims.claims) if claims else 0,
        warnings=doc.warnings,
    )


def footnote_rows(split: NoteSplit) -> list[FootnoteRow]:
    return [
        FootnoteRow(
            doc_id=split.doc_id,
            number=n.number,
            text=n.text,
            page=n.page,
            urls=[u.url for u in n.urls],
            raw_urls=[u.raw_url for u in n.urls],
            url_alternatives=[a for u in n.urls for a in u.alternatives],
            has_marker=n.has_marker,
        )
        for n in split.notes
    ]


def issue_rows(split: NoteSplit) -> list[IssueRow]:
    return [
        IssueRow(doc_id=split.doc_id, kind=i.kind, number=i.number, detail=i.detail) for i in split.issues
    ]


def citation_rows(cits: CitationSet) -> list[CitationRow]:
    return [CitationRow(doc_id=cits.doc_id, **c.model_dump()) for c in cits.citations]


def claim_rows(claims: ClaimSet) -> tuple[list[ClaimRow], list[EntityRow]]:
    """Claims, and their entity mentions linked to the document's entity index."""
    from pipeline.core.nlp import INDEXED_LABELS, canonical_key, entity_id

    names = {r.entity_id: r.text for r in entity_index_rows(claims)}
    rows, ents = [], []
    for c in claims.claims:
        data = c.model_dump(exclude={"entities"})
        rows.append(ClaimRow(doc_id=claims.doc_id, **data))
        for e in c.entities:
            eid = entity_id(claims.doc_id, canonical_key(e.text)) if e.label in INDEXED_LABELS else None
            ents.append(
                EntityRow(
                    doc_id=claims.doc_id,
                    claim_id=c.claim_id,
                    **e.model_dump(),
                    entity_id=eid if eid in names else None,
                    canonical=names.get(eid or ""),
                )
            )
    return rows, ents


def entity_index_rows(claims: ClaimSet) -> list[EntityIndexRow]:
    """The document's named entities, variants merged, with the claims that mention them."""
    from pipeline.core.nlp import index_entities

    return index_entities(claims.doc_id, claims.claims)


def claim_source_rows(
    claims: ClaimSet, cits: CitationSet | None, checks: Mapping[str, UrlCheck]
) -> list[ClaimSourceRow]:
    """One row per (cited claim, citation, URL), with the URL's latest status.

    Repeats (Ibid., supra, short forms) without URLs of their own lead to the URLs of the full
    citation they repeat. A cited claim keeps a row when its citations have no URL (url null)
    and when its note was not found (citation null): nothing a fact-checker should see is dropped.
    """
    by_note: dict[int, list[Citation]] = {}
    by_id: dict[str, Citation] = {}
    for c in cits.citations if cits else []:
        by_note.setdefault(c.footnote_number, []).append(c)
        by_id[c.citation_id] = c
    rows: list[ClaimSourceRow] = []
    for claim in claims.claims:
        for number in claim.footnote_numbers:
            base = {
                "doc_id": claims.doc_id,
                "claim_id": claim.claim_id,
                "claim_text": claim.text,
                "page": claim.page,
                "footnote_number": number,
            }
            notes = by_note.get(number, [])
            if not notes:
                rows.append(
                    ClaimSourceRow(
                        **base,
                        citation_id=None,
                        citation_position=None,
                        citation_kind=None,
                        source_citation_id=None,
                        citation_text=None,
                    )
                )
            for cit in notes:
                source = by_id.get(cit.refers_to or "", cit) if not cit.urls else cit
                fields = {
                    "citation_id": cit.citation_id,
                    "citation_position": cit.position,
                    "citation_kind": cit.kind,
                    "source_citation_id": source.citation_id if source.kind == "full" else None,
                    "citation_text": cit.raw_text,
                    "authors": source.authors,
                    "title": source.title,
                    "container": source.container,
                    "published": source.published,
                }
                for url in source.urls or [None]:
                    check = checks.get(url) if url else None
                    rows.append(
                        ClaimSourceRow(
                            **base,
                            **fields,
                            url=url,
                            url_status=check.status.value if check else None,
                            http_status=check.http_status if check else None,
                            final_url=check.final_url if check else None,
                            checked_at=check.checked_at if check else None,
                            archive_url=check.archive_url if check else None,
                        )
                    )
    return rows


# ---------------------------------------------------------------------------------------------
# Link health summaries (the UI's tables)
# ---------------------------------------------------------------------------------------------

#: worst first. Everything from UNVERIFIED on is not evidence of rot.
SEVERITY: tuple[Status, ...] = (
    Status.DEAD,
    Status.SOFT_404,
    Status.REDIRECT_TO_ROOT,
    Status.SERVER_ERROR,
    Status.DNS_ERROR,
    Status.CONNECTION_ERROR,
    Status.TLS_ERROR,
    Status.TIMEOUT,
    Status.BLOCKED,
    Status.RATE_LIMITED,
    Status.INVALID_URL,
    Status.UNSUPPORTED_SCHEME,
    Status.REFUSED_PRIVATE,
    Status.UNVERIFIED,
    Status.REDIRECTED,
    Status.OK,
)
AGE_BANDS: tuple[tuple[str, float], ...] = (
    ("under 1 year", 1),
    ("1-2 years", 2),
    ("2-5 years", 5),
    ("5-10 years", 10),
    ("10+ years", float("inf")),
)
UNKNOWN_AGE = "date unknown"


def rank_worst_links(
    checks: Iterable[UrlCheck | UrlCheckRow], sources: Iterable[ClaimSourceRow], limit: int = 10
) -> list[WorstLink]:
    """The links that are not known to be alive, worst first, with the claims citing them.

    Confirmed deaths come before unconfirmed ones; within a status, the most cited first.
    """
    citing: dict[str, list[ClaimSourceRow]] = defaultdict(list)
    for row in sources:
        if row.url:
            citing[row.url].append(row)
    bad = [c for c in checks if Status(c.status) not in REACHABLE]

    def key(c: UrlCheck | UrlCheckRow) -> tuple[int, bool, int, str]:
        claims = {r.claim_id for r in citing.get(c.url, [])}
        return SEVERITY.index(Status(c.status)), not c.confirmed, -len(claims), c.url

    out = []
    for c in sorted(bad, key=key)[:limit]:
        rows = citing.get(c.url, [])
        out.append(
            WorstLink(
                url=c.url,
                status=c.status,
                confirmed=c.confirmed,
                http_status=c.http_status,
                archive_url=c.archive_url,
                doc_ids=sorted({r.doc_id for r in rows}),
                footnote_numbers=sorted({r.footnote_number for r in rows}),
                claims=list(dict.fromkeys(r.claim_text for r in rows)),
            )
        )
    return out


def _domain(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    host = host.lower().removeprefix("www.")
    return host or "(no host)"


def _published(value: str | None) -> date | None:
    """The first day of an ISO date that may give only a year or a month."""
    if not value:
        return None
    parts = value.split("-")
    try:
        return date(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None


def _age_band(published: date | None, checked: datetime | None, now: datetime) -> str:
    if published is None:
        return UNKNOWN_AGE
    years = ((checked or now).date() - published).days / 365.25
    return next(name for name, upper in AGE_BANDS if years < upper)


def _rot_rows(
    groups: Mapping[str, Sequence[str | None]], order: Sequence[str] | None = None
) -> list[LinkRotRow]:
    rows = []
    for group, statuses in groups.items():
        known = [Status(s) if s else Status.UNVERIFIED for s in statuses]
        alive = sum(1 for s in known if s in REACHABLE)
        rotten = sum(1 for s in known if s in ROTTEN)
        rows.append(
            LinkRotRow(
                group=group,
                links=len(known),
                alive=alive,
                rotten=rotten,
                undetermined=len(known) - alive - rotten,
                rot_share=round(rotten / (alive + rotten), 3) if alive + rotten else None,
            )
        )
    if order is not None:
        return sorted(rows, key=lambda r: order.index(r.group))
    return sorted(rows, key=lambda r: (-r.rotten, -r.links, r.group))


def summarize_link_rot(
    sources: Iterable[ClaimSourceRow], now: datetime | None = None
) -> tuple[list[LinkRotRow], list[LinkRotRow]]:
    """Link rot by domain (each URL once) and by citation age (each cited source and URL once).

    The age of a citation is the time between its ``published`` date and the URL's check
    (or ``now`` if it was never checked).
    """
    now = now or datetime.now(UTC)
    by_url: dict[str, str | None] = {}
    by_source: dict[tuple[str, str], tuple[str | None, date | None, datetime | None]] = {}
    for row in sources:
        if not row.url:
            continue
        by_url[row.url] = row.url_status
        source = row.source_citation_id or row.citation_id or row.claim_id
        by_source[(source, row.url)] = (row.url_status, _published(row.published), row.checked_at)
    domains: dict[str, list[str | None]] = defaultdict(list)
    for url, status in by_url.items():
        domains[_domain(url)].append(status)
    ages: dict[str, list[str | None]] = defaultdict(list)
    for status, published, checked in by_source.values():
        ages[_age_band(published, checked, now)].append(status)
    order = [name for name, _ in AGE_BANDS] + [UNKNOWN_AGE]
    return _rot_rows(domains), _rot_rows(ages, order)


def url_check_rows(checks: Iterable[UrlCheck]) -> list[UrlCheckRow]:
    fields = set(UrlCheckRow.model_fields)
    return [UrlCheckRow(**{k: v for k, v in c.model_dump().items() if k in fields}) for c in checks]


def url_history_rows(checks: Iterable[UrlCheck]) -> list[UrlHistoryRow]:
    """One row per recorded check (unchecked results have no time and are left out), by URL and time."""
    fields = set(UrlHistoryRow.model_fields)
    unique = {(c.url, c.checked_at): c for c in checks if c.checked_at is not None}
    return [
        UrlHistoryRow(**{k: v for k, v in c.model_dump().items() if k in fields})
        for _, c in sorted(unique.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    ]


@typing.no_type_check
def build_tables(
    records: Iterable[
        tuple[ParsedDocument, NoteSplit | None, CitationSet | None, ClaimSet | None, UrlCheckSet | None]
    ],
) -> dict[str, list[BaseModel]]:
    """All rows of every table from the step records of each document.

    A step record is used only if it was made from the same file content as the parsed document
    (same sha256): stale results of an older version never mix with new ones.
    """
    tables: dict[str, list[BaseModel]] = {name: [] for name in TABLES}
    checks: dict[str, UrlCheck] = {}
    history: list[UrlCheck] = []
    cited: list[tuple[ClaimSet, CitationSet | None]] = []
    for doc, split, cits, claims, urls in records:
        split = split if split and split.sha256 == doc.sha256 else None
        cits = cits if cits and cits.sha256 == doc.sha256 else None
        claims = claims if claims and claims.sha256 == doc.sha256 else None
        tables["documents"].append(document_rows(doc, split, claims))
        if split:
            tables["footnotes"] += footnote_rows(split)
            tables["issues"] += issue_rows(split)
        if cits:
            tables["citations"] += citation_rows(cits)
        if claims:
            rows, ents = claim_rows(claims)
            tables["claims"] += rows
            tables["entities"] += ents
            tables["entity_index"] += entity_index_rows(claims)
            cited.append((claims, cits))
        if urls and urls.sha256 == doc.sha256:
            history += urls.history
            for c in urls.checks:
                prev = checks.get(c.url)
                if prev is None or (
                    c.checked_at and (prev.checked_at is None or c.checked_at > prev.checked_at)
                ):
                    checks[c.url] = c
    tables["url_checks"] = url_check_rows(sorted(checks.values(), key=lambda c: c.url))
    tables["url_history"] = url_history_rows(history)
    for claims, cits in cited:  # after every document: a URL's status is its latest check anywhere
        tables["claim_sources"] += claim_source_rows(claims, cits, checks)
    for name in ("documents",):
        tables[name].sort(key=lambda r: r.doc_id)
    return tables


# ---------------------------------------------------------------------------------------------
# Arrow schemas from the row models
# ---------------------------------------------------------------------------------------------


def _arrow_type(annotation: Any) -> tuple[pa.DataType, bool]:
    """(arrow type, nullable) for a model field annotation."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = _arrow_type(args[0])
        return inner, True
    if origin in (list, Sequence):
        (item,) = typing.get_args(annotation)
        inner, _ = _arrow_type(item)
        return pa.list_(inner), False
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return pa.bool_(), False
        if issubclass(annotation, int):
            return pa.int64(), False
        if issubclass(annotation, float):
            return pa.float64(), False
        if issubclass(annotation, datetime):
            return pa.timestamp("us", tz="UTC"), False
        if issubclass(annotation, str | Enum):
            return pa.string(), False
    raise DatasetError(f"no Arrow type for {annotation!r}")


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    fields = []
    hints = typing.get_type_hints(model)
    for name, info in model.model_fields.items():
        typ, nullable = _arrow_type(hints[name])
        fields.append(
            pa.field(name, typ, nullable=nullable, metadata={"description": info.description or ""})
        )
    return pa.schema(fields, metadata={"schema_version": SCHEMA_VERSION, "model": model.__name__})


def to_arrow(model: type[BaseModel], rows: Sequence[BaseModel]) -> pa.Table:
    schema = arrow_schema(model)
    columns: dict[str, list[Any]] = {f.name: [] for f in schema}
    for row in rows:
        data = row.model_dump(mode="python")
        for name in columns:
            value = data[name]
            columns[name].append(value.value if isinstance(value, Enum) else value)
    return pa.Table.from_pydict(columns, schema=schema)


def write_parquet(path: Path, table: pa.Table) -> None:
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def write_schemas(folder: Path) -> list[Path]:
    """``<folder>/<table>.json``: JSON Schema of each table, generated from the row models."""
    paths = []
    for name, model in TABLES.items():
        schema = model.model_json_schema()
        schema["$id"] = f"footnote-pipeline/{SCHEMA_VERSION}/{name}.json"
        schema["x-schema-version"] = SCHEMA_VERSION
        path = folder / f"{name}.json"
        write_text(path, json.dumps(schema, indent=2, sort_keys=True) + "\n")
        paths.append(path)
    return paths


DUCKDB_FILE = "claims.duckdb"


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


def check_contract(out_dir: Path) -> list[str]:
    """Differences between the Parquet files in ``out_dir`` and the row models (empty when they match)."""
    problems = []
    for name, model in TABLES.items():
        path = out_dir / f"{name}.parquet"
        if not path.exists():
            problems.append(f"{name}: {path.name} is missing")
            continue
        actual = pq.read_schema(path)
        for want in arrow_schema(model):
            if want.name not in actual.names:
                problems.append(f"{name}.{want.name}: column missing")
            elif not actual.field(want.name).type.equals(want.type):
                problems.append(
                    f"{name}.{want.name}: type {actual.field(want.name).type}, contract says {want.type}"
                )
    return problems


def write_duckdb(path: Path, tables: Mapping[str, pa.Table]) -> None:
    """A DuckDB file holding a copy of every table (not views over Parquet paths, so the file keeps
    working when the folder is moved or only the file is shared), built aside and renamed in."""
    import duckdb

    with atomic_path(path) as tmp:
        tmp.unlink()  # DuckDB creates its own file; an empty one is not a database
        try:
            con = duckdb.connect(str(tmp))
            try:
                for name, table in tables.items():
                    con.register("_incoming", table)
                    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
                    con.unregister("_incoming")
                con.execute("CHECKPOINT")
            finally:
                con.close()
        except duckdb.Error as exc:
            raise DatasetError(f"could not write {path.name}: {exc}") from exc
        wal = tmp.with_name(tmp.name + ".wal")
        if wal.exists():
            raise DatasetError(f"{path.name}: DuckDB left a write-ahead log; the file may be incomplete")


def read_table(out_dir: Path, name: str) -> list[dict[str, Any]]:
    return pq.read_table(out_dir / f"{name}.parquet").to_pylist()


def safe_key(name: str) -> str:
    """A Dagster-safe, stable partition key from a file name (relative path under raw/)."""
    key = re.sub(r"[^A-Za-z0-9._-]+", "_", name.replace("/", "__")).strip("._-") or "document"
    if len(key) > 120 or key != name.replace("/", "__"):
        import hashlib

        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        key = f"{key[:110]}-{digest}"
    return key


def failed_document(
    doc_id: str, source_path: str, sha256: str, kind: str, code: str, error: str
) -> ParsedDocument:
    return ParsedDocument(
        doc_id=doc_id,
        source_path=source_path,
        sha256=sha256,
        kind="pdf" if kind == "pdf" else "txt",
        status=DocumentStatus.FAILED,
        error=error,
        error_code=code,
    )


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------

SUFFIXES = (".pdf", ".txt")


class SourceFile(BaseModel):
    """A document in raw/: ``key`` is its partition key and ``doc_id``."""

    key: str
    relative: str
    path: Path
    kind: str
    size: int
    mtime_ns: int


def list_sources(raw_dir: Path) -> list[SourceFile]:
    """Every .pdf and .txt file under ``raw_dir`` (recursively, hidden files skipped), sorted."""
    if not raw_dir.is_dir():
        return []
    out = []
    for path in sorted(raw_dir.rglob("*")):
        rel = path.relative_to(raw_dir).as_posix()
        if path.suffix.lower() not in SUFFIXES or any(part.startswith(".") for part in rel.split("/")):
            continue
        if not path.is_file():
            continue
        st = path.stat()
        out.append(
            SourceFile(
                key=safe_key(rel),
                relative=rel,
                path=path,
                kind=path.suffix.lower()[1:],
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
            )
        )
    return out


class SourceState(BaseModel):
    sha256: str
    size: int
    mtime_ns: int


class SourceScan(BaseModel):
    """What changed in raw/ since the last scan. ``state`` is the new cursor content."""

    changed: list[tuple[SourceFile, str]]  # (file, sha256) new or with new content
    deleted: list[str]
    state: dict[str, SourceState]
    deferred: int = 0


def scan_sources(
    raw_dir: Path, previous: Mapping[str, SourceState], *, limit: int, time_budget: float = 40.0
) -> SourceScan:
    """Compare raw/ with the last scan: by size and mtime first, by content hash when those moved.

    At most ``limit`` changed files are reported; the rest (and files not hashed within the
    time budget) stay out of ``state`` so the next scan reports them.
    """
    import time

    from pipeline.core.fileio import hash_file

    started = time.monotonic()
    sources = list_sources(raw_dir)
    state: dict[str, SourceState] = {}
    changed: list[tuple[SourceFile, str]] = []
    deferred = 0
    for src in sources:
        prev = previous.get(src.key)
        if prev is not None and prev.size == src.size and prev.mtime_ns == src.mtime_ns:
            state[src.key] = prev
            continue
        if len(changed) >= limit or time.monotonic() - started > time_budget:
            deferred += 1
            if prev is not None:
                state[src.key] = prev
            continue
        sha = hash_file(src.path)
        if prev is not None and prev.sha256 == sha:
            state[src.key] = SourceState(sha256=sha, size=src.size, mtime_ns=src.mtime_ns)  # touched only
            continue
        changed.append((src, sha))
        state[src.key] = SourceState(sha256=sha, size=src.size, mtime_ns=src.mtime_ns)
    present = {s.key for s in sources}
    deleted = sorted(k for k in previous if k not in present)
    return SourceScan(changed=changed, deleted=deleted, state=state, deferred=deferred)
