"""Kill a real run (``python -m pipeline run`` in a subprocess) with SIGKILL at several points.

Every case starts from the same published dataset (one document), adds two documents, starts
a run and kills it at one point. Then: the previous dataset is intact and readable (or, once
the switch to the new version happened, the new one is complete); the next run recovers and
completes; its dataset equals the dataset of a clean run over the same inputs, with identical
doc_id and claim_id values.

Exact points inside the run are reached with FAULT_PAUSE_AT (tests/robustness/_faults): the
process stops right before (or after) one named rename and the test kills it there.
"""

from __future__ import annotations

import re
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from pipeline.core.models import TABLES
from tests.robustness import documents as make
from tests.robustness.conftest import (
    open_instance,
    published_bytes,
    read_dataset,
    run_pipeline,
    started_pipeline,
    wait_for,
)

pytestmark = pytest.mark.slow

FIRST = "csg_obesity_news_article.pdf"  # in the previous dataset
ADDED = "malamud_twelve_tables_speech.pdf"  # processed first by the interrupted run
LAST = "public-finances.txt"  # a text article without notes, processed second


def fill_raw(raw: Path, names: list[str]) -> Path:
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name == LAST:
            (raw / name).write_text(make.article_text(), encoding="utf-8")
        else:
            shutil.copyfile(make.REAL / name, raw / name)
    return raw


@dataclass
class World:
    root: Path
    previous_out: Path  # dataset of FIRST only, and its Dagster home
    previous_home: Path
    reference: dict  # clean run over all three documents


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("crash")
    out, home = root / "previous" / "out", root / "previous" / "home"
    run_pipeline(fill_raw(root / "previous" / "raw", [FIRST]), out, home)
    ref_raw = fill_raw(root / "reference" / "raw", [FIRST, ADDED, LAST])
    ref_out, ref_home = root / "reference" / "out", root / "reference" / "home"
    run_pipeline(ref_raw, ref_out, ref_home)
    return World(root, out, home, read_dataset(ref_out))


def test_the_reference_run_is_reproducible(world):
    """A second run from scratch (--force) gives the same dataset, ids included."""
    ref_raw = world.root / "reference" / "raw"
    run_pipeline(ref_raw, world.root / "reference" / "out", world.root / "reference" / "home", "--force")
    again = read_dataset(world.root / "reference" / "out")
    assert again == world.reference
    assert {r["doc_id"] for r in world.reference["documents"]} == {FIRST, ADDED, LAST}
    assert len(world.reference["claims"]) > 50


@dataclass(frozen=True)
class KillPoint:
    name: str
    pause_at: str  # regex on the destination of a rename
    when: str = "before"
    switched: bool = False  # the new version was already published when the process died
    # the next run must do ADDED again (its run never ended) or must not (it did); None: either
    added_redone: bool | None = None
    run_open: bool = True  # a Dagster run was still going on (the next run marks it failed)

    def __str__(self) -> str:
        return self.name


POINTS = [
    # ADDED's last step record is written, and its run (the checks in that step, the run's end)
    # still going on: paused there, since watching for the file lost the race once the checks
    # stopped being steps of their own
    KillPoint(
        "after-last-record",
        "/docs/" + re.escape(ADDED) + r"/url_checks\.json$",
        when="after",
        added_redone=True,
    ),
    KillPoint("mid-document", "/docs/" + re.escape(ADDED) + r"/claims\.json$", added_redone=True),
    # every step record of ADDED is written, but not the marker that says its run ended
    KillPoint(
        "before-finish-marker",
        "/docs/" + re.escape(ADDED) + r"/finished\.json$",
        added_redone=True,
        run_open=False,  # the document's Dagster run had ended; the runner had not recorded it
    ),
    # the new document's claims part is staged, the rest of the version not yet
    KillPoint(
        "dataset-half-staged",
        r"/\.versions/v\d+-\d+/claims\.parquet/part-" + re.escape(ADDED) + r"\.parquet$",
        added_redone=False,
    ),
    KillPoint("dataset-before-switch", r"/\.versions/current$", added_redone=False),
    KillPoint(
        "dataset-after-switch", r"/\.versions/current$", when="after", switched=True, added_redone=False
    ),
]


@pytest.mark.parametrize("point", POINTS, ids=str)
def test_a_killed_run_loses_nothing_and_the_next_run_completes_it(world, tmp_path, point):
    out, home = tmp_path / "out", tmp_path / "home"
    shutil.copytree(world.previous_out, out, symlinks=True)
    shutil.copytree(world.previous_home, home)
    raw = fill_raw(tmp_path / "raw", [FIRST, ADDED, LAST])
    previous = published_bytes(out)
    marker = tmp_path / "paused"

    env = {
        "FAULT_PAUSE_AT": point.pause_at,
        "FAULT_PAUSE_WHEN": point.when,
        "FAULT_PAUSE_MARKER": str(marker),
    }
    with started_pipeline(raw, out, home, **env) as proc:
        wait_for(marker.exists, proc, f"the pause at {point.pause_at}")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL

    # what a reader sees right after the crash
    if point.switched:
        assert read_dataset(out) == world.reference
    else:
        assert published_bytes(out) == previous
        assert pq.read_table(out / "documents.parquet").column("doc_id").to_pylist() == [FIRST]
    for name in TABLES:
        pq.read_table(out / f"{name}.parquet")  # every table readable

    # the next run tidies up after the dead one and completes the dataset
    resumed = run_pipeline(raw, out, home)
    assert ("recovered from an interrupted run: marked run" in resumed.stdout) == point.run_open
    assert f"{FIRST}: unchanged" in resumed.stdout
    if point.added_redone is not None:
        assert (f"{ADDED} ..." in resumed.stdout) == point.added_redone, resumed.stdout
        assert (f"{ADDED}: unchanged" in resumed.stdout) != point.added_redone, resumed.stdout
    result = read_dataset(out)
    assert result == world.reference
    assert [r["doc_id"] for r in result["documents"]] == [r["doc_id"] for r in world.reference["documents"]]
    assert sorted(r["claim_id"] for r in result["claims"]) == sorted(
        r["claim_id"] for r in world.reference["claims"]
    )
    assert not list(out.rglob("*.tmp")), "temporary files left behind"
    assert len([p for p in (out / ".versions").iterdir() if not p.is_symlink()]) <= 2
    with open_instance(home) as instance:
        running = instance.get_run_records(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        assert running == [], "a killed run still shows as running in the UI"
