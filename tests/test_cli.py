"""`python -m pipeline run` end to end, in a subprocess behind the loopback-only guard."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES, RAW, guarded_env, pipeline_run

# a text brief whose notes were cut off: its markers have no notes, so the blocking
# markers_have_notes check stops it after `footnotes` and it ends up degraded
NOTES_CUT_OFF = FIXTURES / "runner" / "notes-cut-off.txt"
# the notes it lost, to make a changed version of the same file
LOST_NOTES = """
Notes

1 Port Authority, Annual Report 2021, June 2022, https://port.example.org/annual-report-2021.pdf
2 Shipping Council, "Berth Waiting Times," February 2022.
3 Ministry of Public Works, press release, 4 January 2022.
4 National Audit Office, Dredging Contracts 2019-2021, Report No. 12, 2022.
5 Port Authority, Master Plan 2025, https://port.example.org/master-plan-2025
6 Ana Ruiz, "A Smaller Port," The Coastal Review, 3 March 2022.
7 Port Authority, Board Calendar 2022.
"""
PROGRESS = re.compile(
    r"^\[\d+/\d+\] (?P<name>.+?) \.\.\. (?P<status>\w+)(?: \((?P<reason>.*)\))? in [\d.]+s$", re.M
)
SKIPPED = re.compile(r"^\[\d+/\d+\] (?P<name>.+?): unchanged(?: \((?P<state>.*)\))?, skipped$", re.M)
SUMMARY = re.compile(r"^(?P<processed>\d+) processed, (?P<unchanged>\d+) unchanged, in", re.M)


@pytest.mark.slow
def test_run_writes_the_dataset_and_a_summary(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(RAW / "article-libreoffice.pdf", raw / "article-libreoffice.pdf")
    (raw / "bad.pdf").write_bytes(bytes(range(256)) * 20)
    out = tmp_path / "extracted"
    env = guarded_env(DAGSTER_HOME=str(tmp_path / "dagster_home"))
    proc = subprocess.run(
        pipeline_run(raw, out),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "article-libreoffice.pdf" in proc.stdout and "failed" in proc.stdout
    assert "unverified" in proc.stdout  # no network here: links are unverified, not dead
    docs = {d["source_path"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert docs["bad.pdf"]["status"] == "failed"
    assert docs["article-libreoffice.pdf"]["status"] == "ok"
    statuses = set(pq.read_table(out / "url_checks.parquet").column("status").to_pylist())
    assert "dead" not in statuses

    runs_after_first = _run_count(tmp_path / "dagster_home")
    again = subprocess.run(
        pipeline_run(raw, out),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert again.returncode == 0
    assert SUMMARY.search(again.stdout)["processed"] == "0"  # nothing is parsed again
    assert re.search(r"bad\.pdf: unchanged \(failed: .*\), skipped", again.stdout)
    # links found offline are looked at again on an online run; one probe of their hosts finds
    # the network still down, so no re-check run and no roll-up are added for nothing
    assert "article-libreoffice.pdf: unchanged, skipped (links not re-checked: still offline)" in again.stdout
    assert "dataset: no document changed since it was written, kept as it is" in again.stdout
    assert _run_count(tmp_path / "dagster_home") == runs_after_first


def _run_count(home: Path) -> int:
    """How many runs the Dagster instance in ``home`` holds."""
    from pipeline.runner import open_instance

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(home))  # its dagster.yaml reads it
        with open_instance(home) as instance:
            return len(instance.get_runs())


def test_missing_raw_folder_is_a_clear_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        env=guarded_env(),
    )
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr


def run_cli(raw: Path, out: Path, home: Path) -> str:
    proc = subprocess.run(
        pipeline_run(raw, out, "--offline"),
        capture_output=True,
        text=True,
        env=guarded_env(DAGSTER_HOME=str(home)),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def documents(out: Path) -> dict[str, dict]:
    return {d["source_path"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}


def counts(stdout: str) -> tuple[int, int]:
    m = SUMMARY.search(stdout)
    assert m, stdout
    return int(m["processed"]), int(m["unchanged"])


def instance_files(home: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file of the Dagster instance (runs, event logs, SQLite indexes)."""
    return {
        str(p.relative_to(home)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != "dagster.yaml"
    }


@pytest.mark.slow
def test_finished_documents_are_skipped_until_their_file_changes(tmp_path):
    raw, out, home = tmp_path / "raw", tmp_path / "out", tmp_path / "home"
    raw.mkdir()
    shutil.copyfile(NOTES_CUT_OFF, raw / "notes-cut-off.txt")
    shutil.copyfile(FIXTURES / "text" / "wrapped-pages.txt", raw / "fiscal-rules.txt")

    # 1. the progress line tells the final status, as documents.parquet does, with the reason
    first = run_cli(raw, out, home)
    lines = {m["name"]: m for m in PROGRESS.finditer(first)}
    docs = documents(out)
    assert {name: line["status"] for name, line in lines.items()} == {
        name: row["status"] for name, row in docs.items()
    }
    assert docs["notes-cut-off.txt"]["status"] == "degraded"
    assert docs["fiscal-rules.txt"]["status"] == "ok"
    reason = lines["notes-cut-off.txt"]["reason"]
    assert reason.startswith("check markers_have_notes failed: ") and "no notes were found" in reason
    assert lines["fiscal-rules.txt"]["reason"] is None
    published = (out / "documents.parquet").resolve()

    # 2. nothing changed: nothing is redone (the degraded document neither), nothing is written
    before = instance_files(home)
    second = run_cli(raw, out, home)
    assert counts(second) == (0, 2)
    skipped = {m["name"]: m["state"] for m in SKIPPED.finditer(second)}
    assert skipped == {"fiscal-rules.txt": None, "notes-cut-off.txt": f"degraded: {reason}"}
    assert "dataset: no document changed since it was written, kept as it is" in second
    assert (out / "documents.parquet").resolve() == published
    assert instance_files(home) == before, "an unchanged run wrote to the Dagster instance"

    # 3. a changed file is done again, and the dataset rebuilt; the other one is still skipped
    with open(raw / "notes-cut-off.txt", "a", encoding="utf-8") as fh:
        fh.write(LOST_NOTES)
    third = run_cli(raw, out, home)
    assert counts(third) == (1, 1)
    assert {m["name"]: m["status"] for m in PROGRESS.finditer(third)} == {"notes-cut-off.txt": "ok"}
    assert documents(out)["notes-cut-off.txt"]["status"] == "ok"
    assert (out / "documents.parquet").resolve() != published

    # 4. a deleted file: nothing to redo, but the dataset must lose its rows
    os.remove(raw / "fiscal-rules.txt")
    fourth = run_cli(raw, out, home)
    assert counts(fourth) == (0, 1) and "1 removed" in fourth
    assert "kept as it is" not in fourth
    assert set(documents(out)) == {"notes-cut-off.txt"}


def test_links_checked_offline_are_checked_on_the_next_online_run_without_redoing_the_document(tmp_path):
    from tests.core.urlcheck.servers import http_server

    raw, out = tmp_path / "raw", tmp_path / "extracted"
    raw.mkdir()
    with http_server() as server:
        server.expect_request("/report").respond_with_data("<title>Report</title>", content_type="text/html")
        url = f"http://127.0.0.2:{server.port}/report"
        (raw / "brief.txt").write_text(
            f'A Brief\n\nThe port grew by 12% in 2022.¹\n\n1 Port Authority, "Report", 2022, {url}\n',
            encoding="utf-8",
        )
        env = guarded_env(
            DAGSTER_HOME=str(tmp_path / "home"),
            PIPELINE_URL_ALLOW_PRIVATE='["127.0.0.2/32"]',
            PIPELINE_URL_ARCHIVE_LOOKUP="false",
        )

        def run(*extra: str) -> str:
            cmd = pipeline_run(raw, out, *extra)
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
            assert proc.returncode == 0, proc.stderr[-3000:]
            return proc.stdout

        run("--offline")
        assert pq.read_table(out / "url_checks.parquet").column("status").to_pylist() == ["unverified"]
        online = run()
    assert "links were checked offline: re-checking ... done" in online
    assert SUMMARY.search(online)["processed"] == "0"  # the document itself was not redone
    (row,) = pq.read_table(out / "url_checks.parquet").to_pylist()
    assert (row["url"], row["status"], row["page_title"]) == (url, "ok", "Report")
    (source,) = pq.read_table(out / "claim_sources.parquet").to_pylist()
    assert source["url_status"] == "ok"
    assert "skipped" in run()  # online and checked: nothing left to do


def _cite(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "cite", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cite_reads_notes_from_stdin_and_writes_one_json_line_per_note():
    import json

    notes = (
        'Ana Ruiz, "A Smaller Port," The Coastal Review, 3 March 2022, https://coastal.example.org/port.\n'
        "\n"
        "Ibid., 4.\n"
    )
    proc = _cite(["-"], notes)
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["note"] for r in results] == [1, 2, 3]  # a blank line still gets its result
    first = results[0]["citations"][0]
    assert first["authors"] == ["Ana Ruiz"]
    assert first["title"] == "A Smaller Port"
    assert first["container"] == "The Coastal Review"
    assert first["published"] == "2022-03-03"
    assert first["urls"] == ["https://coastal.example.org/port"]
    assert results[1]["citations"] == []
    ibid = results[2]["citations"][0]
    assert ibid["kind"] == "ibid" and ibid["refers_to"] == first["citation_id"]


def test_cite_reads_a_file_and_defaults_to_stdin(tmp_path):
    import json

    notes = tmp_path / "notes.txt"
    notes.write_text("Greene, Graham. Ways of Escape. New York: Penguin, 1982.\n", encoding="utf-8")
    from_file = _cite([str(notes)])
    from_stdin = _cite([], notes.read_text(encoding="utf-8"))
    assert from_file.returncode == 0 and from_stdin.returncode == 0, from_file.stderr + from_stdin.stderr
    assert from_file.stdout == from_stdin.stdout
    (result,) = [json.loads(line) for line in from_file.stdout.splitlines()]
    assert result["citations"][0]["published"] == "1982"


def test_cite_missing_file_is_a_clear_error(tmp_path):
    proc = _cite([str(tmp_path / "nope.txt")])
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "cannot read the notes" in proc.stderr and "nope.txt" in proc.stderr


# ---------------------------------------------------------------------------------------------
# python -m pipeline claims
# ---------------------------------------------------------------------------------------------

DEBATE = (
    "Good evening and welcome to the debate.\n"
    "\n"
    "The trade deficit went way down last year, by tens of thousands of jobs.\n"
    "Senator, what would you do about it?\n"
)


def _claims_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "claims", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=guarded_env(),
        timeout=300,
    )


