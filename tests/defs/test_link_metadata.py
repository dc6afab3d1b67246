"""The link assets' UI tables, the roll-up's link-rot statistics and the reports, against a real
loopback server (127.0.0.2, allow-listed) standing in for the cited sites and the Wayback API."""

import datetime

import dagster as dg
import pyarrow.parquet as pq
import pytest
from werkzeug import Response

from pipeline.core.report import report_path
from pipeline.defs import assets
from pipeline.defs.resources import PipelineConfig, SpacyModel, StateIOManager
from tests.conftest import MODEL
from tests.core.urlcheck.servers import http_server, wayback
from tests.defs.test_materialize import PER_DOC as PER_DOC_ASSETS
from tests.defs.test_materialize import materialize_docs

DOC = """Cited Links Under Test

The ministry doubled its budget in 2019, according to its annual report.¹ Officials said the \
programme had been cut by 40% since then.² A later review found the figures were revised.³

1 Ministry of Finance, "Annual Report 2019", Finance Gazette, 12 March 2012, {base}/gone
2 Jane Doe, "Programme cuts", Daily Example, 2023, {base}/ok
3 Review Board, "Revised figures", Example Review, 2024, {base}/deep/page
"""


@pytest.fixture
def site(monkeypatch):
    with http_server() as server:
        server.expect_request("/wayback/available").respond_with_handler(wayback([]))
        server.expect_request("/gone").respond_with_data("no", status=404)
        server.expect_request("/ok").respond_with_data(
            "<title>Programme cuts</title>", content_type="text/html"
        )
        server.expect_request("/deep/page").respond_with_response(
            Response(status=301, headers={"Location": "/"})
        )
        server.expect_request("/").respond_with_data("<title>Home</title>", content_type="text/html")
        monkeypatch.setenv("PIPELINE_URL_WAYBACK_API", f"http://127.0.0.2:{server.port}/wayback/available")
        monkeypatch.setenv("PIPELINE_URL_PER_HOST_INTERVAL", "0")
        monkeypatch.setenv("PIPELINE_URL_RETRIES", "0")
        yield f"http://127.0.0.2:{server.port}"


@pytest.fixture
def online(raw_dir, out_dir):
    return {
        "settings": PipelineConfig(
            raw_dir=str(raw_dir), out_dir=str(out_dir), allow_private=["127.0.0.2/32"]
        ),
        "spacy": SpacyModel(model=MODEL),
        "io_manager": StateIOManager(out_dir=str(out_dir)),
    }


def test_link_assets_show_the_worst_links_rot_statistics_and_reports(
    instance, online, site, raw_dir, out_dir
):
    (raw_dir / "links.txt").write_text(DOC.format(base=site), encoding="utf-8")
    (result,), rollup = materialize_docs(instance, online, ["links.txt"])
    assert result.success and rollup.success

    meta = result.asset_materializations_for_node("url_checks")[0].metadata
    worst = meta["worst_links"].value
    lines = [line for line in worst.splitlines() if line.startswith("| http")]
    # dead first, then the deep link that now lands on the home page; the live one is not listed
    assert [line.split(" | ")[1] for line in lines] == ["dead (unconfirmed)", "redirect_to_root"]
    assert f"{site}/gone" in lines[0] and "note 1" in lines[0] and "doubled its budget" in lines[0]
    # nearest the citing document's date: its latest citation (2024) stands in for it
    assert "http://web.test/web/2024" in lines[0]
    assert f"{site}/ok" not in worst
    assert meta["dagster/row_count"].value == 3
    assert {c.name for c in meta["dagster/column_schema"].schema.columns} >= {"url", "status", "archive_url"}
    assert meta["report"].value == str(report_path(out_dir, "links.txt"))
    # no page here has text to look in (the snapshots are on a host that does not resolve), so every
    # source is not_checked; the dead link and the one sent home leave their claims at risk
    assert meta["evidence"].value == {"found": 0, "partial": 0, "not_found": 0, "not_checked": 3}
    assert meta["claims_at_risk"].value == 2
    at_risk = meta["claims_at_risk_table"].value
    assert "doubled its budget" in at_risk and "revised" in at_risk and "programme" not in at_risk

    roll = rollup.asset_materializations_for_node("claims_dataset")[0].metadata
    domain_rows = [r for r in roll["link_rot_by_domain"].value.splitlines() if r.startswith("| 127.0.0.2")]
    assert domain_rows == ["| 127.0.0.2 | 3 | 1 | 2 | 0 | 67% |"]
    age = {r.split(" | ")[0].lstrip("| "): r for r in roll["link_rot_by_citation_age"].value.splitlines()}
    assert age["10+ years"].startswith("| 10+ years | 1 | 0 | 1 |")  # 2012 source, checked now
    counts = [[int(x) for x in r.split(" | ")[1:4]] for k, r in age.items() if k.endswith(("year", "years"))]
    assert [sum(c[i] for c in counts) for i in range(3)] == [3, 1, 2]  # links, alive, rotten
    assert "links.txt" in roll["worst_links"].value
    assert roll["claims_at_risk"].value == 2 and roll["evidence"].value["not_checked"] == 3

    page = report_path(out_dir, "links.txt").read_text(encoding="utf-8")
    assert "doubled its budget" in page and "archived copy" in page and ">dead<" in page
    assert str(report_path(out_dir, "links.txt")) in roll["reports"].value


