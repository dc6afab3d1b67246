"""The shape of the code: import direction, no Dagster in core, small files, small functions.

Imports run ``cli -> runner -> defs -> core``, never back. Inside ``core`` every step package
depends only on the shared base (the contract, errors, settings, text tools, file I/O), never
on another step; ``state`` and ``report`` read the dataset. Lazy imports inside functions
count: they hid a cycle once (``defs.sensors`` -> ``runner`` -> ``defs``).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"

#: highest layer first; a module may import its own layer and the layers after it
LAYERS = (
    ("pipeline.__main__", "pipeline.cli"),
    ("pipeline.runner", "pipeline.workers"),
    ("pipeline.definitions", "pipeline.defs"),
    ("pipeline.core",),
)
#: core parts every step may use
BASE = frozenset({"models", "errors", "settings", "text", "fileio"})
#: what each part of core may import besides itself
CORE_ALLOWED: dict[str, frozenset[str]] = {
    "models": frozenset(),
    "errors": frozenset(),
    "fileio": frozenset(),
    "settings": frozenset({"errors"}),
    "text": frozenset({"models"}),
    "layout": BASE,
    "footnotes": BASE,
    "citations": BASE,
    "nlp": BASE,
    "urlcheck": BASE,
    "dataset": BASE,
    "state": BASE | {"dataset"},
    "report": BASE | {"dataset"},
}
MAX_LINES = 600
MAX_COMPLEXITY = 25


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(path: Path, module: str) -> set[str]:
    """Every module named by an import anywhere in the file (lazy ones too), made absolute."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # `from pkg import module`
    return found


def _layer(module: str) -> int | None:
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def _core_part(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) <= 2 or parts[:2] != ["pipeline", "core"]:
        return None
    # models_<table>.py beside models.py hold rows of the one contract: they are part of it
    return "models" if parts[2].startswith("models_") else parts[2]


def _back_edges(modules: dict[str, Path]) -> list[str]:
    edges = []
    for module, path in modules.items():
        own_layer, own_part = _layer(module), _core_part(module)
        for target in sorted(_imports(path, module)):
            if not target.startswith("pipeline.") or target not in modules:
                continue
            target_layer = _layer(target)
            if own_layer is not None and target_layer is not None and target_layer < own_layer:
                edges.append(f"{module} -> {target} (goes back up the layers)")
            target_part = _core_part(target)
            allowed = CORE_ALLOWED.get(own_part or "", frozenset())
            if own_part and target_part and target_part != own_part and target_part not in allowed:
                edges.append(f"{module} -> {target} (core: {own_part} may not use {target_part})")
    return edges


def test_imports_run_from_the_command_line_down_to_core_and_never_back():
    assert _back_edges(_modules()) == []


def test_every_core_part_has_a_rule():
    parts = {_core_part(m) for m in _modules()} - {None}
    assert parts <= set(CORE_ALLOWED), parts - set(CORE_ALLOWED)


@pytest.mark.parametrize(
    ("module", "source", "message"),
    [
        ("pipeline.defs.sensors", "from pipeline.runner import is_current", "goes back up"),
        ("pipeline.core.footnotes.pdf_zones", "from pipeline.core.layout import MARGIN_BAND", "may not use"),
        ("pipeline.core.dataset.rows", "def f():\n    from pipeline.core import nlp\n", "may not use"),
        ("pipeline.core.text.urls", "from ..dataset import store", "may not use"),
    ],
)
def test_a_new_back_edge_is_caught(tmp_path, module, source, message):
    path = tmp_path / "probe.py"
    path.write_text(source)
    edges = _back_edges({**_modules(), module: path})
    assert any(module in e and message in e for e in edges), edges


def test_core_does_not_import_dagster_anywhere():
    offenders = []
    for module, path in _modules().items():
        if _core_part(module) is not None or module == "pipeline.core":
            offenders += [f"{module}: {n}" for n in _imports(path, module) if n.split(".")[0] == "dagster"]
    assert offenders == []


def test_importing_core_loads_neither_dagster_nor_spacy():
    core = [m for m in _modules() if m.startswith("pipeline.core")]
    code = (
        f"import sys, importlib\nfor m in {core!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in ('dagster', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_no_module_defines_a_top_level_name_twice():
    # A second definition silently shadows the first (two helpers once both wrote `_Group`).
    dupes = []
    for module, path in _modules().items():
        seen: set[str] = set()
        for node in ast.parse(path.read_text()).body:
            names = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            dupes += [f"{module}: {n}" for n in names if n in seen and n != "__all__"]
            seen |= set(names)
    assert dupes == []


def test_no_file_is_longer_than_the_limit():
    long = {m: n for m, p in _modules().items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_no_function_is_more_complex_than_the_limit():
    # radon's cyclomatic complexity (branches, loops, boolean operators, comprehensions)
    complex_ = []
    for module, path in _modules().items():
        for block in cc_visit(path.read_text()):
            for item in block.methods if hasattr(block, "methods") else [block]:
                if item.complexity > MAX_COMPLEXITY:
                    complex_.append(f"{module}.{item.name}: {item.complexity}")
    assert complex_ == []