def test_claims_one_per_line_writes_one_object_per_input_line():
    import json

    proc = _claims_cli("--one-per-line", "-", stdin=DEBATE)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert rows[1] == {"line": 2, "checkworthy": 0.0, "reasons": []}  # an empty line has no claim
    claim, question = rows[2], rows[3]
    assert claim["checkworthy"] > max(rows[0]["checkworthy"], question["checkworthy"])
    assert claim["reasons"] and all(isinstance(r, str) for r in claim["reasons"]), claim


def test_claims_of_a_file_lists_text_score_reasons_and_entities(tmp_path):
    import json

    text = tmp_path / "article.txt"
    text.write_text(
        "By Ilya Roubanis\n\nTurkey's trade with Iran grew by 42% in 2023.\nAnkara welcomed it.\n\n"
        "All Rights Reserved.\n",
        encoding="utf-8",
    )
    proc = _claims_cli(str(text))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["text"] for r in rows] == [
        "Turkey's trade with Iran grew by 42% in 2023.",
        "Ankara welcomed it.",
    ]
    first = rows[0]
    assert first["checkworthy"] > rows[1]["checkworthy"]
    assert "number: 42%" in first["reasons"]
    assert {(e["text"], e["label"]) for e in first["entities"]} >= {("Turkey", "GPE"), ("Iran", "GPE")}
    assert all(first["text"][e["start"] : e["end"]] == e["text"] for e in first["entities"])


