"""End to end: does the source still say what was cited? A text article cites pages on a loopback
server (a page holding the claim's quotation, one holding its figures, one holding part of it, one
holding nothing of it, a dead page whose snapshot holds it, a live page changed since its snapshot,
a paywall, a dead page never archived), with a Wayback stand-in on the same server; the real
command line runs the pipeline, and claim_sources.parquet and url_checks.parquet are read back.
"""

from __future__ import annotations

import json
import re
import subprocess

import pyarrow.parquet as pq
import pytest
from werkzeug import Request, Response

from tests.conftest import guarded_env, pipeline_run
from tests.core.urlcheck.servers import http_server

pytestmark = pytest.mark.slow

STAMP = "20230301000000"


def html(title: str, body: str, head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body><nav>Home | World | Business</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© News site 2024</footer></body></html>"
    )


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


FILLER = (
    "Analysts in the region said the situation remained fluid and that further statements were expected "
    "in the coming weeks, as delegations prepared for another round of talks."
)
#: path -> (live page or None for a 404, archived page or None for no snapshot)
PAGES: dict[str, tuple[str | None, str | None]] = {
    "/quote": (
        html(
            "Minister visits the border region",
            paragraphs(
                "Speaking in Baku on Monday, the foreign minister told reporters: "
                "“Our borders will never be changed by force.” He then left for the capital.",
                FILLER,
            ),
        ),
        "same",
    ),
    "/figures": (
        html(
            "Iran and Turkey trade climbs",
            paragraphs(
                "Trade between Iran and Turkey climbed to 600m dollars in 2023, a rise of 42 per cent "
                "on the previous year, the trade ministry in Tehran said.",
                FILLER,
            ),
        ),
        "same",
    ),
    "/part": (
        html(
            "Troops moved towards the border",
            paragraphs(
                "Azerbaijan moved troops towards the Armenian border, officials said, without giving "
                "numbers or dates for the deployment.",
                FILLER,
            ),
        ),
        "same",
    ),
    "/nothing": (
        html(
            "Easy lemon cake",
            paragraphs(
                "Mix the flour with two eggs, sugar and the zest of a lemon, then bake the cake for "
                "forty minutes in a hot oven.",
                "Serve with cream and fresh berries; the cake keeps for a week in a tin.",
            ),
        ),
        "same",
    ),
    "/gone": (
        None,
        html(
            "Caspian pipeline flows",
            paragraphs(
                "The Caspian pipeline carried 1.2 million barrels a day in 2021, the operator said in "
                "its annual report.",
                FILLER,
            ),
        ),
    ),
    "/changed": (
        html(
            "Museum of coins opens",
            paragraphs(
                "A new museum of historic coins opened its doors to visitors this spring, with guided "
                "tours every afternoon and a shop selling replicas.",
                "Tickets can be bought online or at the entrance; children under twelve go free.",
            ),
        ),
        html(
            "Armenia raises its key rate",
            paragraphs(
                "Armenia's central bank raised its key interest rate to 10.75% in January 2023 to fight "
                "inflation, the bank's board said after its meeting in Yerevan.",
                FILLER,
            ),
        ),
    ),
    "/paywall": (
        html(
            "Exports to China fall",
            paragraphs("Exports to China fell sharply last year.", "Subscribe to continue reading."),
            head='<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            '"isAccessibleForFree":false,"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false}}'
            "</script>",
        ),
        "same",
    ),
    "/never-archived": (None, None),
    "/edited": (
        html(
            "Port traffic in 2022",
            paragraphs(
                "The port of Poti handled 2.9 million containers in 2022, the port authority said in its yearly "
                "review, citing weaker demand in the second half.",
                FILLER,
            ),
        ),
        html(
            "Port traffic in 2022",
            paragraphs(
                "The port of Poti handled 3.4 million containers in 2022, the port authority said in its yearly "
                "review, citing weaker demand in the second half.",
                FILLER,
            ),
        ),
    ),
}

ARTICLE = """Regional Trade and Security Brief

The foreign minister said that "our borders will never be changed by force" during the visit.¹

Trade between Iran and Turkey reached $600 million in 2023, up 42% on the year.²

Azerbaijan deployed 50,000 troops to the Armenian border in September 2022.³

Georgia's parliament passed the foreign agents law by 84 votes to 30 in May 2024.⁴

The Caspian pipeline carried 1.2 million barrels a day in 2021, the operator said.⁵

Armenia's central bank raised its key rate to 10.75% in January 2023.⁶

The newspaper reported that exports to China fell by 18% in 2022.⁷

Exports of gas to Europe doubled in 2022 according to the energy ministry.⁸

The port of Poti handled 3.4 million containers in 2022, its authority said.⁹

Notes

1 Ministry of Foreign Affairs, "Minister visits the border region", 2023, {base}/quote
2 Tehran Times, "Iran and Turkey trade climbs", 2023, {base}/figures
3 Euro News, "Troops moved towards the border", 2022, {base}/part
4 Civil Georgia, "Parliament passes the law", 2024, {base}/nothing
5 Pipeline Consortium, "Caspian pipeline flows", 2022, {base}/gone
6 Armenpress, "Armenia raises its key rate", 2023, {base}/changed
7 Daily Ledger, "Exports to China fall", 2023, {base}/paywall
8 Energy Daily, "Gas exports double", 2023, {base}/never-archived
9 Port Authority, "Port traffic in 2022", 2023, {base}/edited
"""

