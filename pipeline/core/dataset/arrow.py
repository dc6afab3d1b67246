"""Arrow schemas and JSON Schemas from the row models, and the files that hold the tables.

Both schemas are derived from the row models in ``models``, so the Parquet files, claims.duckdb
and the published JSON Schemas cannot drift from the contract; ``check_contract`` compares
written files with it. Every file is written aside and renamed in (``fileio``).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from pipeline.core.dataset.duckfile import filled_database
from pipeline.core.errors import DatasetError
from pipeline.core.fileio import atomic_path, write_text
from pipeline.core.models import SCHEMA_VERSION, TABLES


def _arrow_type(annotation: Any) -> tuple[pa.DataType, bool]:
    """(arrow type, nullable) for a model field annotation."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = _arrow_type(args[0])
        return inner, True
    if origin in (list, Sequence):
        (item,) = typing.get_args(annotation)
        inner, _ = _arrow_type(item)
        return pa.list_(inner), False
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return pa.bool_(), False
        if issubclass(annotation, int):
            return pa.int64(), False
        if issubclass(annotation, float):
            return pa.float64(), False
        if issubclass(annotation, datetime):
            return pa.timestamp("us", tz="UTC"), False
        if issubclass(annotation, str | Enum):
            return pa.string(), False
    raise DatasetError(f"no Arrow type for {annotation!r}")


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    fields = []
    hints = typing.get_type_hints(model)
    for name, info in model.model_fields.items():
        typ, nullable = _arrow_type(hints[name])
        fields.append(
            pa.field(name, typ, nullable=nullable, metadata={"description": info.description or ""})
        )
    return pa.schema(fields, metadata={"schema_version": SCHEMA_VERSION, "model": model.__name__})


def to_arrow(model: type[BaseModel], rows: Sequence[BaseModel]) -> pa.Table:
    schema = arrow_schema(model)
    columns: dict[str, list[Any]] = {f.name: [] for f in schema}
    for row in rows:
        data = row.model_dump(mode="python")
        for name in columns:
            value = data[name]
            columns[name].append(value.value if isinstance(value, Enum) else value)
    return pa.Table.from_pydict(columns, schema=schema)


def write_parquet(path: Path, table: pa.Table) -> None:
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def write_schemas(folder: Path) -> list[Path]:
    """``<folder>/<table>.json``: JSON Schema of each table, generated from the row models."""
    paths = []
    for name, model in TABLES.items():
        schema = model.model_json_schema()
        schema["$id"] = f"footnote-pipeline/{SCHEMA_VERSION}/{name}.json"
        schema["x-schema-version"] = SCHEMA_VERSION
        path = folder / f"{name}.json"
        write_text(path, json.dumps(schema, indent=2, sort_keys=True) + "\n")
        paths.append(path)
    return paths


#: parts already found to match the contract, by (inode, size, mtime): unchanged parts are hard
#: links kept from version to version, so each is read once, not on every roll-up (kept beside
#: the step records, when the folder has them)
CHECKED = ".state/contract-checked.json"


def _parts(path: Path) -> list[Path]:
    """The files of a table: its one file, or every part of its folder."""
    return sorted(path.glob("*.parquet")) if path.is_dir() else [path]


def _identity(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def _read_checked(out_dir: Path) -> set[tuple[int, ...]]:
    try:
        return {tuple(x) for x in json.loads((out_dir / CHECKED).read_bytes())}
    except (OSError, ValueError, TypeError):
        return set()


def check_contract(out_dir: Path) -> list[str]:
    """Differences between the Parquet files in ``out_dir`` and the row models (empty when they match).

    A table is a folder of parts (or, in datasets written before schema 1.4, one file); every
    part is checked, since a reader takes them as one table, except parts found to match before.
    """
    problems: list[str] = []
    known, passed = _read_checked(out_dir), set()
    for name, model in TABLES.items():
        path = out_dir / f"{name}.parquet"
        if not path.exists():
            problems.append(f"{name}: {path.name} is missing")
            continue
        parts = _parts(path)
        if not parts:
            problems.append(f"{name}: {path.name} has no part")
        contract = arrow_schema(model)
        for part in parts:
            ident = _identity(part)
            if ident in known:
                passed.add(ident)
                continue
            file = part.name if part == path else f"{path.name}/{part.name}"
            found = _differences(name, file, pq.read_schema(part), contract)
            problems += [p for p in found if p not in problems]
            if not found:
                passed.add(ident)
    if (out_dir / CHECKED).parent.is_dir():
        write_text(out_dir / CHECKED, json.dumps(sorted(passed)))
    return problems


def _differences(name: str, file: str, actual: pa.Schema, contract: pa.Schema) -> list[str]:
    where = "" if file == f"{name}.parquet" else f" ({file})"
    problems = []
    for want in contract:
        if want.name not in actual.names:
            problems.append(f"{name}.{want.name}: column missing{where}")
        elif not actual.field(want.name).type.equals(want.type):
            problems.append(
                f"{name}.{want.name}: type {actual.field(want.name).type}, contract says {want.type}{where}"
            )
    return problems


def write_duckdb(path: Path, tables: Mapping[str, pa.Table]) -> None:
    """A DuckDB file holding a copy of every table (not views over Parquet paths, so the file keeps
    working when the folder is moved or only the file is shared), built aside and renamed in."""
    with filled_database(path) as con:
        for name, table in tables.items():
            con.register("_incoming", table)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
            con.unregister("_incoming")


def read_table(out_dir: Path, name: str) -> list[dict[str, Any]]:
    """Every row of a table (its folder of parts, or its one file)."""
    return pq.read_table(out_dir / f"{name}.parquet").to_pylist()


def warm_up() -> None:
    """Import what a roll-up imports on first use: DuckDB, and pandas, which pyarrow imports on
    its first array (about 1 s together). For a process that would otherwise wait idle."""
    import duckdb  # noqa: F401

    pa.array([0])
