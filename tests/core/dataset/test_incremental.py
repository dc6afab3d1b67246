"""The incremental roll-up: adding, changing or deleting one document rewrites only what depends on it,
and the dataset it publishes equals a full rebuild, read back with pyarrow, pandas and DuckDB."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.core import dataset
from pipeline.core.dataset import corpus, parts
from pipeline.core.models import TABLES, Status, UrlCheck
from tests.core.dataset.example import ALIVE, CHECKED_AT, DEAD, records, save_records

KEYS = ["alpha", "bravo", "charlie"]
#: what every roll-up writes anew: the corpus tables, every document's raw checks (one file each),
#: the database and the manifest
CORPUS_FILES = {
    "url_checks.parquet/part-corpus.parquet",
    "url_history.parquet/part-corpus.parquet",
    parts.RAW_CHECKS,
    parts.RAW_HISTORY,
    "claims.duckdb",
    "_manifest.json",
}


def save(store: dataset.DocumentStore, key: str, sha: str = "s1", alive_status: Status | None = None) -> None:
    """The worked example as document ``key``; ``alive_status``: a later check of ALIVE in this one."""
    (rec,) = records(key, sha)
    assert rec.url_checks is not None
    if alive_status is not None:
        later = UrlCheck(
            url=ALIVE, status=alive_status, http_status=404, checked_at=CHECKED_AT + timedelta(days=1)
        )
        rec.url_checks.checks = [rec.url_checks.checks[0], later]
    save_records(store, key, rec)


def files(out: Path) -> dict[str, int]:
    """Every file of the published version (relative path -> inode): hard-linked parts keep theirs."""
    root = dataset.current_version(out)
    assert root is not None
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def sorted_rows(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=repr)


def assert_equals_full_rebuild(out: Path, store: dataset.DocumentStore, keys: list[str], tmp: Path) -> None:
    full = tmp / "full"
    dataset.write_dataset(full, dataset.build_tables(dataset.read_records(store, keys, [])))
    con = duckdb.connect(str(out / "claims.duckdb"), read_only=True)
    try:
        for name, model in TABLES.items():
            want = pq.read_table(full / f"{name}.parquet")
            got = ds.dataset(out / f"{name}.parquet").to_table()  # pyarrow: the folder as one table
            assert got.schema.equals(dataset.arrow_schema(model), check_metadata=False), name
            assert sorted_rows(got.to_pylist()) == sorted_rows(want.to_pylist()), name
            frame = pd.read_parquet(out / f"{name}.parquet")  # pandas: same columns and dtypes
            assert list(frame.columns) == list(model.model_fields), name
            assert dict(frame.dtypes) == dict(want.to_pandas().dtypes), name
            glob = f"read_parquet('{out / name}.parquet/*.parquet')"
            in_parts = sorted(duckdb.sql(f"SELECT * FROM {glob}").fetchall(), key=repr)
            in_file = sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            assert in_parts == in_file and len(in_file) == want.num_rows, name
    finally:
        con.close()
    assert dataset.check_contract(out) == []


def assert_summaries_match(
    published: dataset.PublishedDataset, store: dataset.DocumentStore, keys: list[str]
) -> None:
    """The link health summaries from SQL over the parts equal link_health's rules over every row."""
    tables = dataset.build_tables(dataset.read_records(store, keys, []))
    sources, checks = tables["claim_sources"], tables["url_checks"]
    assert published.worst_links == dataset.rank_worst_links(checks, sources, 20)
    at_risk = dataset.claims_at_risk(sources, dataset.drifted_urls(checks))
    assert published.at_risk == at_risk[: corpus.AT_RISK_SHOWN]
    assert published.summaries.at_risk_count == len(at_risk)
    assert (published.link_rot_by_domain, published.link_rot_by_age) == dataset.summarize_link_rot(sources)
    assert published.summaries.counts == {name: len(rows) for name, rows in tables.items()}


@pytest.fixture
def world(tmp_path):
    store = dataset.DocumentStore(tmp_path / ".state")
    for key in KEYS:
        save(store, key)
    out = tmp_path / "extracted"
    first = dataset.publish_dataset(store, KEYS, out)
    assert first.rewritten == KEYS
    assert_summaries_match(first, store, KEYS)
    return store, out


