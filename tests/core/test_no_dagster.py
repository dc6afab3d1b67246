"""pipeline/core is plain Python: no module there may import Dagster."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "pipeline" / "core"


def test_core_sources_do_not_import_dagster():
    offenders = []
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "dagster"]
    assert offenders == []


def test_importing_core_loads_neither_dagster_nor_spacy():
    code = (
        "import sys, pipeline.core.layout, pipeline.core.footnotes, pipeline.core.citations, "
        "pipeline.core.nlp, pipeline.core.urlcheck, pipeline.core.dataset, pipeline.core.models, "
        "pipeline.core.errors; print(sorted(m for m in ('dagster', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_core_module_defines_a_top_level_name_twice():
    # A second definition silently shadows the first (two helpers once both wrote `_Group`).
    dupes = []
    for path in CORE.glob("*.py"):
        seen: set[str] = set()
        for node in ast.parse(path.read_text()).body:
            names = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            for name in names:
                if name in seen and name != "__all__":
                    dupes.append(f"{path.name}: {name}")
                seen.add(name)
    assert dupes == []
