"""Isolation: the fork server preloads every module a parse needs; how a dead child ended is named."""

import json
import subprocess
import sys

from pipeline.core.layout.isolation import _PRELOAD, _exit_reason
from tests.conftest import RAW, ROOT

#: imports the preload list the way the fork server does, then parses; prints what a parse still imported
PROBE = """
import importlib, json, sys
from pathlib import Path
preload, paths = json.loads(sys.argv[1]), sys.argv[2:]
for name in preload:
    importlib.import_module(name)  # the fork server skips a name that fails to import; this does not
before = set(sys.modules)
from pipeline.core.layout import parse_document
for path in paths:
    parse_document(Path(path), doc_id="x")
roots = {"pipeline", "pdfplumber", "pdfminer", "charset_normalizer"}
print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in roots))
"""


def test_the_fork_server_preloads_every_module_a_parse_imports(tmp_path):
    cyrillic = tmp_path / "cyrillic.txt"  # not UTF-8 nor Western: decoded by charset_normalizer
    cyrillic.write_bytes("Привет, мир. Это проверка кодировки текста.\n".encode("cp1251") * 20)
    docs = [RAW / "article-twocolumn.pdf", RAW / "article-seed.txt", cyrillic]
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(_PRELOAD), *map(str, docs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert out.stdout.strip() == "[]"


def test_a_dead_child_is_named_by_its_signal_or_exit_code():
    assert _exit_reason(-9) == "signal SIGKILL"
    assert _exit_reason(-250) == "signal 250"  # no such signal
    assert _exit_reason(3) == "exit code 3"
    assert _exit_reason(None) == "exit code None"
