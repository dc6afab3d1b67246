"""Corpus-wide tables and summaries, computed by DuckDB (over the parts, and over claims.duckdb).

Nothing here loads every document's rows into Python: the URL checks of all documents are merged
in SQL (the latest check of each URL wins; on a tie the first document, as ``rows.latest_checks``),
and the link health summaries read only the rows that can be in them (bad links, candidate claims
at risk, one row per URL and citing date), then apply the rules of ``link_health`` unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from pipeline.core.dataset import duckfile
from pipeline.core.dataset.arrow import arrow_schema, to_arrow, write_parquet
from pipeline.core.dataset.link_health import (
    SEVERITY,
    SHOWN,
    CitingRows,
    ClaimAtRisk,
    LinkRotRow,
    WorstLink,
    claims_at_risk,
    summarize_link_rot,
    worst_link,
)
from pipeline.core.dataset.parts import RAW_CHECKS, RAW_HISTORY, corpus_part
from pipeline.core.errors import DatasetError
from pipeline.core.fileio import atomic_path
from pipeline.core.models import (
    REACHABLE,
    ROTTEN,
    TABLES,
    ClaimSourceRow,
    Evidence,
    Status,
    UrlCheckRow,
    UrlHistoryRow,
)

#: the columns of a URL's check that its claim_sources rows repeat
CHECK_FIELDS = ("status", "http_status", "final_url", "checked_at", "archive_url")
PREVIEWS = ("documents", "claims", "url_checks", "claim_sources", "entity_index")
PREVIEW_ROWS = 5


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@contextmanager
def connect() -> Iterator[Any]:
    """An in-memory DuckDB, times in UTC."""
    with _connected(None) as con:
        yield con


@contextmanager
def connect_database(path: Path) -> Iterator[Any]:
    """A version's claims.duckdb, read-only: one file, so a query does not open every part."""
    with _connected(path) as con:
        yield con


@contextmanager
def _connected(path: Path | None) -> Iterator[Any]:
    """DuckDB in memory, or ``path`` read-only; times in UTC; its errors as ``DatasetError``."""
    import duckdb

    con = duckfile.connect(path, read_only=path is not None)
    try:
        con.execute("SET TimeZone = 'UTC'")  # times come back in UTC, as the rows hold them
        yield con
    except duckdb.Error as exc:
        raise DatasetError(f"dataset query failed: {exc}") from exc
    finally:
        con.close()


def _arrow(con: Any, sql: str, params: list[Any] | None = None) -> pa.Table:
    return con.sql(sql, params=params).to_arrow_table()


def write_raw_checks(
    stage: Path, previous: Path | None, kept: Iterable[str], fresh: Mapping[str, Path]
) -> None:
    """A new version's ``_checks.parquet`` and ``_history.parquet``: the rows of the documents
    ``kept`` from the ``previous`` version, then those in ``fresh[kind]``, the file of the
    documents written now (``parts.FreshChecks``); both streamed by DuckDB, never all in memory."""
    keep = pa.table({"_doc": pa.array(sorted(kept), pa.string())})
    with connect() as con:
        con.register("kept_docs", keep)
        for kind in (RAW_CHECKS, RAW_HISTORY):
            source = f"SELECT * FROM read_parquet({_quote(fresh[kind])})"
            if previous is not None and keep.num_rows:
                source = (
                    f"SELECT * FROM read_parquet({_quote(previous / kind)})"
                    f" WHERE _doc IN (SELECT _doc FROM kept_docs) UNION ALL BY NAME {source}"
                )
            con.execute(f"COPY ({source}) TO {_quote(stage / kind)} (FORMAT parquet)")


#: rows of a corpus table streamed from DuckDB at a time (to its part, or to a summary)
STREAM_ROWS = 10_000
#: the claims at risk a version's summary names (it counts them all)
AT_RISK_SHOWN = 20


def _stream_to_part(con: Any, sql: str, path: Path, schema: pa.Schema) -> None:
    """Write the rows of ``sql`` to the Parquet file ``path`` with the contract's ``schema``,
    ``STREAM_ROWS`` at a time: a corpus table is never all in memory."""
    reader = con.sql(sql).to_arrow_reader(STREAM_ROWS)
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch.select(schema.names).cast(schema))


