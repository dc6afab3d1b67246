"""The Dagster UI in a real browser: the webserver on 127.0.0.1, GraphQL, then headless Chromium.

Skipped only when no Chromium binary is installed (.ci/run installs Debian's `chromium`).
Chromium is started with its resolver and proxy pointed at nothing, so it can only reach
127.0.0.1 (tests never send traffic elsewhere).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import RAW, ROOT, guarded_env

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary (Debian package `chromium`)"),
]
SCREENSHOTS = ROOT / "extracted"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1;localhost",
]
QUERY = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
  sensors { name } schedules { name }
  assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } } } } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    """A pipeline run on one seed PDF, then the Dagster webserver over that instance."""
    base = tmp_path_factory.mktemp("ui")
    raw, out, home = base / "raw", base / "extracted", base / "dagster_home"
    raw.mkdir()
    shutil.copyfile(RAW / "article-libreoffice.pdf", raw / "article-libreoffice.pdf")
    env = guarded_env(
        DAGSTER_HOME=str(home), PIPELINE_RAW_DIR=str(raw), PIPELINE_OUT_DIR=str(out), PIPELINE_OFFLINE="true"
    )
    subprocess.run(
        [sys.executable, "-m", "pipeline", "run"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    port = free_port()

    def reset_sigint() -> None:
        # a backgrounded Dagster process ignores SIGTERM unless SIGINT has its default handler
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setsid()

    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            "pipeline.definitions",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=reset_sigint,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read().decode()[-3000:]) from None
                time.sleep(0.5)
        else:
            raise RuntimeError("webserver did not start within 120 s")
        yield port, out
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_graphql_lists_assets_checks_sensor_and_schedule(webserver):
    port, _ = webserver
    (repo,) = graphql(port, QUERY)["data"]["repositoriesOrError"]["nodes"]
    assets = {"/".join(a["assetKey"]["path"]): a for a in repo["assetNodes"]}
    assert {"parsed_document", "footnotes", "citations", "claims", "url_checks", "claims_dataset"} <= set(
        assets
    )
    checks = {c["name"] for a in assets.values() for c in a["assetChecksOrError"].get("checks", [])}
    assert {"text_extracted", "markers_have_notes", "notes_have_markers"} <= checks
    assert "raw_documents_sensor" in {s["name"] for s in repo["sensors"]}
    assert "weekly_link_recheck" in {s["name"] for s in repo["schedules"]}


def test_asset_page_renders_the_dataset_metadata(webserver):
    from playwright.sync_api import sync_playwright

    port, _ = webserver
    assert graphql(port, "mutation { setNuxSeen }")["data"]["setNuxSeen"] is True  # the community pop-up
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(
                f"http://127.0.0.1:{port}/assets/claims_dataset", wait_until="networkidle", timeout=90_000
            )
            page.wait_for_selector("text=documents_rows", timeout=60_000)
            text = page.inner_text("body")
            page.screenshot(path=str(SCREENSHOTS / "ui-claims_dataset.png"), full_page=True)
        finally:
            browser.close()
    assert "claims_dataset" in text
    assert "Never materialized" not in text
    assert "footnotes_rows" in text and "claims_path" in text
    assert "link_rot_by_domain" in text and "worst_links" in text and "reports" in text
    assert (SCREENSHOTS / "ui-claims_dataset.png").stat().st_size > 10_000


def test_the_report_shows_a_reader_each_claim_with_its_sources(webserver):
    """The HTML report the run wrote, opened as a reader would: from disk, in the browser."""
    from playwright.sync_api import sync_playwright

    from pipeline.core.report import report_path

    _, out = webserver
    report = report_path(out, "article-libreoffice.pdf")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri(), wait_until="load")
            title = page.inner_text("h1")
            headings = page.locator("h2").all_inner_texts()
            first_claim = page.locator(".claim").first
            claim_text = first_claim.inner_text()
            badge = first_claim.locator(".badge").first
            badge_label, badge_hint = badge.inner_text(), badge.get_attribute("title")
            chart_bars = page.locator("svg[aria-label='link statuses'] rect").count()
            page.screenshot(path=str(SCREENSHOTS / "report-article-libreoffice.png"), full_page=False)
        finally:
            browser.close()
    assert title == "Iran's Security Posture in the South Caucasus After the War in Ukraine"
    # the report leads with risk: offline, no source is known to fail, so no claim is at risk
    assert headings[:2] == ["Claims at risk (0)", "Cited links"]
    assert headings[2].startswith("Claims and their sources (")
    # the first cited claim shows its note number, the citation and the link with its status
    assert "Weiss" in claim_text and "swp-berlin.org" in claim_text
    assert badge_label == "unverified" and "not known to be dead" in badge_hint  # offline: never dead
    assert chart_bars >= 1
    assert requests == [report.as_uri()]  # self-contained: no scripts, fonts or images fetched
    assert (SCREENSHOTS / "report-article-libreoffice.png").stat().st_size > 10_000
