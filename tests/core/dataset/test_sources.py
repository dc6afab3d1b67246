"""Sources: partition keys from file names, and what a scan of raw/ reports."""

import hashlib
import os

import pytest

from pipeline.core import dataset


@pytest.mark.parametrize(
    "name,key",
    [
        ("article-libreoffice.pdf", "article-libreoffice.pdf"),
        ("sub__dir__report.pdf", "sub__dir__report.pdf"),
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


def test_a_name_that_is_not_utf8_is_listed_with_its_bytes_escaped(tmp_path):
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("Body.")
    (src,) = dataset.list_sources(tmp_path)
    assert src.relative == "caf\\xe9.txt" and src.problem is None
    assert src.key == "caf_.txt-" + hashlib.sha1(b"caf\xe9.txt").hexdigest()[:8]
    assert src.key.encode("ascii")  # a Dagster partition key, JSON and Parquet safe


def test_a_subfolder_path_and_a_name_with_double_underscores_get_distinct_keys(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.pdf").write_bytes(b"%PDF-1.4 one")
    (tmp_path / "sub__a.pdf").write_bytes(b"%PDF-1.4 two")
    keys = {s.relative: s.key for s in dataset.list_sources(tmp_path)}
    assert keys["sub__a.pdf"] == "sub__a.pdf"
    assert keys["sub/a.pdf"] == "sub__a.pdf-" + hashlib.sha1(b"sub/a.pdf").hexdigest()[:8]


def test_links_out_of_raw_dangling_links_and_folders_are_listed_with_a_problem(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "secret.txt"
    raw.mkdir()
    outside.write_text("SECRET")
    (raw / "inside.txt").write_text("Body.")
    (raw / "leak.txt").symlink_to(outside)
    (raw / "alias.txt").symlink_to(raw / "inside.txt")
    (raw / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    (raw / "x.pdf").mkdir()
    found = {s.relative: s for s in dataset.list_sources(raw)}
    assert sorted(found) == ["alias.txt", "dangling.pdf", "inside.txt", "leak.txt", "x.pdf"]
    assert found["inside.txt"].problem is None and found["alias.txt"].problem is None  # stays in raw/
    assert found["leak.txt"].problem.code == "symlink_outside_raw"
    assert "PIPELINE_ALLOW_SYMLINKS_OUTSIDE_RAW" in found["leak.txt"].problem.message
    assert found["dangling.pdf"].problem.code == "broken_link"
    assert "does not exist" in found["dangling.pdf"].problem.message
    assert found["x.pdf"].problem.code == "not_a_file"
    # the digest of an entry that is not read says what it is, never what the target holds
    assert dataset.source_digest(found["leak.txt"]) != hashlib.sha256(b"SECRET").hexdigest()
    allowed = {s.relative: s for s in dataset.list_sources(raw, allow_outside=True)}
    assert allowed["leak.txt"].problem is None
    assert dataset.source_digest(allowed["leak.txt"]) == hashlib.sha256(b"SECRET").hexdigest()


def test_scan_sources_goes_on_past_awkward_entries(tmp_path):
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("Body.")
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    (tmp_path / "x.pdf").mkdir()
    scan = dataset.scan_sources(tmp_path, {}, limit=10)
    assert len({s.key for s, _ in scan.changed}) == 3
    assert dataset.scan_sources(tmp_path, scan.state, limit=10).changed == []


def _awkward_raw(tmp_path):
    """A raw/ folder with every kind of entry list_sources lists, and some it does not."""
    raw, outside = tmp_path / "raw", tmp_path / "secret.txt"
    (raw / "sub").mkdir(parents=True)
    (raw / ".hidden").mkdir()
    outside.write_text("SECRET")
    (raw / "plain.txt").write_text("Body.")
    (raw / "sub" / "a.pdf").write_bytes(b"%PDF-1.4 one")
    (raw / "sub__a.pdf").write_bytes(b"%PDF-1.4 two")
    (raw / "leak.txt").symlink_to(outside)
    (raw / "x.pdf").mkdir()
    (raw / ".hidden" / "h.pdf").write_bytes(b"%PDF-1.4 hidden")
    (raw / "notes.md").write_text("not a document")
    (raw / os.fsdecode(b"caf\xe9.txt")).write_text("Body.")
    return raw


def test_find_source_gives_what_list_sources_lists_without_listing(tmp_path):
    """A document's run finds its file from the run's tag instead of listing raw/, whose cost grew
    with the corpus for every document; where a file cannot be found that way (a name that is not
    UTF-8), None, and the run lists raw/."""
    raw = _awkward_raw(tmp_path)
    listed = {s.relative: s for s in dataset.list_sources(raw)}
    found = {rel: dataset.find_source(raw, rel, src.key) for rel, src in listed.items()}
    assert {rel for rel, src in found.items() if src is not None} == {
        "plain.txt",
        "sub/a.pdf",
        "sub__a.pdf",
        "leak.txt",  # with its problem, as listed
        "x.pdf",
    }
    for rel, src in found.items():
        assert src is None or src == listed[rel], rel


@pytest.mark.parametrize(
    ("relative", "key"),
    [
        ("plain.txt", "other.txt"),  # not the partition's file
        ("sub/a.pdf", "sub__a.pdf"),  # the key of another file
        ("../secret.txt", "secret.txt"),
        ("/etc/passwd", "passwd"),
        (".hidden/h.pdf", ".hidden__h.pdf"),
        ("notes.md", "notes.md"),
        ("gone.pdf", "gone.pdf"),
        ("", "document"),
    ],
)
def test_find_source_refuses_what_list_sources_would_not_list_under_that_key(tmp_path, relative, key):
    assert dataset.find_source(_awkward_raw(tmp_path), relative, key) is None