def write_merged_checks(root: Path) -> None:
    """The ``url_checks`` and ``url_history`` parts of the version in ``root``, merged by SQL
    from the raw checks of its documents (``_checks.parquet``, ``_history.parquet``)."""
    checks_file, history_file = root / RAW_CHECKS, root / RAW_HISTORY
    targets = {name: corpus_part(root, name) for name in ("url_checks", "url_history")}
    if not checks_file.is_file():
        write_parquet(targets["url_checks"], to_arrow(UrlCheckRow, []))
        write_parquet(targets["url_history"], to_arrow(UrlHistoryRow, []))
        return
    with connect() as con:
        _stream_to_part(
            con,
            f"""SELECT * EXCLUDE (_doc, _ord, _rn) FROM (
                  SELECT *, row_number() OVER (
                    PARTITION BY url ORDER BY checked_at DESC NULLS LAST, _doc, _ord) AS _rn
                  FROM read_parquet({_quote(checks_file)}))
                WHERE _rn = 1 ORDER BY url""",
            targets["url_checks"],
            arrow_schema(UrlCheckRow),
        )
        _stream_to_part(
            con,
            f"""SELECT * EXCLUDE (_doc, _ord, _rn) FROM (
                  SELECT *, row_number() OVER (
                    PARTITION BY url, checked_at ORDER BY _doc DESC, _ord DESC) AS _rn
                  FROM read_parquet({_quote(history_file)}))
                WHERE _rn = 1 ORDER BY url, checked_at""",
            targets["url_history"],
            arrow_schema(UrlHistoryRow),
        )


def changed_urls(old: Path, new: Path) -> set[str]:
    """URLs whose check, as far as claim_sources rows repeat it, differs between two versions'
    ``url_checks`` parts; compared in SQL, so neither is loaded into Python. Without ``old``,
    every URL of ``new`` is new."""
    facts = ", ".join(CHECK_FIELDS)
    with connect() as con:
        if not old.is_file():
            return {r[0] for r in con.sql(f"SELECT url FROM read_parquet({_quote(new)})").fetchall()}
        rows = con.sql(
            f"""SELECT coalesce(o.url, n.url) FROM
                  (SELECT url, ({facts}) AS f FROM read_parquet({_quote(old)})) o
                  FULL OUTER JOIN (SELECT url, ({facts}) AS f FROM read_parquet({_quote(new)})) n
                  ON o.url = n.url
                WHERE o.url IS NULL OR n.url IS NULL OR o.f IS DISTINCT FROM n.f"""
        ).fetchall()
    return {r[0] for r in rows}