def test_a_deleted_file_leaves_the_dataset_on_the_next_rollup(
    instance, resources, seed_copy, raw_dir, out_dir
):
    from tests.defs.test_sensor import tick

    seed_copy("article-seed.txt")
    (raw_dir / "short.txt").write_text(DOC.format(base="https://example.org"), encoding="utf-8")
    first = tick(instance, resources)
    _, rollup = materialize_docs(instance, resources, ["article-seed.txt", "short.txt"])
    assert rollup.success
    before = pq.read_table(out_dir / "claims.parquet").to_pylist()
    assert {c["doc_id"] for c in before} == {"article-seed.txt", "short.txt"}
    assert report_path(out_dir, "short.txt").exists()

    (raw_dir / "short.txt").unlink()
    second = tick(instance, resources, first.cursor)
    (delete,) = second.dynamic_partitions_requests
    assert list(delete.partition_keys) == ["short.txt"]
    (rebuild,) = second.run_requests
    assert rebuild.job_name == "build_dataset" and rebuild.partition_key is None
    instance.delete_dynamic_partition("documents", "short.txt")  # what the daemon does with the request
    assert dg.materialize([assets.claims_dataset], instance=instance, resources=resources).success

    after = pq.read_table(out_dir / "claims.parquet").to_pylist()
    assert after == [c for c in before if c["doc_id"] == "article-seed.txt"]  # nothing else lost
    assert [d["doc_id"] for d in pq.read_table(out_dir / "documents.parquet").to_pylist()] == [
        "article-seed.txt"
    ]
    assert not report_path(out_dir, "short.txt").exists()
    assert not (out_dir / ".state" / "docs" / "short.txt").exists()
    assert (out_dir / ".state" / "docs" / "article-seed.txt").exists()


def test_weekly_recheck_fetches_only_expired_urls_then_the_rollup_follows(
    instance, online, site, raw_dir, out_dir, monkeypatch
):
    from pipeline.defs.schedules import weekly_link_recheck

    (raw_dir / "links.txt").write_text(DOC.format(base=site), encoding="utf-8")
    (raw_dir / "empty.pdf").write_bytes(b"")  # fails to parse: its links were never checked
    materialize_docs(instance, online, ["links.txt", "empty.pdf"])

    monday = datetime.datetime(2026, 11, 30, 3, tzinfo=datetime.UTC)
    ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=monday)
    requests = weekly_link_recheck(ctx)
    assert [(r.partition_key, r.run_key) for r in requests] == [("links.txt", "recheck:2026-W49:links.txt")]

    def recheck() -> dict:
        result = dg.materialize(
            PER_DOC_ASSETS,
            selection=[assets.url_checks],
            partition_key="links.txt",
            instance=instance,
            resources=online,
        )
        return result.asset_materializations_for_node("url_checks")[0].metadata

    defs = dg.Definitions(assets=[*PER_DOC_ASSETS, assets.claims_dataset], resources=online)
    idle = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert idle.get_num_requested(dg.AssetKey("claims_dataset")) == 0  # rolled up already

    within_ttl = recheck()
    assert (within_ttl["checked_now"].value, within_ttl["from_history"].value) == (0, 3)

    # the automation sensor's next tick: url_checks changed since the roll-up, so it is due again
    due = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=idle.cursor)
    assert due.get_num_requested(dg.AssetKey("claims_dataset")) == 1

    monkeypatch.setenv("PIPELINE_URL_TTL_DAYS", "0")  # every check is now older than the TTL
    expired = recheck()
    assert (expired["checked_now"].value, expired["from_history"].value) == (3, 0)
