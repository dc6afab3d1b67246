"""The roll-up benchmark's per-step mode (bench/rollup.py --steps) on a small published dataset."""

from bench import rollup
from pipeline.core import dataset
from tests.core.dataset.example import records, save_records


def files(root):
    return {
        str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_each_action_measures_every_step_and_leaves_the_dataset_as_it_was(tmp_path, capsys):
    store = dataset.DocumentStore(tmp_path / "out" / ".state")
    keys = ["alpha", "bravo", "charlie"]
    for key in keys:
        (rec,) = records(key, "s1")
        save_records(store, key, rec)
    dataset.publish_dataset(store, keys, tmp_path / "out")
    before = files(tmp_path / "out")

    assert rollup.steps(tmp_path / "out", ["full", "delete", "add"]) == 0
    printed = capsys.readouterr().out
    assert "the document deleted and added: bravo" in printed
    for action, documents, rewritten in (("full", 3, 3), ("delete", 2, 0), ("add", 3, 1)):
        assert f"\n{action}: {documents} documents, {rewritten} rewritten\n" in printed
    assert printed.count("  write_database ") == 3 and printed.count("  publish_dataset (all) ") == 3
    assert files(tmp_path / "out") == before  # measured on a copy, nothing written here


def test_add_needs_the_delete_before_it(tmp_path):
    (tmp_path / ".state" / "docs").mkdir(parents=True)
    (tmp_path / ".versions").mkdir()
    assert rollup.steps(tmp_path, ["add"]) == 2
