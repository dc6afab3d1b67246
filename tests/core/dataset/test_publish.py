"""Publishing: every table written as one version, and the whole roll-up from the step records."""

import json

import pyarrow.parquet as pq

from pipeline.core import dataset
from pipeline.core.models import TABLES, ParsedDocument, Status
from tests.core.dataset.example import DEAD, records, save_records


def _save_records(store: dataset.DocumentStore, doc_id: str) -> dataset.DocumentRecords:
    """Every step record of the example document ``doc_id``, saved as the steps would."""
    (example,) = records(doc_id)
    save_records(store, doc_id, example)
    return example


def test_write_dataset_writes_every_table_with_its_schema(tmp_path):
    doc = ParsedDocument(doc_id="d", source_path="d.pdf", sha256="s", kind="pdf", pages=2)
    paths = dataset.write_dataset(tmp_path, dataset.build_tables([dataset.DocumentRecords(doc)]))
    assert paths == {
        **{name: tmp_path / f"{name}.parquet" for name in TABLES},
        "duckdb": tmp_path / "claims.duckdb",
    }
    table = pq.read_table(paths["documents"])
    assert table.num_rows == 1 and table.column("doc_id").to_pylist() == ["d"]
    schema = json.loads((tmp_path / "schema" / "documents.json").read_text())
    assert sorted(schema["properties"]) == sorted(TABLES["documents"].model_fields)


def test_publish_dataset_rolls_up_the_store_and_forgets_deleted_documents(tmp_path):
    store = dataset.DocumentStore(tmp_path / ".state")
    example = _save_records(store, "kept")
    store.save("parsed_document", "gone", example.doc.model_copy(update={"doc_id": "gone"}))
    out = tmp_path / "extracted"

    published = dataset.publish_dataset(store, ["kept", "not-parsed"], out)

    assert published.removed == ["gone"] and store.doc_ids() == ["kept"]
    assert published.missing == ["not-parsed"]
    assert published.rewritten == ["kept"] and published.summaries.counts["documents"] == 1
    assert published.paths["duckdb"] == out / "claims.duckdb"
    assert [r["doc_id"] for r in dataset.read_table(out, "documents")] == ["kept"]
    assert [(w.url, w.status, w.footnote_numbers) for w in published.worst_links] == [
        (DEAD, Status.DEAD, [1, 2])
    ]
    assert [(r.group, r.links, r.alive, r.rotten) for r in published.link_rot_by_domain] == [
        ("dead.example.org", 1, 0, 1),
        ("alive.example.org", 1, 1, 0),
    ]
    assert [(r.group, r.links) for r in published.link_rot_by_age] == [("2-5 years", 1), ("5-10 years", 1)]


def test_the_run_summary_reads_the_published_database_as_the_tables_say(tmp_path):
    store = dataset.DocumentStore(tmp_path / ".state")
    for name in ("b-doc", "a-doc"):
        _save_records(store, name)
    out = tmp_path / "extracted"
    dataset.publish_dataset(store, ["a-doc", "b-doc"], out)

    rows = dataset.summary_rows(out / dataset.DUCKDB_FILE)

    docs = dataset.read_table(out, "documents")
    assert [d["source_path"] for d in rows.documents] == [d["source_path"] for d in docs]
    assert [d["claims"] for d in rows.documents] == [d["claims"] for d in docs]
    statuses = [c["status"] for c in dataset.read_table(out, "url_checks")]
    assert rows.links_by_status == {s: statuses.count(s) for s in set(statuses)}
    assert sum(rows.links_by_status.values()) == len(statuses) > 0
    assert rows.unverified_reasons == []  # every link of the example was checked