def test_claims_of_a_missing_file_is_a_clear_error(tmp_path):
    proc = _claims_cli(str(tmp_path / "nope.txt"))
    assert proc.returncode == 2
    assert "cannot read the text" in proc.stderr and "nope.txt" in proc.stderr
    assert proc.stdout == ""


def test_run_processes_only_the_files_it_is_given_and_report_takes_a_path(tmp_path):
    raw, out, home = tmp_path / "raw", tmp_path / "out", tmp_path / "home"
    raw.mkdir()
    (raw / "a.txt").write_text("A brief\n\nThe council met in May 2021.\n")
    (raw / "b.txt").write_text("Another brief\n\nThe court ruled in June 2022.\n")
    env = guarded_env(DAGSTER_HOME=str(home))
    first = subprocess.run(
        pipeline_run(raw, out, "--offline", str(raw / "a.txt")),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert "a.txt ... ok" in first.stdout and "b.txt" not in first.stdout.split("\n\n")[0]
    assert counts(first.stdout) == (1, 0)

    def report(arg: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "pipeline", "report", arg, "--out", str(out), "--raw", str(raw)]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)

    by_path = report(str(raw / "a.txt"))
    assert by_path.returncode == 0 and by_path.stdout.strip() == str(out / "reports" / "a.txt.html")
    assert report("a.txt").stdout == by_path.stdout
    wrong = report(str(raw / "typo.txt"))
    assert wrong.returncode == 2 and f"no file {raw / 'typo.txt'}" in wrong.stderr
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("x")
    elsewhere = subprocess.run(
        pipeline_run(raw, out, "--offline", str(outside)),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert elsewhere.returncode == 2 and "is not in the input folder" in elsewhere.stderr


def test_check_urls_takes_a_line_with_a_space_as_one_invalid_url(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("http://exa mple.com/x\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "check-urls", str(urls)],
        capture_output=True,
        text=True,
        env=guarded_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    result = json.loads(line)
    assert (result["url"], result["status"]) == ("http://exa mple.com/x", "invalid_url")
