"""Files: content hashes and atomic writes.

Every file is written to a temporary name in the same folder and renamed into place, so a
reader (or a crash) only ever sees the previous complete file or the new complete file.
Temporary names carry the writer's process id, so a later run can delete a dead writer's
leftovers and leave a live one's alone.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def hash_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


#: temporary files are named ``.<name>.<pid>.<random>.tmp`` so a later run can tell a dead
#: writer's leftovers from a file another live process is still writing
_TEMP_NAME = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")


def create_temp(folder: Path, name: str) -> Path:
    """An empty new file next to the target, created with the umask like any ordinary file."""
    while True:
        tmp = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success fsync and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = create_temp(path.parent, path.name)
    try:
        yield tmp_path
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, path)
        fsync_dir(path.parent)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    with atomic_path(path) as tmp, open(tmp, mode, encoding=None if "b" in mode else "utf-8") as fh:
        yield fh


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def pid_alive(pid: int) -> bool:
    """True if a process with this id exists (ours counts: another thread may be writing)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Has the process died without being reaped (its parent was killed, say)? Linux only."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def remove_stale_temporaries(root: Path) -> list[Path]:
    """Delete temporary files under ``root`` whose writer has died (killed mid-write)."""
    removed = []
    if not root.is_dir():
        return removed
    for path in root.rglob(".*.tmp"):
        m = _TEMP_NAME.match(path.name)
        if m and (path.is_symlink() or path.is_file()) and not pid_alive(int(m["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
