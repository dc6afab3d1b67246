"""The tables a fact-checker reads: claim_sources, entity_index, and claims.duckdb holding them all."""

import re
import shutil
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pytest

from pipeline.core import dataset
from pipeline.core.citations import parse_citations
from pipeline.core.errors import DatasetError
from pipeline.core.models import (
    TABLES,
    CitationSet,
    Claim,
    ClaimSet,
    Entity,
    Note,
    NoteSplit,
    ParsedDocument,
    Status,
    UrlCheck,
    UrlCheckSet,
    UrlRef,
)

DEAD = "https://dead.example.org/report"
ALIVE = "https://alive.example.org/page"
CHECKED_AT = datetime(2025, 11, 20, 3, 0, tzinfo=UTC)

# The worked example README's queries run against.
NOTES = {
    1: f'A. Author, "Only a dead link," Pub, 2020, {DEAD}',
    2: "Ibid., 4.",
    3: f'B. Writer, "Alive," Pub, 2021, {ALIVE}; C. Critic, "Book without link," Press, 2019',
    4: "Harbor mines are devices that explode if struck by a vessel hull.",
}
CLAIMS = {
    "dead-only": ("Iran cut oil exports by 40% in 2020.", [1]),
    "dead-via-ibid": ("Exports fell again in 2021.", [2]),
    "mixed": ("Turkey's trade grew because of sanctions.", [1, 3]),
    "note-missing": ("The U.S. disagreed.", [9]),
    "commentary-only": ("Mines are dangerous.", [4]),
    "uncited": ("This sentence cites nothing.", []),
}


def _records(doc_id: str = "doc", sha: str = "s"):
    doc = ParsedDocument(doc_id=doc_id, source_path=f"{doc_id}.pdf", sha256=sha, kind="pdf", pages=1)
    notes = [
        Note(
            number=n,
            label=str(n),
            text=t,
            page=1,
            urls=[UrlRef(url=u, raw_url=u) for u in (DEAD, ALIVE) if u in t],
        )
        for n, t in NOTES.items()
    ]
    split = NoteSplit(doc_id=doc_id, sha256=sha, notes=notes)
    cits = CitationSet(doc_id=doc_id, sha256=sha, citations=parse_citations(doc_id, notes))
    claims = ClaimSet(
        doc_id=doc_id,
        sha256=sha,
        claims=[
            Claim(
                claim_id=cid,
                text=text,
                page=2,
                paragraph=0,
                sentence=i,
                footnote_numbers=numbers,
                cited=bool(numbers),
                entities=[Entity(text="U.S.", label="GPE", start=4, end=8)] if "U.S." in text else [],
            )
            for i, (cid, (text, numbers)) in enumerate(CLAIMS.items())
        ],
    )
    checks = UrlCheckSet(
        doc_id=doc_id,
        sha256=sha,
        checks=[
            UrlCheck(url=DEAD, status=Status.DEAD, http_status=404, checked_at=CHECKED_AT),
            UrlCheck(url=ALIVE, status=Status.OK, http_status=200, checked_at=CHECKED_AT),
        ],
    )
    return [(doc, split, cits, claims, checks)]


def test_claim_sources_has_a_row_per_claim_citation_and_url():
    rows = dataset.build_tables(_records())["claim_sources"]
    key = lambda t: tuple("" if v is None else str(v) for v in t)  # noqa: E731
    got = sorted(
        ((r.claim_id, r.footnote_number, r.citation_kind, r.url, r.url_status) for r in rows), key=key
    )
    assert got == sorted(
        [
            ("dead-only", 1, "full", DEAD, "dead"),
            ("dead-via-ibid", 2, "ibid", DEAD, "dead"),  # Ibid. leads to note 1's source
            ("mixed", 1, "full", DEAD, "dead"),
            ("mixed", 3, "full", ALIVE, "ok"),
            ("mixed", 3, "full", None, None),  # a citation without a URL is still a source
            ("note-missing", 9, None, None, None),  # the note was not found: the claim still shows
            ("commentary-only", 4, "commentary", None, None),
        ],
        key=key,
    )
    ibid = next(r for r in rows if r.claim_id == "dead-via-ibid")
    full = next(r for r in rows if r.claim_id == "dead-only")
    assert ibid.source_citation_id == full.citation_id and ibid.title == "Only a dead link"
    assert ibid.citation_text == "Ibid., 4." and ibid.checked_at == CHECKED_AT and ibid.http_status == 404


