"""The dataset as one unit: version folders, the one rename that publishes them, and pruning.

Renaming files one by one cannot replace several tables at once: a crash between two renames
would leave new documents.parquet next to old claims.parquet. So each dataset is written
into its own version folder, and ``<out>/<table>.parquet`` are symlinks through
``<out>/.versions/current``, itself a symlink that one rename switches to the new version.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipeline.core.errors import DatasetError
from pipeline.core.fileio import create_temp, fsync_dir, pid_alive

VERSIONS_DIR = ".versions"
CURRENT = "current"


def _versions(out_dir: Path) -> Path:
    return out_dir / VERSIONS_DIR


def current_version(out_dir: Path) -> Path | None:
    """The folder holding the published dataset, if one has been published this way."""
    link = _versions(out_dir) / CURRENT
    if not link.is_symlink():
        return None
    return _versions(out_dir) / os.readlink(link)


def _replace_with_symlink(path: Path, target: str) -> None:
    """Point ``path`` at ``target`` in one rename, whatever ``path`` was (file, link, nothing)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = create_temp(path.parent, path.name)
    tmp.unlink()
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    finally:
        if tmp.is_symlink():
            tmp.unlink()


def _adopt_plain_files(out_dir: Path, names: Iterable[str]) -> None:
    """Move a dataset written as plain files (older versions) under ``.versions`` unchanged.

    Each file is hard-linked into the current version and then replaced by a symlink to that
    same content, so readers see no change and the next switch replaces every table at once.
    """
    plain = [n for n in names if (out_dir / n).is_file() and not (out_dir / n).is_symlink()]
    if not plain:
        return
    current = current_version(out_dir)
    if current is None:
        current = _versions(out_dir) / f"v{time.time_ns()}-{os.getpid()}"
        current.mkdir(parents=True)
        _replace_with_symlink(_versions(out_dir) / CURRENT, current.name)
    for name in plain:
        # the plain file is what readers see now, so it wins over what ``current`` holds
        tmp = create_temp(current, name)
        tmp.unlink()
        try:
            os.link(out_dir / name, tmp)
        except OSError:  # no hard links on this file system
            shutil.copy2(out_dir / name, tmp)
        os.replace(tmp, current / name)
        _replace_with_symlink(out_dir / name, f"{VERSIONS_DIR}/{CURRENT}/{name}")
    fsync_dir(current)
    fsync_dir(out_dir)


def _version_key(name: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"v(\d+)-(\d+)", name)
    return (int(m[1]), int(m[2])) if m else None


def prune_versions(out_dir: Path, keep: Iterable[str] = (), *, unfinished_only: bool = False) -> list[str]:
    """Delete version folders nobody needs: not current, not in ``keep``, writer not alive.

    With ``unfinished_only``, only those started after the current one (never published: the
    writer died before its switch) are deleted, and replaced versions are left for readers.
    """
    root = _versions(out_dir)
    if not root.is_dir():
        return []
    current = current_version(out_dir)
    current_key = _version_key(current.name) if current else None
    protect = {*keep, current.name if current else ""}
    removed = []
    for folder in sorted(root.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or folder.name in protect:
            continue
        key = _version_key(folder.name)
        if key is not None and key[1] != os.getpid() and pid_alive(key[1]):
            continue  # another process is writing its version right now
        if unfinished_only and current_key is not None and (key is None or key < current_key):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed


@contextmanager
def dataset_version(out_dir: Path, names: Sequence[str]) -> Iterator[Path]:
    """Yield a new, private folder to write the files ``names`` into; publish them all at once.

    On success ``<out_dir>/<name>`` for every name switches to the new files in a single
    rename; on any error, or if the process dies, readers keep seeing the previous dataset.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    _adopt_plain_files(out_dir, names)
    previous = current_version(out_dir)
    stage = _versions(out_dir) / f"v{time.time_ns()}-{os.getpid()}"
    stage.mkdir(parents=True)
    try:
        yield stage
        missing = [n for n in names if not (stage / n).exists()]
        if missing:
            raise DatasetError(f"dataset version is missing {', '.join(missing)}")
        fsync_dir(stage)
        # links for tables new in this version dangle until the switch, like an absent file
        for name in names:
            _replace_with_symlink(out_dir / name, f"{VERSIONS_DIR}/{CURRENT}/{name}")
        _replace_with_symlink(_versions(out_dir) / CURRENT, stage.name)
        fsync_dir(_versions(out_dir))
    except BaseException:
        if current_version(out_dir) != stage:
            shutil.rmtree(stage, ignore_errors=True)
        raise
    # the version just replaced stays one round for readers that resolved it a moment ago
    prune_versions(out_dir, keep=[previous.name] if previous else [])
