"""The README documents what the code does: every setting, every asset, check, sensor and schedule,
and its queries give the results it shows."""

import re

import pytest

from pipeline.core.settings import PipelineSettings, UrlCheckSettings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS_ROWS = set(re.findall(r"^\| `(PIPELINE_[A-Z_]+)`", README, flags=re.M)) | {
    v
    for row in re.findall(r"^\| (`PIPELINE_[A-Z_]+`, `PIPELINE_[A-Z_]+`) \|", README, flags=re.M)
    for v in re.findall(r"`(PIPELINE_[A-Z_]+)`", row)
}


def _decision_rows() -> list[tuple[str, list[str]]]:
    """The "Where each decision lives" table: (question, every module path its row names)."""
    section = README.split("Where each decision lives:", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in section.splitlines()[2:]:
        question, where = line.strip("|").split("|", 1)
        names = re.findall(r"`([\w/.*]+\.py)`", where)
        folder, paths = "", []
        for name in names:  # a bare `x.py` lives in the folder of the path before it
            if "/" in name:
                folder = name.rsplit("/", 1)[0]
                paths.append(name)
            else:
                paths.append(f"{folder}/{name}")
        rows.append((question.strip(), paths))
    return rows


def test_every_decision_in_the_readme_names_modules_that_exist():
    rows = _decision_rows()
    assert len(rows) >= 15
    missing = [
        (question, path)
        for question, paths in rows
        for path in paths
        if not (list(ROOT.glob(path)) if "*" in path else (ROOT / path).is_file())
    ]
    assert rows and all(paths for _, paths in rows)
    assert missing == []


@pytest.mark.parametrize(
    "variable",
    [f"PIPELINE_{name.upper()}" for name in PipelineSettings.model_fields]
    + [f"PIPELINE_URL_{name.upper()}" for name in UrlCheckSettings.model_fields],
)
def test_every_setting_is_in_the_settings_table(variable):
    assert variable in SETTINGS_ROWS


def test_every_asset_check_sensor_and_schedule_is_described():
    from pipeline.definitions import defs

    d = defs()
    names = [k.path[-1] for k in d.resolve_asset_graph().get_all_asset_keys()]
    names += [c.name for c in d.resolve_asset_graph().asset_check_keys]
    names += [s.name for s in d.sensors or []] + [s.name for s in d.schedules or []]
    missing = [n for n in names if f"`{n}`" not in README]
    assert not missing


# --- the queries in README give the results it promises -------------------------------------------

SQL_BLOCK = re.compile(r"```sql\n(.*?)```(?:\n\n((?:\|[^\n]*\|\n)+))?", re.S)
SEED = "article-libreoffice.pdf"
CLINGENDAEL = "https://www.clingendael.org/publication/east-eden-will-tehran-find-salvation-looking-eastwards"


def _sql_blocks() -> list[tuple[str, str, list[list[str]]]]:
    """(title, query, the rows of the table README shows under it) of every SQL block."""
    blocks = []
    for query, table in SQL_BLOCK.findall(README):
        title = query.splitlines()[0].removeprefix("-- claims.duckdb: ").removeprefix("-- ")
        rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in table.splitlines()[2:]]
        blocks.append((title, query, rows))
    return blocks


def _claims_duckdb_queries() -> list[tuple[str, str, list[list[str]]]]:
    return [b for b in _sql_blocks() if b[1].startswith("-- claims.duckdb")]


