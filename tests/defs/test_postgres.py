"""The production instance config stores runs and materializations in a real PostgreSQL.

.ci/run starts Debian's PostgreSQL on 127.0.0.1 and exports PIPELINE_TEST_PG_*; without them
(a developer machine without PostgreSQL) the test is skipped and says why.
"""

import itertools
import json
import os
import shutil
import subprocess
import uuid

import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, guarded_env, pipeline_run

PG = {k: os.environ.get(f"PIPELINE_TEST_PG_{k}") for k in ("HOST", "PORT", "USER", "PASSWORD", "DB")}
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG["HOST"], reason="no PostgreSQL: .ci/run starts one and sets PIPELINE_TEST_PG_*"
    ),
]

ARTICLE = """A Test Article

Body paragraph that cites a source.¹ Another sentence says 40% of links rot by 2030.²

¹ Jane Doe, "A Report," Example Times, May 1, 2024, https://example.org/report
² John Roe, "Link Rot," Journal of Links, 2021, https://example.org/rot
"""


def query(sql: str) -> list[tuple]:
    import psycopg2

    with (
        psycopg2.connect(
            host=PG["HOST"], port=PG["PORT"], user=PG["USER"], password=PG["PASSWORD"], dbname=PG["DB"]
        ) as conn,
        conn.cursor() as cur,
    ):
        cur.execute(sql)
        return cur.fetchall()


def test_runs_and_materializations_land_in_postgres(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(ROOT / "dagster.yaml.production", home / "dagster.yaml")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "pg-article.txt").write_text(ARTICLE, encoding="utf-8")
    env = guarded_env(DAGSTER_HOME=str(home), **{f"DAGSTER_PG_{k}": v for k, v in PG.items()})
    proc = subprocess.run(
        pipeline_run(raw, tmp_path / "out", "--offline"),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]

    runs = query("SELECT pipeline_name, status FROM runs WHERE run_body LIKE '%pg-article.txt%'")
    assert ("process_document", "SUCCESS") in runs
    materialized = {
        row[0]
        for row in query(
            "SELECT asset_key FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION' "
            "AND partition = 'pg-article.txt'"
        )
    }
    assert {'["parsed_document"]', '["footnotes"]', '["claims"]'} <= materialized
    dataset = query(
        "SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION' "
        "AND asset_key = '[\"claims_dataset\"]'"
    )
    assert dataset[0][0] >= 1


def test_worker_runs_at_once_share_the_per_host_limits_through_the_database(tmp_path):
    """Several documents' runs at once (`--workers 3`) on the production instance: the link
    checker's per-host limits live in the same PostgreSQL database, not in a file per machine."""
    from tests.core.urlcheck.counting import counting_server
    from tests.test_runner_workers import DOCS, URLS, brief

    home, raw, out = tmp_path / "dagster_home", tmp_path / "raw", tmp_path / "out"
    home.mkdir()
    raw.mkdir()
    shutil.copyfile(ROOT / "dagster.yaml.production", home / "dagster.yaml")
    tag = uuid.uuid4().hex[:8]  # the database outlives the test: this run's documents
    with counting_server(delay=0.2) as (port, counts):
        for n in range(DOCS):
            (raw / f"pg-brief-{tag}-{n}.txt").write_text(brief(n, port), encoding="utf-8")
        env = guarded_env(
            DAGSTER_HOME=str(home),
            PIPELINE_URL_ALLOW_PRIVATE='["127.0.0.2/32"]',
            PIPELINE_URL_ARCHIVE_LOOKUP="false",
            PIPELINE_URL_PER_HOST_LIMIT="1",
            PIPELINE_URL_PER_HOST_INTERVAL="0.15",
            **{f"DAGSTER_PG_{k}": v for k, v in PG.items()},
        )
        proc = subprocess.run(
            pipeline_run(raw, out, "--workers", str(DOCS)),
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    checks = pq.read_table(out / "url_checks.parquet").to_pylist()
    seen = [(c["url"], c["status"], c["checked_at"], c["elapsed_ms"]) for c in checks]
    assert counts.max_in_flight == {"127.0.0.2": 1}, (port, seen, proc.stdout[-1500:])
    spans = sorted(counts.span("127.0.0.2", f"/d{n}/") for n in range(DOCS))
    assert any(b[0] < a[1] for a, b in itertools.pairwise(spans))  # runs checked links at once
    runs = query("SELECT run_body FROM runs WHERE pipeline_name = 'process_document' AND status = 'SUCCESS'")
    pids = {
        json.loads(body)["tags"]["footnote_pipeline/pid"] for (body,) in runs if f"pg-brief-{tag}-" in body
    }
    assert len(pids) == DOCS  # one worker process per document
    assert query("SELECT count(*) FROM host_limits WHERE host = '127.0.0.2'") == [(1,)]
    assert not (out / ".state" / "host_limits.sqlite").exists()
    statuses = pq.read_table(out / "url_checks.parquet").column("status").to_pylist()
    assert statuses == ["ok"] * (DOCS * URLS)
