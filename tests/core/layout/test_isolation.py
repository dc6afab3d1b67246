"""Isolation: the fork server preloads every module a parse needs; how a dead child ended is named;
a forked worker parses through its parent's fork server."""

import json
import subprocess
import sys

import pytest

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


def test_a_stream_that_inflates_past_the_memory_cap_fails_that_document_clearly(tmp_path):
    """A small PDF whose content stream inflates to 768 MiB, read under a 384 MiB cap."""
    import pytest

    from bench.bombs import inflate_bomb
    from pipeline.core.errors import DocumentError, DocumentErrorCode
    from pipeline.core.layout import parse_document_isolated

    bomb = tmp_path / "inflate-bomb.pdf"
    bomb.write_bytes(inflate_bomb(768 << 20))
    assert bomb.stat().st_size < 2 << 20
    with pytest.raises(DocumentError) as err:
        parse_document_isolated(bomb, doc_id="bomb", timeout=120, memory_mb=384)
    assert err.value.code == DocumentErrorCode.MEMORY_LIMIT
    assert "more than 384 MiB" in err.value.message and "PIPELINE_PARSER_MEMORY_MB" in err.value.message
    # the same cap leaves an ordinary document alone
    doc = parse_document_isolated(RAW / "article-libreoffice.pdf", doc_id="seed", timeout=120, memory_mb=384)
    assert doc.status.value == "ok"


def test_a_giant_line_is_cut_with_a_warning(tmp_path):
    from pipeline.core.layout import parse_document_isolated

    text = tmp_path / "one-paragraph.txt"
    text.write_text("A brief\n\n" + "The council met and agreed. " * 20_000 + "\n")
    doc = parse_document_isolated(text, doc_id="long", timeout=120, max_line_chars=20_000)
    assert max(len(line.text) for page in doc.layout for line in page.lines) == 20_000
    assert any("was cut to its first 20,000" in w for w in doc.warnings)


#: starts the parser's fork server, forks a child that parses through it (``share_parser``);
#: with "gone" the child finds the inherited server taking no request
SHARE = """
import json, sys
from multiprocessing import forkserver, get_context
from pathlib import Path
from pipeline.core.layout import parse_document_isolated, share_parser, start_parser

path, case = Path(sys.argv[1]), sys.argv[2]
start_parser()
started = forkserver._forkserver._forkserver_pid

def child(queue):
    share_parser()
    if case == "gone":
        forkserver._forkserver._forkserver_address = "\\0footnote-pipeline-no-such-server"
    doc = parse_document_isolated(path, doc_id="x")
    queue.put((forkserver._forkserver._forkserver_pid, doc.status.value, doc.pages))

ctx = get_context("fork")
queue = ctx.Queue()
process = ctx.Process(target=child, args=(queue,))
process.start()
used, status, pages = queue.get(timeout=120)
process.join()
mine = parse_document_isolated(path, doc_id="x")  # the parent's server still serves it
print(json.dumps({"same_server": used == started, "status": status, "pages": pages, "parent_pages": mine.pages}))
"""


@pytest.mark.parametrize(
    ("case", "same_server"),
    [
        ("answers", True),  # a worker parses through the runner's server: no server of its own
        ("gone", False),  # the inherited server takes no request: the worker starts its own
    ],
)
def test_a_forked_worker_parses_through_its_parents_fork_server(case, same_server):
    out = subprocess.run(
        [sys.executable, "-c", SHARE, str(RAW / "article-twocolumn.pdf"), case],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["same_server"] is same_server
    assert got["status"] == "ok"
    assert got["pages"] == got["parent_pages"] > 0