def test_the_first_roll_up_equals_a_full_rebuild(world, tmp_path):
    store, out = world
    assert_equals_full_rebuild(out, store, KEYS, tmp_path)
    assert sorted(dataset.part_documents(dataset.current_version(out))) == KEYS


def test_adding_one_document_writes_only_its_parts(world, tmp_path):
    store, out = world
    before = files(out)
    save(store, "delta", sha="s2")
    published = dataset.publish_dataset(store, [*KEYS, "delta"], out)
    after = files(out)
    assert published.rewritten == ["delta"]
    new = {f for f in after if f not in before}
    assert {f for f in new if "part-delta" in f} == {
        *(f"{name}.parquet/part-delta.parquet" for name in parts.PER_DOCUMENT),
    }
    for key in KEYS:  # the other documents' parts are the very same files
        for f in (f for f in before if f"part-{key}." in f or f"/{key}." in f):
            assert after[f] == before[f], f
    assert_equals_full_rebuild(out, store, [*KEYS, "delta"], tmp_path)


def test_changing_one_document_rewrites_its_parts_and_no_other(world, tmp_path):
    store, out = world
    before = files(out)
    save(store, "bravo", sha="s9")
    published = dataset.publish_dataset(store, KEYS, out)
    after = files(out)
    assert published.rewritten == ["bravo"]
    changed = {f for f in after if before.get(f) != after[f]}
    assert {f for f in changed if "bravo" in f} == {
        *(f"{name}.parquet/part-bravo.parquet" for name in parts.PER_DOCUMENT),
    }
    # besides bravo's parts, only the corpus tables, the database and the manifest are new
    assert {f for f in changed if "bravo" not in f} == CORPUS_FILES
    assert {r["sha256"] for r in dataset.read_table(out, "documents")} == {"s1", "s9"}
    assert_equals_full_rebuild(out, store, KEYS, tmp_path)


def test_deleting_one_document_removes_its_parts_and_rows(world, tmp_path):
    store, out = world
    published = dataset.publish_dataset(store, ["alpha", "charlie"], out)
    assert published.removed == ["bravo"] and published.rewritten == []
    assert not [f for f in files(out) if "bravo" in f]
    with duckdb.connect(str(out / "claims.duckdb"), read_only=True) as con:
        for name in parts.PER_DOCUMENT:
            assert con.execute(f"SELECT count(*) FROM \"{name}\" WHERE doc_id = 'bravo'").fetchone() == (0,)
    assert_equals_full_rebuild(out, store, ["alpha", "charlie"], tmp_path)


def test_a_later_check_in_one_document_rewrites_the_claim_sources_of_the_others_citing_it(world, tmp_path):
    """A URL's status in claim_sources is its latest check anywhere: a document that cites the URL
    gets new claim_sources rows, and nothing else of it is written."""
    store, out = world
    before = files(out)
    save(store, "delta", sha="s2", alive_status=Status.DEAD)  # checks ALIVE a day later: dead now
    published = dataset.publish_dataset(store, [*KEYS, "delta"], out)
    assert published.rewritten == [*KEYS, "delta"]
    after = files(out)
    for key in KEYS:
        assert (
            after[f"claim_sources.parquet/part-{key}.parquet"]
            != before[f"claim_sources.parquet/part-{key}.parquet"]
        )
        assert after[f"claims.parquet/part-{key}.parquet"] == before[f"claims.parquet/part-{key}.parquet"]
    alive = {r["url_status"] for r in dataset.read_table(out, "claim_sources") if r["url"] == ALIVE}
    assert alive == {"dead"}
    assert {w.url for w in published.worst_links} == {DEAD, ALIVE}
    assert_summaries_match(published, store, [*KEYS, "delta"])
    assert_equals_full_rebuild(out, store, [*KEYS, "delta"], tmp_path)


def test_an_unchanged_roll_up_writes_no_document_part(world):
    store, out = world
    before = files(out)
    published = dataset.publish_dataset(store, KEYS, out)
    assert published.rewritten == []
    after = files(out)
    assert {f for f in after if after[f] != before.get(f)} == CORPUS_FILES


