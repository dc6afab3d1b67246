"""Sources: partition keys from file names, and what a scan of raw/ reports."""

import hashlib
import os

import pytest

from pipeline.core import dataset


@pytest.mark.parametrize(
    "name,key",
    [
        ("article-libreoffice.pdf", "article-libreoffice.pdf"),
        ("sub/dir/report.pdf", "sub__dir__report.pdf"),
    ],
)
def test_safe_key_keeps_safe_names(name, key):
    assert dataset.safe_key(name) == key


def test_safe_key_makes_unsafe_names_safe_and_unique():
    a, b = dataset.safe_key("a b.pdf"), dataset.safe_key("a_b.pdf")
    # a name that had to change gets a short hash of the original, so it cannot meet a safe name
    assert a == "a_b.pdf-" + hashlib.sha1(b"a b.pdf").hexdigest()[:8]
    assert b == "a_b.pdf"


def test_safe_key_shortens_long_names():
    key = dataset.safe_key("x" * 200 + ".pdf")
    assert key == "x" * 110 + "-" + hashlib.sha1(("x" * 200 + ".pdf").encode()).hexdigest()[:8]


def test_scan_sources_reports_new_changed_and_deleted_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("one")
    (raw / "b.pdf").write_bytes(b"%PDF-1.4")
    (raw / "ignored.docx").write_text("x")
    first = dataset.scan_sources(raw, {}, limit=10)
    assert sorted(s.key for s, _ in first.changed) == ["a.txt", "b.pdf"]
    assert dict((s.key, sha) for s, sha in first.changed)["a.txt"] == hashlib.sha256(b"one").hexdigest()
    again = dataset.scan_sources(raw, first.state, limit=10)
    assert again.changed == [] and again.deleted == []
    (raw / "a.txt").write_text("two, longer")
    os.utime(raw / "a.txt", ns=(1, 1))
    (raw / "b.pdf").unlink()
    third = dataset.scan_sources(raw, again.state, limit=10)
    assert [s.key for s, _ in third.changed] == ["a.txt"]
    assert third.deleted == ["b.pdf"]


def test_scan_sources_caps_the_changes_per_scan(tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(str(i))
    scan = dataset.scan_sources(tmp_path, {}, limit=2)
    assert [s.key for s, _ in scan.changed] == ["0.txt", "1.txt"] and scan.deferred == 3
    assert sorted(scan.state) == ["0.txt", "1.txt"]  # the deferred ones are reported next time
    rest = dataset.scan_sources(tmp_path, scan.state, limit=10)
    assert [s.key for s, _ in rest.changed] == ["2.txt", "3.txt", "4.txt"]
