"""The run as its callers make it: ``check_document_links`` for the pipeline's asset, and
`python -m pipeline check-urls`, in a subprocess behind the loopback-only guard."""

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest
from werkzeug import Response

from pipeline.core.models import Citation, CitationSet, Note, NoteSplit, Status, UrlRef
from pipeline.core.urlcheck import check_document_links
from tests.conftest import guarded_env
from tests.core.urlcheck.servers import http_server, settings

FIELDS = {"url", "status", "http_status", "redirect_chain", "final_url", "content_type", "page_title"}
FIELDS |= {"error", "elapsed_ms", "checked_at", "confirmed", "archive_url", "archive_timestamp"}


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = guarded_env(PIPELINE_URL_PER_HOST_INTERVAL="0", PIPELINE_URL_ARCHIVE_LOOKUP="false")
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "check-urls", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        **kwargs,
    )


@pytest.fixture(scope="module")
def site():
    with http_server("127.0.0.2") as srv:
        srv.expect_request("/report").respond_with_data(
            "<title>Ports report</title>", content_type="text/html"
        )
        srv.expect_request("/gone").respond_with_data("no", status=404)
        srv.expect_request("/rep-ort").respond_with_data("no", status=404)  # a URL broken at a line end
        srv.expect_request("/moved").respond_with_response(
            Response(status=301, headers={"Location": "/report"})
        )
        yield srv


def test_check_urls_writes_json_lines_and_a_summary_by_status(site, tmp_path):
    listing = tmp_path / "urls.txt"
    ok, gone, moved = site.url_for("/report"), site.url_for("/gone"), site.url_for("/moved")
    listing.write_text(
        f"# cited links\n{ok}\tPorts report\t2021-01-02\n{gone}\n\n{moved}\n{ok}\nftp://files.test/x\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.jsonl"
    proc = run_cli(str(listing), "--out", str(out), "--allow-private", "127.0.0.2/32")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in rows] == [ok, gone, moved, "ftp://files.test/x"]  # each URL once
    assert [r["status"] for r in rows] == ["ok", "dead", "redirected", "unsupported_scheme"]
    assert all(set(r) >= FIELDS for r in rows)
    assert rows[0]["page_title"] == "Ports report" and rows[0]["possible_drift"] is False
    assert rows[1]["confirmed"] is False  # one failure is not enough
    assert rows[2]["final_url"] == ok and rows[2]["redirect_chain"] == [ok]
    assert "4 distinct URLs" in proc.stdout
    for line in ("ok", "dead", "redirected", "unsupported_scheme"):
        assert any(s.split()[:2] == [line, "1"] for s in proc.stdout.splitlines()), proc.stdout
    assert "dead                    1 (0 confirmed)" in proc.stdout


def test_without_out_the_json_goes_to_stdout_and_the_summary_to_stderr(site):
    proc = run_cli("-", "--allow-private", "127.0.0.2/32", input=site.url_for("/report") + "\n")
    assert proc.returncode == 0, proc.stderr
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert row["status"] == "ok"
    assert "1 distinct URLs" in proc.stderr


def test_private_addresses_stay_refused_without_allow_private(site):
    before = len(site.log)
    proc = run_cli("-", input=site.url_for("/report") + "\n")
    assert json.loads(proc.stdout)["status"] == "refused_private"
    assert len(site.log) == before  # nothing reached the server


def test_a_progress_bar_is_shown_on_a_terminal(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(site.url_for(p) for p in ("/report", "/gone", "/moved")) + "\n")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a sized terminal
    env = guarded_env(PIPELINE_URL_PER_HOST_INTERVAL="0", PIPELINE_URL_ARCHIVE_LOOKUP="false")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "check-urls", str(listing), "--allow-private", "127.0.0.2/32"],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(master)
    assert proc.returncode == 0
    assert b"checking" in seen and b"3/3" in seen


@pytest.mark.parametrize(
    "args,message",
    [
        (["missing.txt"], "cannot read the URL list"),
        (["-", "--allow-private", "not a network!"], "neither a network"),
    ],
)
def test_bad_input_is_a_clear_error(args, message, tmp_path):
    proc = run_cli(*args, input="", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr


def _document(site) -> tuple[NoteSplit, CitationSet]:
    report, gone, broken = site.url_for("/report"), site.url_for("/gone"), site.url_for("/rep-ort")
    notes = [
        Note(number=1, label="1", text="...", page=1, urls=[UrlRef(url=report, raw_url=report)]),
        Note(number=2, label="2", text="...", page=1, urls=[UrlRef(url=gone, raw_url=gone)]),
        Note(number=3, label="3", text="...", page=2, urls=[UrlRef(url=report, raw_url=report)]),
        Note(
            number=4,
            label="4",
            text="...",
            page=2,
            urls=[UrlRef(url=broken, raw_url=broken, alternatives=[report])],
        ),
    ]
    cits = [
        Citation(
            citation_id="c1",
            footnote_number=1,
            position=0,
            raw_text="...",
            title="Ports report",
            urls=[report],
        ),
        Citation(
            citation_id="c2",
            footnote_number=2,
            position=0,
            raw_text="...",
            title="Something else entirely",
            accessed="2021-02-03",
            urls=[gone],
        ),
    ]
    return NoteSplit(doc_id="d", sha256="s", notes=notes), CitationSet(doc_id="d", sha256="s", citations=cits)


def test_a_documents_links_are_checked_scored_and_recorded(site, tmp_path):
    notes, cits = _document(site)
    path = tmp_path / "state" / "url_history.sqlite"
    seen = []
    first = check_document_links(
        notes, cits, settings(), path, progress=lambda done, todo: seen.append((done, todo))
    )
    report, gone, broken = site.url_for("/report"), site.url_for("/gone"), site.url_for("/rep-ort")
    assert first.urls == [report, gone, broken]  # each URL once, in note order
    assert (first.checked, first.cached, first.offline, first.note) == (3, 0, False, None)
    links = first.links
    assert (links.doc_id, links.sha256) == ("d", "s")
    assert [(c.url, c.status) for c in links.checks] == [
        (report, Status.OK),
        (gone, Status.DEAD),
        (broken, Status.OK),  # the line-break repair that answers
    ]
    assert [c.cited_title for c in links.checks] == ["Ports report", "Something else entirely", None]
    assert [c.possible_drift for c in links.checks] == [False, None, None]
    assert links.checks[2].tried == [broken, report]
    assert [(c.url, c.status) for c in links.history] == [
        (report, Status.OK),
        (gone, Status.DEAD),
        (broken, Status.OK),
    ]
    assert seen[-1] == (3, 3)

    again = check_document_links(notes, cits, settings(), path)
    assert (again.checked, again.cached) == (0, 3)  # within the TTL: from the history
    assert [c.status for c in again.links.checks] == [Status.OK, Status.DEAD, Status.OK]
    assert len(again.links.history) == 3  # nothing new recorded


def test_offline_a_document_keeps_its_links_unverified_and_says_so(site, tmp_path):
    notes, cits = _document(site)
    before = len(site.log)
    run = check_document_links(notes, cits, settings(), tmp_path / "h.sqlite", offline=True)
    assert run.offline and run.note == "offline mode: no URL was checked; statuses kept"
    assert {c.status for c in run.links.checks} == {Status.UNVERIFIED}
    assert run.links.history == [] and len(site.log) == before