def test_the_raw_checks_of_all_documents_are_one_file_carried_from_version_to_version(world, tmp_path):
    """A roll-up reads one file of raw checks, not one per document (whose cost in memory grew with
    the corpus): the kept documents' rows are carried over, the new ones' added, the gone ones' left."""
    store, out = world

    def raw_docs() -> list[str]:
        root = dataset.current_version(out)
        assert root is not None and (root / parts.RAW_HISTORY).is_file()
        return sorted(set(pq.read_table(root / parts.RAW_CHECKS).column(parts.DOC_COLUMN).to_pylist()))

    assert raw_docs() == KEYS
    save(store, "delta", sha="s2")
    dataset.publish_dataset(store, ["alpha", "charlie", "delta"], out)  # bravo gone, delta new
    assert raw_docs() == ["alpha", "charlie", "delta"]
    assert_equals_full_rebuild(out, store, ["alpha", "charlie", "delta"], tmp_path)


def test_a_version_of_the_earlier_layout_is_written_again_whole(world):
    """A dataset written with one folder of raw checks per document (layout 1) has no raw file to
    carry rows from: the next roll-up writes every document again rather than lose their checks."""
    store, out = world
    root = dataset.current_version(out)
    assert root is not None
    manifest = root / parts.MANIFEST
    manifest.write_text(manifest.read_text().replace(f'"layout": {parts.LAYOUT}, ', ""))
    assert dataset.publish_dataset(store, KEYS, out).rewritten == KEYS


