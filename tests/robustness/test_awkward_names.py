"""One file must never stop a run: awkward entries of raw/ each end as one row, the run goes on.

A name that is not UTF-8, two paths that clean to the same key, a symbolic link out of raw/, a
dangling link and a folder named like a document, through the real command line.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.core.dataset import read_table
from tests.conftest import RAW
from tests.robustness.conftest import run_pipeline

CANARY = "CANARY-7f3a outside the input folder"
#: Python internals a user should never read in a row
INTERNALS = ("Traceback", "Error:", "NoneType", "None: None", "object is not", "b'")


def _awkward_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    seed = (RAW / "article-seed.txt").read_text()
    (raw / "sub" / "a.txt").write_text(seed)
    (raw / "sub__a.txt").write_text(seed.replace("Turkey", "Turkiye"))
    (raw / os.fsdecode(b"caf\xe9.txt")).write_text("A title\n\nThe cafe opened in 2021 in Paris.\n")
    secret = tmp_path / "secret.txt"
    secret.write_text(f"Secret\n\n{CANARY}. It must never be read.\n")
    (raw / "leak.txt").symlink_to(secret)
    (raw / "dangling.pdf").symlink_to(tmp_path / "gone.pdf")
    (raw / "x.pdf").mkdir()
    return raw


def test_awkward_entries_each_get_one_row_and_the_run_goes_on(tmp_path):
    raw, out = _awkward_raw(tmp_path), tmp_path / "extracted"
    proc = run_pipeline(raw, out, tmp_path / "home")
    rows = {d["source_path"]: d for d in read_table(out, "documents")}
    assert sorted(rows) == ["caf\\xe9.txt", "dangling.pdf", "leak.txt", "sub/a.txt", "sub__a.txt", "x.pdf"]
    assert len({d["doc_id"] for d in rows.values()}) == 6
    assert rows["sub/a.txt"]["status"] == rows["sub__a.txt"]["status"] == "ok"
    assert rows["sub/a.txt"]["claims"] > 50 and rows["sub__a.txt"]["claims"] > 50
    assert rows["caf\\xe9.txt"]["status"] == "ok" and rows["caf\\xe9.txt"]["claims"] == 1
    expected = {"leak.txt": "symlink_outside_raw", "dangling.pdf": "broken_link", "x.pdf": "not_a_file"}
    for name, code in expected.items():
        row = rows[name]
        assert (row["status"], row["error_code"]) == ("failed", code), row
        assert not any(bad in row["error"] for bad in INTERNALS), row["error"]
    assert "outside the input folder" in rows["leak.txt"]["error"]
    assert "does not exist" in rows["dangling.pdf"]["error"]
    assert "folder" in rows["x.pdf"]["error"]
    # the link was never followed: its target's text is nowhere in the output
    for path in out.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    assert "caf\\xe9.txt" in proc.stdout


def test_a_setting_lets_links_out_of_raw_be_read(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "extracted"
    raw.mkdir()
    secret = tmp_path / "outside.txt"
    secret.write_text(f"Title\n\n{CANARY} was read on purpose in 2024.\n")
    (raw / "link.txt").symlink_to(secret)
    run_pipeline(raw, out, tmp_path / "home", env={"PIPELINE_ALLOW_SYMLINKS_OUTSIDE_RAW": "true"})
    (row,) = read_table(out, "documents")
    assert row["status"] == "ok"
    assert any(CANARY in c["text"] for c in read_table(out, "claims"))
