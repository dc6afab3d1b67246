"""Corpus-wide SQL (``core.dataset.corpus``): which URLs' checks changed between two versions, and
the checks of the URLs a batch of documents cites, neither loading a whole table into Python."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from pipeline.core.dataset import to_arrow, write_parquet
from pipeline.core.dataset.corpus import changed_urls, check_lookup
from pipeline.core.dataset.rows import url_check_rows
from pipeline.core.models import Status, UrlCheck, UrlCheckRow
from tests.core.dataset.example import ALIVE, CHECKED_AT, DEAD

OTHER = "https://other.example.net/"
ARCHIVE = "https://web.archive.org/web/2020/https://dead.example.org/report"


def row(url: str, **changes: object) -> UrlCheck:
    values: dict[str, object] = {
        "url": url,
        "status": Status.OK,
        "http_status": 200,
        "checked_at": CHECKED_AT,
    }
    return UrlCheck(**{**values, **changes})  # type: ignore[arg-type]


def part(path: Path, checks: list[UrlCheck]) -> Path:
    write_parquet(path, to_arrow(UrlCheckRow, url_check_rows(checks)))
    return path


DEAD_ROW = row(DEAD, status=Status.DEAD, http_status=404)
BEFORE = [DEAD_ROW, row(ALIVE)]

CASES = {
    "nothing": (BEFORE, set()),
    "a status": ([DEAD_ROW, row(ALIVE, status=Status.DEAD, http_status=404)], {ALIVE}),
    "a later check": ([DEAD_ROW, row(ALIVE, checked_at=CHECKED_AT + timedelta(days=1))], {ALIVE}),
    "an archived copy found": (
        [row(DEAD, status=Status.DEAD, http_status=404, archive_url=ARCHIVE), row(ALIVE)],
        {DEAD},
    ),
    "a redirect": ([DEAD_ROW, row(ALIVE, final_url=OTHER)], {ALIVE}),
    "a URL added": ([*BEFORE, row(OTHER)], {OTHER}),
    "a URL gone": ([row(ALIVE)], {DEAD}),
    "what claim_sources does not repeat": ([DEAD_ROW, row(ALIVE, page_title="New", elapsed_ms=9)], set()),
}


@pytest.mark.parametrize("case", CASES)
def test_changed_urls(tmp_path, case):
    after, changed = CASES[case]
    old, new = part(tmp_path / "old.parquet", BEFORE), part(tmp_path / "new.parquet", after)
    assert changed_urls(old, new) == changed


def test_without_an_earlier_part_every_url_is_new(tmp_path):
    new = part(tmp_path / "new.parquet", BEFORE)
    assert changed_urls(tmp_path / "missing.parquet", new) == {DEAD, ALIVE}


def test_check_lookup_holds_only_the_urls_asked_for(tmp_path):
    checks = part(
        tmp_path / "checks.parquet",
        [row(DEAD, status=Status.DEAD, http_status=404, archive_url=ARCHIVE), row(ALIVE), row(OTHER)],
    )
    found = check_lookup(checks, [DEAD, "https://never.checked.example/"])
    assert list(found) == [DEAD]
    dead = found[DEAD]
    assert (dead.status, dead.http_status, dead.archive_url, dead.checked_at) == (
        Status.DEAD,
        404,
        ARCHIVE,
        CHECKED_AT,
    )
    assert check_lookup(checks, []) == {}
