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
    assert (SCREENSHOTS / "ui-claims_dataset.png").stat().st_size > 10_000
