"""Materialize the assets for one seed PDF on an ephemeral instance and check every table."""

import shutil

import dagster as dg
import pyarrow.parquet as pq
import pytest

from pipeline.defs import assets
from pipeline.defs.partitions import documents
from pipeline.defs.resources import PipelineConfig, SpacyModel, StateIOManager
from tests.conftest import MODEL, RAW

PER_DOC = [assets.parsed_document, assets.footnotes, assets.citations, assets.claims, assets.url_checks]


def materialize_docs(instance, resources, keys):
    instance.add_dynamic_partitions(documents.name, keys)
    results = [
        dg.materialize(PER_DOC, partition_key=k, instance=instance, resources=resources, raise_on_error=False)
        for k in keys
    ]
    rollup = dg.materialize([assets.claims_dataset], instance=instance, resources=resources)
    return results, rollup


@pytest.fixture(scope="module")
def materialized_seed(tmp_path_factory):
    """The seed PDF through every asset once for the module: (document run, roll-up)."""
    base = tmp_path_factory.mktemp("seed")
    raw, out = base / "raw", base / "extracted"
    raw.mkdir()
    shutil.copyfile(RAW / "article-libreoffice.pdf", raw / "article-libreoffice.pdf")
    resources = {
        "settings": PipelineConfig(raw_dir=str(raw), out_dir=str(out), offline=True),
        "spacy": SpacyModel(model=MODEL),
        "io_manager": StateIOManager(out_dir=str(out)),
    }
    with dg.instance_for_test() as instance:
        (result,), rollup = materialize_docs(instance, resources, ["article-libreoffice.pdf"])
        yield result, rollup, out


def test_one_seed_pdf_fills_every_table(materialized_seed):
    result, rollup, out_dir = materialized_seed
    assert result.success and rollup.success
    rows = {
        name: pq.read_table(out_dir / f"{name}.parquet").num_rows
        for name in ("documents", "footnotes", "citations", "claims", "entities", "url_checks")
    }
    assert rows["documents"] == 1
    assert rows["footnotes"] == 83
    assert rows["citations"] >= 83
    assert rows["claims"] > 100 and rows["entities"] > 100
    assert rows["url_checks"] >= 120
    statuses = set(pq.read_table(out_dir / "url_checks.parquet").column("status").to_pylist())
    assert statuses == {"unverified"}  # offline: unverified, never dead
    meta = result.asset_materializations_for_node("footnotes")[0].metadata
    assert meta["notes"].value == 83
    assert "| number |" in meta["preview"].value


@pytest.mark.parametrize("node", [a.key.path[-1] for a in PER_DOC] + ["claims_dataset"])
def test_every_asset_shows_row_count_column_schema_and_a_preview(node, materialized_seed):
    result, rollup, _ = materialized_seed
    source = rollup if node == "claims_dataset" else result
    meta = source.asset_materializations_for_node(node)[0].metadata
    assert meta["dagster/row_count"].value > 0
    columns = meta["dagster/column_schema"].schema.columns
    assert len(columns) >= 5 and all(c.type for c in columns)
    previews = [v.value for k, v in meta.items() if k == "preview" or k.endswith("_preview")]
    assert previews and all(p.startswith("| ") and "\n|---|" in p for p in previews)


def test_a_corrupt_file_is_a_failed_row_and_the_others_complete(
    instance, resources, seed_copy, raw_dir, out_dir
):
    seed_copy("article-endnotes.pdf")
    (raw_dir / "bad.pdf").write_bytes(bytes(range(256)) * 20)
    results, _ = materialize_docs(instance, resources, ["article-endnotes.pdf", "bad.pdf"])
    assert results[0].success and not results[1].success
    docs = {d["doc_id"]: d for d in pq.read_table(out_dir / "documents.parquet").to_pylist()}
    assert docs["bad.pdf"]["status"] == "failed"
    assert "not a PDF" in docs["bad.pdf"]["error"]
    assert docs["article-endnotes.pdf"]["status"] == "ok"
    assert docs["article-endnotes.pdf"]["claims"] > 100
    check = results[1].get_asset_check_evaluations()[0]
    assert not check.passed and "not_pdf" in check.description


@pytest.mark.parametrize("tagged", [True, False])
def test_a_run_tagged_with_its_file_reads_it_without_listing_raw(
    instance, resources, seed_copy, raw_dir, monkeypatch, tagged
):
    """The runner and the raw/ sensor tag each document's run with its file: the parse step then
    does not list raw/ (a cost that grew with the corpus, for every document); a run launched by
    hand, without the tag, still finds its file by listing."""
    from pipeline.core import dataset

    seed_copy("article-seed.txt")
    listed = []
    real = dataset.list_sources
    monkeypatch.setattr(dataset, "list_sources", lambda *a, **k: listed.append(1) or real(*a, **k))
    instance.add_dynamic_partitions(documents.name, ["article-seed.txt"])
    result = dg.materialize(
        [assets.parsed_document],
        partition_key="article-seed.txt",
        instance=instance,
        resources=resources,
        tags={"source": "article-seed.txt"} if tagged else {},
    )
    assert result.success
    assert result.output_for_node("parsed_document").pages > 0
    assert bool(listed) is not tagged