#: what each source must be judged: (url_status, evidence, evidence_source)
EXPECTED = {
    "/quote": ("ok", "found", "live"),
    "/figures": ("ok", "found", "live"),
    "/part": ("ok", "partial", "live"),
    "/nothing": ("ok", "not_found", "live"),
    "/gone": ("dead", "found", "archive"),
    "/changed": ("ok", "not_found", "live"),
    "/paywall": ("paywalled", "not_checked", None),
    "/never-archived": ("dead", "not_checked", None),
    "/edited": ("ok", "partial", "live"),
}


def site(base: str):
    """The live pages, the Wayback availability API and the raw snapshots (``/web/<stamp>id_/<url>``)."""

    def handler(request: Request) -> Response:
        path = request.path
        if path == "/wayback/available":
            url = request.args["url"]
            live, archived = PAGES.get(url.removeprefix(base), (None, None))
            if archived is None:
                return Response(
                    json.dumps({"url": url, "archived_snapshots": {}}), content_type="application/json"
                )
            snap = {
                "available": True,
                "status": "200",
                "timestamp": STAMP,
                "url": f"{base}/web/{STAMP}/{url}",
            }
            body = {"url": url, "archived_snapshots": {"closest": snap}}
            return Response(json.dumps(body), content_type="application/json")
        m = re.match(r"^/web/(\d{14})id_/(.*)$", path)
        if m:
            original = re.sub(r"^https?:/+[^/]+", "", m.group(2))
            live, archived = PAGES.get(original, (None, None))
            page = live if archived == "same" else archived
            if page is None:
                return Response("not archived", status=404)
            return Response(page, content_type="text/html; charset=utf-8")
        live, _ = PAGES.get(path, (None, None))
        if live is None:
            return Response("<html><head><title>404 Not Found</title></head></html>", status=404)
        return Response(live, content_type="text/html; charset=utf-8")

    return handler


def test_the_pipeline_says_what_each_cited_page_still_holds_of_its_claim(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "extracted"
    raw.mkdir()
    with http_server() as server:
        base = f"http://127.0.0.2:{server.port}"
        server.expect_request(re.compile(".*")).respond_with_handler(site(base))
        (raw / "brief.txt").write_text(ARTICLE.replace("{base}", base), encoding="utf-8")
        env = guarded_env(
            DAGSTER_HOME=str(tmp_path / "home"),
            PIPELINE_URL_ALLOW_PRIVATE='["127.0.0.2/32"]',
            PIPELINE_URL_WAYBACK_API=f"{base}/wayback/available",
            PIPELINE_URL_PER_HOST_INTERVAL="0.05",
        )
        proc = subprocess.run(pipeline_run(raw, out), capture_output=True, text=True, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]

    sources = pq.read_table(out / "claim_sources.parquet").to_pylist()
    checks = {r["url"].removeprefix(base): r for r in pq.read_table(out / "url_checks.parquet").to_pylist()}
    got = {
        r["url"].removeprefix(base): (r["url_status"], r["evidence"], r["evidence_source"])
        for r in sources
        if r["url"]
    }
    assert got == EXPECTED
    by_path = {r["url"].removeprefix(base): r for r in sources if r["url"]}
    assert "will never be changed by force" in by_path["/quote"]["evidence_snippet"].lower()
    assert "1.2 million barrels" in by_path["/gone"]["evidence_snippet"]
    assert all(len(r["evidence_snippet"] or "") <= 300 for r in sources)
    assert by_path["/nothing"]["evidence_snippet"] is None
    assert 0.0 <= by_path["/nothing"]["evidence_score"] < by_path["/part"]["evidence_score"]
    assert by_path["/part"]["evidence_score"] < by_path["/figures"]["evidence_score"] <= 1.0

    # the live page that changed since its snapshot is flagged; the unchanged ones are not
    assert checks["/changed"]["content_changed"] is True
    assert checks["/changed"]["content_similarity"] < 0.6
    # a figure edited in an otherwise unchanged article: the text is nearly the same, the claim is not
    assert checks["/edited"]["content_changed"] is True and checks["/edited"]["content_similarity"] > 0.9
    for path in ("/quote", "/figures", "/part", "/nothing"):
        assert checks[path]["content_changed"] is False, path
        assert checks[path]["content_similarity"] == 1.0
    assert checks["/gone"]["archive_url"].startswith(f"{base}/web/{STAMP}/")
    assert checks["/never-archived"]["archive_error"] == "no snapshot in the Wayback Machine"

    # the texts are kept by hash in the state folder, not in the tables
    assert (out / ".state" / "pages").is_dir()
    digest = checks["/figures"]["content_hash"]
    assert (out / ".state" / "pages" / digest[:2] / f"{digest}.json").exists()

    # the report leads with the claims at risk: the recipe page, the changed page, the unarchived death
    report = (out / "reports" / "brief.txt.html").read_text(encoding="utf-8")
    at_risk = report[report.index("Claims at risk") : report.index("Cited links")]
    assert "Claims at risk (4)" in at_risk
    for claim in ("foreign agents law", "key rate", "gas to Europe", "containers"):
        assert claim in at_risk
    assert "evidence: found (archive)" in report
    assert "links checked" in report