def _cell(value: object) -> str:
    """A value as README's tables print it."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


@pytest.fixture(scope="module")
def readme_dataset(tmp_path_factory, parsed_seed, nlp_model):
    """The seed article as an offline run leaves it (every link 'unverified'), with the worked example
    of tests/core/dataset/example.py beside it (a dead link, a repeat): the folder holding extracted/."""
    from pipeline.core import citations, dataset, footnotes, nlp
    from pipeline.core.models import CitationSet, Status, UrlCheck, UrlCheckSet
    from tests.core.dataset.example import records

    doc = parsed_seed(SEED)
    split = footnotes.split_notes(doc)
    cits = CitationSet(
        doc_id=doc.doc_id, sha256=doc.sha256, citations=citations.parse_citations(doc.doc_id, split.notes)
    )
    claims = nlp.claim_set(doc.doc_id, doc.sha256, nlp.extract_claims(split, nlp_model))
    urls = dict.fromkeys(u.url for n in split.notes for u in n.urls)
    checks = [UrlCheck(url=u, status=Status.UNVERIFIED, error="offline") for u in urls]
    urlset = UrlCheckSet(doc_id=doc.doc_id, sha256=doc.sha256, offline=True, checks=checks)
    root = tmp_path_factory.mktemp("readme")
    seed = dataset.DocumentRecords(doc, split, cits, claims, urlset)
    dataset.write_dataset(root / "extracted", dataset.build_tables([seed, *records()]))
    return root


def _check_worthy_uncited(rows: list[tuple]) -> None:
    assert len(rows) == 10
    (sample,) = [
        t
        for title, _, t in _sql_blocks()
        if title == "five check-worthy claims of the seed article that cite nothing"
    ]
    assert [[_cell(r[2]), _cell(r[1]), _cell(r[3])] for r in rows[:5]] == sample  # the seed's, as shown
    assert all(doc_id == SEED for doc_id, *_ in rows)  # the worked example's uncited claim scores 0


def _azerbaijan(rows: list[tuple]) -> None:
    assert len(rows) == 36 and {r[0] for r in rows} == {"Azerbaijan"}
    assert rows[0] == (  # the lede, body text since issue 12
        "Azerbaijan",
        "The key to this new taxonomy is a working relationship with Turkey and Russia, reigning over the "
        "ambitions of Azerbaijan, and restricting the scope for Israeli influence.",
        False,
    )
    assert rows[1] == (
        "Azerbaijan",
        "These priorities are reflected in the re-heating of the International North-South Transport Corridor "
        "project, a vision for the construction of a 7,200 multimodal network linking Russia and India via "
        "Azerbaijan and Iran.",
        False,
    )
    assert sum(1 for r in rows if r[2]) == 8  # cited


def _links_first(rows: list[tuple]) -> None:
    assert len(rows) == 10
    assert rows[:3] == [
        ("https://dead.example.org/report", "dead", 3),  # the worked example: three claims rest on it
        (CLINGENDAEL, "unverified", 2),
        ("http://cgsrs.org/publications/48", "unverified", 1),
    ]


#: what each query of README finds in ``readme_dataset`` (queries with a table in README: that table)
KNOWN = {
    "cited claims whose only source is dead": [
        ("dead-only", "Iran cut oil exports by 40% in 2020.", ["https://dead.example.org/report"]),
        ("dead-via-ibid", "Exports fell again in 2021.", ["https://dead.example.org/report"]),
    ],
    "links to look at first (most claims rest on them), with their status": _links_first,
    "the most check-worthy claims that cite nothing, with the reasons": _check_worthy_uncited,
    "repeats (Ibid., Id., supra, short forms) and the full citation they stand for": [
        ("doc", 2, "Ibid., 4.", 1, "Only a dead link")
    ],
    "every claim that mentions an entity, whatever the variant": _azerbaijan,
}


@pytest.mark.parametrize(
    ("title", "query", "table"), _claims_duckdb_queries(), ids=[b[0][:50] for b in _claims_duckdb_queries()]
)
def test_readme_queries_give_their_known_results(readme_dataset, title, query, table):
    import duckdb

    with duckdb.connect(str(readme_dataset / "extracted" / "claims.duckdb"), read_only=True) as con:
        rows = con.execute(query).fetchall()
    if table:  # the sample README shows under the query
        assert [[_cell(v) for v in row] for row in rows] == table
        return
    known = KNOWN[title]
    if callable(known):
        known(rows)
    else:
        assert rows == known


def test_readme_parquet_query_joins_claims_to_their_notes(readme_dataset, monkeypatch):
    import duckdb

    (query,) = [q for _, q, _ in _sql_blocks() if q.startswith("-- duckdb\n")]
    monkeypatch.chdir(readme_dataset)  # the query names extracted/*.parquet
    rows = duckdb.sql(query).fetchall()
    every = duckdb.sql(query.replace("LIMIT 5", "")).fetchall()
    assert len(rows) == 5 and all(row in every for row in rows)
    assert len(every) == 82  # a claim once per note it cites


def test_readme_python_query_counts_claim_sources_by_status(readme_dataset):
    import duckdb

    (snippet,) = re.findall(r"```python\n(import duckdb\n.*?)```", README, re.S)
    (query,) = re.findall(r'con\.sql\("(.*?)"\)', snippet)
    with duckdb.connect(str(readme_dataset / "extracted" / "claims.duckdb"), read_only=True) as con:
        counts = dict(con.execute(query).fetchall())
    # 119: the seed's note 76 gives three citations, and its URL printed twice counts for both that hold it
    assert counts == {"unverified": 119, "dead": 3, "ok": 1, None: 4}


# README's example: "cited claims whose only source is dead".
ONLY_SOURCE_DEAD = """
SELECT claim_id, any_value(claim_text) AS claim, list(DISTINCT url) AS dead_urls
FROM claim_sources
WHERE citation_kind IS DISTINCT FROM 'commentary'
GROUP BY claim_id
HAVING bool_and(coalesce(url_status = 'dead', false))
ORDER BY claim_id
"""


def test_readme_has_the_only_source_dead_query_verbatim():
    queries = [q for _, q, _ in _claims_duckdb_queries() if "only source is dead" in q]
    assert len(queries) == 1
    body = "\n".join(line for line in queries[0].splitlines() if not line.startswith("--"))
    assert " ".join(body.split()).rstrip(";") == " ".join(ONLY_SOURCE_DEAD.split())


def test_readme_query_finds_claims_whose_only_source_is_dead(tmp_path):
    import duckdb

    from tests.core.dataset.example import DEAD, write_example

    _, paths = write_example(tmp_path)
    with duckdb.connect(str(paths["duckdb"]), read_only=True) as con:
        rows = con.execute(ONLY_SOURCE_DEAD).fetchall()
    assert [(cid, urls) for cid, _, urls in rows] == [("dead-only", [DEAD]), ("dead-via-ibid", [DEAD])]


def test_readme_pandas_example_runs_as_written_and_gives_cited_claims(readme_dataset, monkeypatch):
    (snippet,) = re.findall(r"```python\n(import pandas as pd\n.*?)```", README, re.S)
    *body, last = snippet.strip().splitlines()
    monkeypatch.chdir(readme_dataset)  # the snippet reads extracted/claims.parquet
    scope: dict[str, object] = {}
    exec("\n".join([*body, f"result = {last}"]), scope)  # the README's own code
    result = scope["result"]
    assert len(result) == 5 and bool(result.cited.all())
    assert all(int(n) > 0 for n in result.footnote_numbers)  # one row per (claim, note number)


def test_readme_pyarrow_example_reads_a_table_folder_as_one_table(readme_dataset, monkeypatch):
    import duckdb

    (snippet,) = re.findall(r"```python\n(import pyarrow\.dataset as ds\n.*?)```", README, re.S)
    *body, last = snippet.strip().splitlines()
    monkeypatch.chdir(readme_dataset)  # the snippet reads extracted/claim_sources.parquet
    scope: dict[str, object] = {}
    exec("\n".join([*body, f"result = {last}"]), scope)  # the README's own code
    got = {r["url_status"]: r["url_count_distinct"] for r in scope["result"]}
    with duckdb.connect(str(readme_dataset / "extracted" / "claims.duckdb"), read_only=True) as con:
        want = dict(
            con.execute(
                "SELECT url_status, count(DISTINCT url) FROM claim_sources GROUP BY url_status"
            ).fetchall()
        )
    assert got == want and got["dead"] == 1
