"""The production instance config stores runs and materializations in a real PostgreSQL.

.ci/run starts Debian's PostgreSQL on 127.0.0.1 and exports PIPELINE_TEST_PG_*; without them
(a developer machine without PostgreSQL) the test is skipped and says why.
"""

import os
import shutil
import subprocess

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
