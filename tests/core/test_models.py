import json

import pyarrow as pa
import pytest

from pipeline.core import dataset
from pipeline.core.models import SCHEMA_VERSION, TABLES, CitationKind, CitationRow, Status

CONTRACT = {
    "documents": ["doc_id", "source_path", "sha256", "title", "pages", "status", "error"],
    "footnotes": ["doc_id", "number", "text", "page", "urls"],
    "citations": [
        "doc_id",
        "footnote_number",
        "position",
        "raw_text",
        "authors",
        "title",
        "container",
        "published",
        "urls",
        "doi",
    ],
    "claims": [
        "claim_id",
        "doc_id",
        "text",
        "page",
        "section",
        "footnote_numbers",
        "cited",
        "checkworthy",
        "reasons",
    ],
    "entities": ["doc_id", "claim_id", "text", "label", "start", "end"],
    "url_checks": [
        "url",
        "status",
        "http_status",
        "final_url",
        "checked_at",
        "error",
        "page_title",
        "archive_url",
    ],
}


@pytest.mark.parametrize("table,columns", CONTRACT.items())
def test_every_contract_column_is_in_the_row_model(table, columns):
    fields = list(TABLES[table].model_fields)
    assert fields[: len(columns)] == columns


@pytest.mark.parametrize("table", TABLES)
def test_arrow_schema_matches_model_fields(table):
    schema = dataset.arrow_schema(TABLES[table])
    assert schema.names == list(TABLES[table].model_fields)
    assert schema.metadata[b"schema_version"].decode() == SCHEMA_VERSION


def test_json_schemas_are_generated_from_models(tmp_path):
    paths = dataset.write_schemas(tmp_path)
    assert [p.stem for p in paths] == list(TABLES)
    claims = json.loads((tmp_path / "claims.json").read_text())
    assert claims["x-schema-version"] == SCHEMA_VERSION
    assert sorted(claims["properties"]) == sorted(TABLES["claims"].model_fields)  # every column, no other


def test_status_enum_is_closed_and_complete():
    expected = {
        "ok",
        "redirected",
        "paywalled",
        "redirect_to_root",
        "soft_404",
        "dead",
        "blocked",
        "rate_limited",
        "server_error",
        "timeout",
        "dns_error",
        "tls_error",
        "connection_error",
        "invalid_url",
        "unsupported_scheme",
        "refused_private",
        "unverified",
    }
    assert {s.value for s in Status} == expected


def test_citation_kind_enum_is_closed_and_complete():
    expected = ["full", "ibid", "supra", "op_cit", "short_form", "infra", "commentary"]
    assert [k.value for k in CitationKind] == expected


def test_citation_kind_is_stored_as_its_string(tmp_path):
    row = CitationRow(
        doc_id="d",
        footnote_number=1,
        position=0,
        raw_text="Ibid.",
        authors=[],
        title=None,
        container=None,
        published=None,
        urls=[],
        doi=None,
        citation_id="c",
        kind="ibid",
    )
    assert row.kind is CitationKind.IBID
    table = dataset.to_arrow(CitationRow, [row])
    assert table.schema.field("kind").type == pa.string()
    assert table.column("kind").to_pylist() == ["ibid"]
    assert json.loads(row.model_dump_json())["kind"] == "ibid"
    dataset.write_schemas(tmp_path)
    schema = json.loads((tmp_path / "citations.json").read_text())
    assert schema["$defs"]["CitationKind"]["enum"] == [k.value for k in CitationKind]