def test_a_url_never_checked_has_no_status_rather_than_a_guess():
    (doc, split, cits, claims, _) = _records()[0]
    rows = dataset.build_tables([(doc, split, cits, claims, None)])["claim_sources"]
    assert {r.url_status for r in rows} == {None}


def test_entity_mentions_link_to_the_entity_index():
    tables = dataset.build_tables(_records())
    (index,) = tables["entity_index"]
    (mention,) = tables["entities"]
    assert (index.text, index.label, index.mentions, index.claim_ids) == ("U.S.", "GPE", 1, ["note-missing"])
    assert (mention.entity_id, mention.canonical) == (index.entity_id, "U.S.")


def _write(tmp_path):
    out = tmp_path / "extracted"
    paths = dataset.write_dataset(out, dataset.build_tables(_records()))
    return out, paths


def test_claims_duckdb_holds_every_table(tmp_path):
    out, paths = _write(tmp_path)
    assert paths["duckdb"] == out / "claims.duckdb"
    with duckdb.connect(str(paths["duckdb"]), read_only=True) as con:
        names = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        assert names == set(TABLES)
        for name in TABLES:
            (n,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            assert n == pa.parquet.read_table(paths[name]).num_rows


# README's example: "cited claims whose only source is dead".
ONLY_SOURCE_DEAD = """
SELECT claim_id, any_value(claim_text) AS claim, list(DISTINCT url) AS dead_urls
FROM claim_sources
WHERE citation_kind IS DISTINCT FROM 'commentary'
GROUP BY claim_id
HAVING bool_and(coalesce(url_status = 'dead', false))
ORDER BY claim_id
"""


def test_readme_query_finds_claims_whose_only_source_is_dead(tmp_path):
    _, paths = _write(tmp_path)
    with duckdb.connect(str(paths["duckdb"]), read_only=True) as con:
        rows = con.execute(ONLY_SOURCE_DEAD).fetchall()
    assert [(cid, urls) for cid, _, urls in rows] == [("dead-only", [DEAD]), ("dead-via-ibid", [DEAD])]


def test_claims_duckdb_works_after_the_folder_is_moved(tmp_path, monkeypatch):
    out, _ = _write(tmp_path)
    moved = tmp_path / "elsewhere" / "copy"
    shutil.move(out, moved)
    monkeypatch.chdir(tmp_path)  # neither the old folder nor the new one is the working directory
    with duckdb.connect(str(moved / "claims.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM claim_sources").fetchone()[0] == 7


def test_a_failed_duckdb_write_keeps_the_previous_file(tmp_path):
    out, paths = _write(tmp_path)
    before = paths["duckdb"].read_bytes()
    bad = {"claims": pa.table({"a": [1]}), 'bad"name': pa.table({"b": [2]})}
    with pytest.raises(DatasetError, match=r"claims\.duckdb"):
        dataset.write_duckdb(paths["duckdb"], bad)
    assert paths["duckdb"].read_bytes() == before
    assert not [p.name for p in out.iterdir() if p.name.startswith(".claims.duckdb")]


def _readme_queries() -> list[str]:
    from tests.conftest import ROOT

    blocks = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return [b for b in blocks if b.startswith("-- claims.duckdb")]


def test_readme_has_the_only_source_dead_query_verbatim():
    queries = [q for q in _readme_queries() if "only source is dead" in q]
    assert len(queries) == 1
    body = "\n".join(line for line in queries[0].splitlines() if not line.startswith("--"))
    assert " ".join(body.split()).rstrip(";") == " ".join(ONLY_SOURCE_DEAD.split())


@pytest.mark.parametrize("query", _readme_queries(), ids=lambda q: q.splitlines()[0][18:60])
def test_readme_queries_run_on_claims_duckdb(tmp_path, query):
    _, paths = _write(tmp_path)
    with duckdb.connect(str(paths["duckdb"]), read_only=True) as con:
        con.execute(query).fetchall()
