"""`python -m pipeline check-urls`, in a subprocess behind the loopback-only guard."""

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

from tests.conftest import guarded_env
from tests.core.urlcheck_servers import http_server

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
