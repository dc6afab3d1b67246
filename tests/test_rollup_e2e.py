"""The incremental roll-up end to end: `python -m pipeline run` on small generated documents, then one
added, one changed, one deleted. Each time only that document's parts and report are written again,
and the published tables equal a full rebuild from the step records (read with pyarrow, pandas and
DuckDB)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from bench import make_corpus as mc
from pipeline.core import dataset
from pipeline.core.models import TABLES
from pipeline.core.report import report_path
from tests.conftest import guarded_env, pipeline_run

#: the first four text documents of the benchmark generator, small: a page each
TEXT_INDICES = tuple(i for i in range(64) if mc.document_name(i)[1] == "text")[:4]
FIRST_THREE, ADDED = TEXT_INDICES[:3], TEXT_INDICES[3]
CHANGED, DELETED = TEXT_INDICES[1], TEXT_INDICES[2]
#: columns that differ between two runs of the same records
VOLATILE = {"documents": ("schema_version",)}


def make_documents(folder: Path) -> dict[int, str]:
    folder.mkdir()
    return {i: mc.render_document(7, i, folder, None, small=True)["name"] for i in TEXT_INDICES}


def run(raw: Path, out: Path, home: Path) -> str:
    proc = subprocess.run(
        [*pipeline_run(raw, out), "--offline"],
        capture_output=True,
        text=True,
        env=guarded_env(DAGSTER_HOME=str(home)),
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def state_of(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of the published version and every report: path -> (inode, mtime)."""
    version = dataset.current_version(out)
    assert version is not None
    found = {}
    for p in [*version.rglob("*"), *(out / "reports").glob("*.html")]:
        if p.is_file():
            st = p.stat()
            found[str(p.relative_to(out if p.parent.name == "reports" else version))] = (
                st.st_ino,
                st.st_mtime_ns,
            )
    return found


def document_files(key: str) -> set[str]:
    per_doc = {f"{name}.parquet/part-{key}.parquet" for name in dataset.rows.PER_DOCUMENT}
    return per_doc | {f"reports/{key}.html"}


def changed_files(before: dict, after: dict) -> set[str]:
    return {f for f in before.keys() | after.keys() if before.get(f) != after.get(f)}


def assert_equals_full_rebuild(out: Path, tmp: Path) -> None:
    store = dataset.DocumentStore(out / ".state")
    keys = store.doc_ids()
    full = tmp / f"full-{len(list(tmp.iterdir()))}"
    dataset.write_dataset(full, dataset.build_tables(dataset.read_records(store, keys, [])))
    with duckdb.connect(str(out / "claims.duckdb"), read_only=True) as con:
        for name in TABLES:
            want = ds.dataset(full / f"{name}.parquet").to_table().to_pylist()
            got = ds.dataset(out / f"{name}.parquet").to_table().to_pylist()
            for row in (*want, *got):
                for column in VOLATILE.get(name, ()):
                    row.pop(column, None)
            assert sorted(got, key=repr) == sorted(want, key=repr), name
            assert len(pd.read_parquet(out / f"{name}.parquet")) == len(want), name
            in_db = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()
            in_parts = duckdb.sql(
                f"SELECT count(*) FROM read_parquet('{out / name}.parquet/*.parquet')"
            ).fetchall()
            assert in_db == in_parts == [(len(want),)], name
    assert dataset.check_contract(out) == []


@pytest.mark.slow
def test_adding_changing_and_deleting_one_document_rewrites_only_what_depends_on_it(tmp_path):
    made = make_documents(tmp_path / "made")
    raw, out, home = tmp_path / "raw", tmp_path / "out", tmp_path / "home"
    raw.mkdir()
    for i in FIRST_THREE:
        (raw / made[i]).write_bytes((tmp_path / "made" / made[i]).read_bytes())
    run(raw, out, home)
    keys = {i: dataset.safe_key(made[i]) for i in TEXT_INDICES}
    assert sorted(r["doc_id"] for r in dataset.read_table(out, "documents")) == sorted(
        keys[i] for i in FIRST_THREE
    )
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    assert_equals_full_rebuild(out, scratch)

    # one added: its parts and report are new, nothing of the others is written again
    before = state_of(out)
    (raw / made[ADDED]).write_bytes((tmp_path / "made" / made[ADDED]).read_bytes())
    run(raw, out, home)
    after = state_of(out)
    shared = {"url_checks.parquet/part-corpus.parquet", "url_history.parquet/part-corpus.parquet"}
    shared |= {"claims.duckdb", "_manifest.json", "_checks.parquet", "_history.parquet"}
    assert changed_files(before, after) - shared == document_files(keys[ADDED])
    assert_equals_full_rebuild(out, scratch)

    # one changed: its parts and report only
    before = after
    changed = raw / made[CHANGED]
    changed.write_text(changed.read_text() + "\nOne more sentence, added later, that cites nothing.\n")
    run(raw, out, home)
    after = state_of(out)
    assert changed_files(before, after) - shared == document_files(keys[CHANGED])
    assert_equals_full_rebuild(out, scratch)

    # one deleted: its parts and report are gone, the rest stays as it was
    before = after
    (raw / made[DELETED]).unlink()
    run(raw, out, home)
    after = state_of(out)
    assert changed_files(before, after) - shared == document_files(keys[DELETED])
    assert not [f for f in after if keys[DELETED] in f]
    assert not report_path(out, keys[DELETED]).exists()
    assert_equals_full_rebuild(out, scratch)