def check_lookup(part: Path, urls: Iterable[str]) -> dict[str, UrlCheckRow]:
    """URL -> its check in the ``url_checks`` part ``part``, for ``urls`` only, holding what
    claim_sources rows repeat (for ``claim_source_rows``)."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    with connect() as con:
        table = _arrow(
            con,
            f"""SELECT url, {", ".join(CHECK_FIELDS)} FROM read_parquet({_quote(part)})
                WHERE url IN (SELECT unnest($1::VARCHAR[]))""",
            [wanted],
        )
    out = {}
    for row in table.to_pylist():
        row["status"] = Status(row["status"])
        out[row["url"]] = UrlCheckRow.model_construct(**row)
    return out


def documents_citing(database: Path, urls: Iterable[str]) -> set[str]:
    """Documents in ``database`` (a version's claims.duckdb) whose claim sources or notes cite any
    of ``urls`` (their claim_sources rows and reports show the URL's latest check)."""
    urls = sorted(set(urls))
    if not urls:
        return set()
    with connect_database(database) as con:
        rows = con.sql(
            """SELECT doc_id FROM claim_sources WHERE url IN (SELECT unnest($1::VARCHAR[]))
               UNION SELECT doc_id FROM footnotes WHERE list_has_any(urls, $1::VARCHAR[])""",
            params=[urls],
        ).fetchall()
    return {r[0] for r in rows}


@dataclass(frozen=True)
class Summaries:
    """What the UI shows of a version: counts, first rows, link health."""

    counts: dict[str, int]
    previews: dict[str, list[BaseModel]]
    worst_links: list[WorstLink]
    link_rot_by_domain: list[LinkRotRow]
    link_rot_by_age: list[LinkRotRow]
    #: the first ``AT_RISK_SHOWN`` claims at risk, in document order, and the count of all
    at_risk: list[ClaimAtRisk]
    at_risk_count: int
    #: per claim and URL, what its page holds (Evidence value -> count)
    evidence: dict[str, int] = field(default_factory=dict)


def _rows(con: Any, model: type[BaseModel], sql: str, params: list[Any] | None = None) -> list[Any]:
    table = _arrow(con, sql, params)
    names = [n for n in table.column_names if n in model.model_fields]
    return [model.model_validate(r) for r in table.select(names).to_pylist()]


def _citing(con: Any, urls: list[str]) -> dict[str, CitingRows]:
    """What ``rank_worst_links`` names of the claim sources citing each of ``urls`` (``SHOWN`` of
    each list, and the counts), aggregated in SQL: only that much is loaded, however many cite them."""
    if not urls:
        return {}
    found = {
        url: CitingRows(doc_ids=docs, footnote_numbers=notes, citing_documents=n_docs, citing_claims=n_claims)
        for url, n_docs, n_claims, docs, notes in con.sql(
            """SELECT url, count(DISTINCT doc_id), count(DISTINCT claim_id),
                      list_sort(list_distinct(list(doc_id)))[1:$2],
                      list_sort(list_distinct(list(footnote_number)))[1:$2]
               FROM claim_sources WHERE url IN (SELECT unnest($1::VARCHAR[])) GROUP BY url""",
            params=[urls, SHOWN],
        ).fetchall()
    }
    # the claims' texts in document order, each once (dict.fromkeys in rank_worst_links)
    for url, text in con.sql(
        """SELECT url, claim_text FROM (
             SELECT url, claim_text, min(ord) AS first FROM (
               SELECT url, claim_text, row_number() OVER (ORDER BY doc_id, rowid) AS ord
               FROM claim_sources WHERE url IN (SELECT unnest($1::VARCHAR[])))
             GROUP BY url, claim_text)
           QUALIFY row_number() OVER (PARTITION BY url ORDER BY first) <= $2
           ORDER BY url, first""",
        params=[urls, SHOWN],
    ).fetchall():
        found[url].claims.append(text)
    return found


def _stream(con: Any, sql: str, params: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``sql`` as dicts, fetched ``STREAM_ROWS`` at a time."""
    for batch in con.sql(sql, params=params).to_arrow_reader(STREAM_ROWS):
        yield from batch.to_pylist()


def _claims_at_risk(con: Any, rotten: list[str], drifted: list[str]) -> tuple[list[ClaimAtRisk], int]:
    """The first ``AT_RISK_SHOWN`` claims at risk and the count of all, by ``claims_at_risk``'s rule
    applied to one claim's rows at a time: SQL picks the claims that can be at risk and streams
    their rows claim by claim, in document order, so memory does not grow with how many are."""
    rows = _stream(
        con,
        """SELECT * EXCLUDE (_first, _row) FROM (
             SELECT *, rowid AS _row, min(rowid) OVER (PARTITION BY doc_id, claim_id) AS _first
             FROM claim_sources WHERE claim_id IN (
               SELECT claim_id FROM claim_sources WHERE citation_kind IS DISTINCT FROM 'commentary'
               GROUP BY claim_id HAVING bool_and(url IS NOT NULL) AND bool_and(
                 evidence = 'not_found' OR url_status IN (SELECT unnest($1::VARCHAR[]))
                 OR url IN (SELECT unnest($2::VARCHAR[])))))
           ORDER BY doc_id, _first, _row""",
        [rotten, drifted],
    )
    shown: list[ClaimAtRisk] = []
    count = 0
    drifted_urls = frozenset(drifted)  # once, not per claim
    for _, claim_rows in groupby(rows, key=lambda r: (r["doc_id"], r["claim_id"])):
        found = claims_at_risk([ClaimSourceRow.model_validate(r) for r in claim_rows], drifted_urls)
        count += len(found)
        shown.extend(found[: AT_RISK_SHOWN - len(shown)])
    return shown, count


def summarize(database: Path, worst: int) -> Summaries:
    """Counts, previews and link health of a version, from SQL over its claims.duckdb (rows in
    part order: by document, then as its part holds them, which ``rowid`` keeps)."""
    reachable = [s.value for s in REACHABLE]
    rotten = [s.value for s in ROTTEN]
    with connect_database(database) as con:
        counts = {name: con.sql(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in TABLES}
        order = {name: "doc_id, rowid" if name != "url_checks" else "url" for name in PREVIEWS}
        previews = {
            name: _rows(
                con, TABLES[name], f'SELECT * FROM "{name}" ORDER BY {order[name]} LIMIT {PREVIEW_ROWS}'
            )
            for name in PREVIEWS
        }
        # rank_worst_links' order, in SQL: only the links named, and what they name of their citations
        bad = _rows(
            con,
            UrlCheckRow,
            """SELECT u.* FROM url_checks u LEFT JOIN (
                 SELECT url, count(DISTINCT claim_id) AS claims FROM claim_sources GROUP BY url) c USING (url)
               WHERE u.status NOT IN (SELECT unnest($1::VARCHAR[]))
               ORDER BY list_position($2::VARCHAR[], u.status), NOT u.confirmed, -coalesce(c.claims, 0), u.url
               LIMIT $3""",
            [reachable, [s.value for s in SEVERITY], worst],
        )
        cited = _citing(con, [c.url for c in bad])
        drifted = [
            r[0]
            for r in con.sql("SELECT url FROM url_checks WHERE possible_drift OR content_changed").fetchall()
        ]
        at_risk, at_risk_count = _claims_at_risk(con, rotten, drifted)
        per_url = _stream(
            con,
            "SELECT DISTINCT url, url_status, checked_at, published FROM claim_sources WHERE url IS NOT NULL",
        )
        by_domain, by_age = summarize_link_rot(ClaimSourceRow.model_construct(**row) for row in per_url)
        evidence = dict(
            con.sql(
                """SELECT evidence, count(*) FROM (
                     SELECT DISTINCT ON (claim_id, url) claim_id, url, evidence
                     FROM claim_sources WHERE url IS NOT NULL) GROUP BY evidence"""
            ).fetchall()
        )
    return Summaries(
        counts=counts,
        previews=previews,
        worst_links=[worst_link(c, cited.get(c.url, CitingRows())) for c in bad],
        link_rot_by_domain=by_domain,
        link_rot_by_age=by_age,
        at_risk=at_risk,
        at_risk_count=at_risk_count,
        evidence={e.value: evidence.get(e.value, 0) for e in Evidence},
    )


@dataclass(frozen=True)
class RunSummaryRows:
    """What the command line prints after a run, read from the published claims.duckdb."""

    #: one per document (source_path, status, pages, footnotes, markers, claims, error), by doc_id
    documents: list[dict[str, Any]]
    #: distinct URLs by status
    links_by_status: dict[str, int]
    #: a few distinct reasons of links that could not be checked
    unverified_reasons: list[str]


def summary_rows(database: Path, reasons: int = 3) -> RunSummaryRows:
    """The run summary's rows from ``database`` (one file): reading the ``documents`` table from
    its parts opens one file per document, and took 130 MiB at 1,000 documents."""
    columns = ("source_path", "status", "pages", "footnotes", "markers", "claims", "error")
    with connect_database(database) as con:
        docs = con.execute(f"SELECT {', '.join(columns)} FROM documents ORDER BY doc_id").fetchall()
        by_status = con.execute("SELECT status, count(*) FROM url_checks GROUP BY status").fetchall()
        why = con.execute(
            "SELECT DISTINCT error FROM url_checks WHERE status = 'unverified' AND coalesce(error, '') <> ''"
            " ORDER BY error LIMIT ?",
            [reasons],
        ).fetchall()
    return RunSummaryRows(
        [dict(zip(columns, row, strict=True)) for row in docs],
        {status: count for status, count in by_status},
        [reason for (reason,) in why],
    )