def test_a_crash_half_way_leaves_the_previous_dataset_readable(world, tmp_path, monkeypatch):
    store, out = world
    previous = {name: sorted_rows(dataset.read_table(out, name)) for name in TABLES}
    version = dataset.current_version(out)
    save(store, "delta", sha="s2")
    real = parts.write_parquet

    def crash_on_delta_claims(path, table):
        if path.name == "part-delta.parquet" and path.parent.name == "claims.parquet":
            raise OSError(28, "No space left on device")
        real(path, table)

    monkeypatch.setattr(parts, "write_parquet", crash_on_delta_claims)
    with pytest.raises(OSError):
        dataset.publish_dataset(store, [*KEYS, "delta"], out)
    assert dataset.current_version(out) == version
    assert {name: sorted_rows(dataset.read_table(out, name)) for name in TABLES} == previous
    with duckdb.connect(str(out / "claims.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    monkeypatch.undo()
    assert dataset.publish_dataset(store, [*KEYS, "delta"], out).rewritten == ["delta"]
    assert_equals_full_rebuild(out, store, [*KEYS, "delta"], tmp_path)


def test_old_versions_are_pruned(world):
    store, out = world
    for sha in ("s3", "s4", "s5"):
        save(store, "alpha", sha=sha)
        dataset.publish_dataset(store, KEYS, out)
    versions = [p for p in (out / dataset.VERSIONS_DIR).iterdir() if not p.is_symlink()]
    assert len(versions) == 2  # the current one, and the one replaced (for readers mid-read)
    # a hard-linked part is shared by versions, so pruning one never empties another
    assert dataset.read_table(out, "documents")


def test_a_dataset_of_another_schema_is_rebuilt_in_full(world, tmp_path):
    store, out = world
    manifest = dataset.current_version(out) / parts.MANIFEST
    manifest.write_text(
        manifest.read_text().replace(
            dataset.arrow_schema(TABLES["documents"]).metadata[b"schema_version"].decode(), "0.0.0"
        )
    )
    assert dataset.publish_dataset(store, KEYS, out).rewritten == KEYS
    assert_equals_full_rebuild(out, store, KEYS, tmp_path)
    assert os.readlink(out / "documents.parquet") == ".versions/current/documents.parquet"


def test_the_contract_check_reads_each_part_once(world, monkeypatch):
    """Unchanged parts are the same files from version to version: the check reads only new ones."""
    store, out = world
    (out / ".state").mkdir()
    assert dataset.check_contract(out) == []
    read = []
    real = dataset.arrow.pq.read_schema
    monkeypatch.setattr(dataset.arrow.pq, "read_schema", lambda path: read.append(path.name) or real(path))
    save(store, "delta", sha="s2")
    dataset.publish_dataset(store, [*KEYS, "delta"], out)
    assert dataset.check_contract(out) == []
    # delta's parts, the corpus parts rewritten every time; nothing of alpha, bravo, charlie
    assert sorted(read) == sorted(
        ["part-delta.parquet"] * len(parts.PER_DOCUMENT) + ["part-corpus.parquet"] * 2
    )


def test_a_link_cited_across_the_corpus_names_a_few_of_its_citations_and_counts_them_all(tmp_path):
    """The worst links name at most SHOWN documents, notes and claims each, with the counts of all:
    a link cited by every document would otherwise carry every citing claim into memory and the UI."""
    from pipeline.core.dataset.link_health import SHOWN

    store = dataset.DocumentStore(tmp_path / ".state")
    keys = [f"doc-{i:02d}" for i in range(SHOWN + 3)]
    for key in keys:
        save(store, key)
    published = dataset.publish_dataset(store, keys, tmp_path / "extracted")
    (dead,) = [w for w in published.worst_links if w.url == DEAD]
    assert dead.doc_ids == keys[:SHOWN] and dead.citing_documents == len(keys)
    assert len(dead.claims) <= SHOWN and dead.citing_claims >= len(dead.claims)
    # so do the claims at risk: the first AT_RISK_SHOWN, and the count of all
    assert len(published.at_risk) == corpus.AT_RISK_SHOWN < published.summaries.at_risk_count
    assert_summaries_match(published, store, keys)  # the SQL path names what the rule names


def test_a_database_built_from_scratch_in_batches_of_parts_holds_every_row(tmp_path, monkeypatch):
    """From scratch, claims.duckdb reads the parts a batch at a time (one statement over every part
    took memory in proportion to the corpus): with batches of two, three documents still give
    every row, in part order."""
    from pipeline.core.dataset import database

    monkeypatch.setattr(database, "BATCH", 2)
    store = dataset.DocumentStore(tmp_path / ".state")
    for key in KEYS:
        save(store, key)
    out = tmp_path / "extracted"
    dataset.publish_dataset(store, KEYS, out)
    assert_equals_full_rebuild(out, store, KEYS, tmp_path)


def test_a_roll_up_one_document_and_one_row_at_a_time_holds_every_row(tmp_path, monkeypatch):
    """The roll-up streams what grows with the corpus: raw checks written a batch of documents at a
    time, claim_sources looked up a batch at a time, corpus tables a batch of rows at a time. With
    batches of one, the dataset is the same, and no file of the stream is left in the version."""
    from pipeline.core.dataset import publish

    monkeypatch.setattr(parts, "FRESH_BATCH", 1)
    monkeypatch.setattr(publish, "SOURCES_BATCH", 1)
    monkeypatch.setattr(corpus, "STREAM_ROWS", 1)
    streamed: list[int] = []
    remove = parts.FreshChecks.remove

    def count_then_remove(fresh: parts.FreshChecks) -> None:
        streamed.append(pq.ParquetFile(fresh.paths[parts.RAW_CHECKS]).num_row_groups)
        remove(fresh)

    monkeypatch.setattr(parts.FreshChecks, "remove", count_then_remove)
    store = dataset.DocumentStore(tmp_path / ".state")
    for key in KEYS:
        save(store, key)
    save(store, "delta", sha="s2", alive_status=Status.DEAD)  # a later check: every document's rows see it
    keys = [*KEYS, "delta"]
    out = tmp_path / "extracted"
    published = dataset.publish_dataset(store, keys, out)
    root = dataset.current_version(out)
    assert root is not None
    assert streamed == [len(keys)]  # written one document at a time
    assert pq.ParquetFile(root / "url_checks.parquet" / parts.CORPUS_PART).num_row_groups == 2  # 2 URLs
    assert not list(root.glob("_fresh*"))
    alive = {r["url_status"] for r in dataset.read_table(out, "claim_sources") if r["url"] == ALIVE}
    assert alive == {"dead"}
    assert_summaries_match(published, store, keys)
    assert_equals_full_rebuild(out, store, keys, tmp_path)
