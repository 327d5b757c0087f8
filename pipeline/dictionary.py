"""The data dictionary, derived from the pandera models in `pipeline.schemas`.

One source of truth, several renderings: Arrow schemas (with field descriptions) for Parquet, DuckDB
column types and COMMENT statements, Dagster column schemas (plain tuples here; `assets/` wraps them) and
the DATA_DICTIONARY.md researchers read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pyarrow as pa
from pandera.api.pandas.model import DataFrameModel

from pipeline import schemas

_ARROW = {
    "str": pa.string(),
    "string": pa.string(),
    "string[pyarrow]": pa.string(),
    "Int16": pa.int16(),
    "Int32": pa.int32(),
    "Int64": pa.int64(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "boolean": pa.bool_(),
    "bool": pa.bool_(),
}
_DUCK = {
    pa.string(): "VARCHAR",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
}
_PANDAS = {
    pa.string(): "str",
    pa.int16(): "Int16",
    pa.int32(): "Int32",
    pa.int64(): "Int64",
    pa.float64(): "float64",
    pa.bool_(): "boolean",
}
_READABLE = {
    pa.string(): "string",
    pa.int16(): "int16",
    pa.int32(): "int32",
    pa.int64(): "int64",
    pa.float64(): "float64",
    pa.bool_(): "bool",
}


@dataclass(frozen=True)
class ColumnDoc:
    """One documented column."""

    name: str
    arrow_type: pa.DataType
    nullable: bool
    description: str
    checks: tuple[str, ...]

    @property
    def duckdb_type(self) -> str:
        """DuckDB SQL type of the column."""
        return _DUCK[self.arrow_type]

    @property
    def type_name(self) -> str:
        """Short readable type name."""
        return _READABLE[self.arrow_type]


@dataclass(frozen=True)
class TableDoc:
    """One documented table."""

    name: str
    description: str
    columns: tuple[ColumnDoc, ...]
    unique: tuple[str, ...]

    def arrow_schema(self) -> pa.Schema:
        """Arrow schema with field descriptions, the table description and pandas dtype metadata.

        The pandas metadata makes ``pd.read_parquet`` return nullable integer and boolean columns as
        Int16/Int32/Int64/boolean instead of float64/object.
        """
        fields = [
            pa.field(c.name, c.arrow_type, nullable=c.nullable, metadata={"description": c.description})
            for c in self.columns
        ]
        meta = {"table": self.name, "description": self.description, b"pandas": self.pandas_metadata}
        return pa.schema(fields, metadata=meta)

    @property
    def pandas_metadata(self) -> bytes:
        """The ``pandas`` schema metadata pyarrow uses to restore dtypes."""
        empty = pd.DataFrame({c.name: pd.Series([], dtype=_PANDAS[c.arrow_type]) for c in self.columns})
        return pa.Schema.from_pandas(empty, preserve_index=False).metadata[b"pandas"]


def _table_doc(name: str, model: type[DataFrameModel]) -> TableDoc:
    schema = model.to_schema()
    cols = []
    for cname, col in schema.columns.items():
        dtype = str(col.dtype)
        cols.append(
            ColumnDoc(
                name=cname,
                arrow_type=_ARROW[dtype],
                nullable=bool(col.nullable),
                description=col.description or "",
                checks=tuple(str(c) for c in col.checks),
            )
        )
    unique = tuple(schema.unique or ())
    doc = (model.__doc__ or "").strip().splitlines()[0]
    return TableDoc(name=name, description=doc, columns=tuple(cols), unique=unique)


@cache
def table_doc(name: str) -> TableDoc:
    """Documentation of one published (or intermediate) table."""
    model = schemas.TABLE_MODELS.get(name) or schemas.INTERMEDIATE_MODELS[name]
    return _table_doc(name, model)


def all_tables() -> list[TableDoc]:
    """Documentation of every published table, in publication order."""
    return [table_doc(n) for n in schemas.TABLE_MODELS]


def duckdb_comments(doc: TableDoc) -> list[str]:
    """COMMENT ON TABLE / COLUMN statements for a table."""

    def q(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    out = [f"COMMENT ON TABLE {doc.name} IS {q(doc.description)}"]
    out += [f"COMMENT ON COLUMN {doc.name}.{c.name} IS {q(c.description)}" for c in doc.columns]
    return out


def parquet_kv_metadata(doc: TableDoc) -> dict[bytes, bytes]:
    """File-level key-value metadata: the table's dictionary as JSON (no timestamps: builds stay byte-identical)."""
    payload = {
        "table": doc.name,
        "description": doc.description,
        "unique": list(doc.unique),
        "columns": {
            c.name: {"type": c.type_name, "nullable": c.nullable, "description": c.description}
            for c in doc.columns
        },
    }
    return {b"ogi.data_dictionary": json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")}


def markdown(extra_sections: list[str] | None = None) -> str:
    """DATA_DICTIONARY.md: every table and column with type, nullability and meaning."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from the pandera models in `pipeline/schemas.py`. Do not edit by hand.",
        "",
    ]
    for doc in all_tables():
        lines += [f"## `{doc.name}`", "", doc.description, ""]
        if doc.unique:
            lines += [f"Unique key: ({', '.join(doc.unique)})", ""]
        lines += ["| column | type | nullable | meaning |", "|---|---|---|---|"]
        for c in doc.columns:
            lines.append(
                f"| `{c.name}` | {c.type_name} | {'yes' if c.nullable else 'no'} | {c.description.replace('|', '/')} |"
            )
        lines.append("")
    for s in extra_sections or []:
        lines += [s, ""]
    return "\n".join(lines)
