"""Every published Parquet table reads with the right types in pandas, polars and DuckDB.

The files of a real build are checked against the data dictionary: explicit Arrow schema (no
large_string, no dictionary types), zstd on every column chunk, the dictionary entry in the key-value
metadata, rows sorted by ``publish.SORT_KEYS``; then each reader must give the dictionary's types and
the same rows and nulls.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.dictionary import TableDoc, all_tables
from pipeline.publish import SORT_KEYS

TABLES = [d.name for d in all_tables()]
PANDAS_DTYPES = {
    "string": "str",
    "int16": "Int16",
    "int32": "Int32",
    "int64": "Int64",
    "float64": "float64",
    "bool": "boolean",
}
POLARS_DTYPES = {
    "string": "String",
    "int16": "Int16",
    "int32": "Int32",
    "int64": "Int64",
    "float64": "Float64",
    "bool": "Boolean",
}


def _doc(table: str) -> TableDoc:
    return next(d for d in all_tables() if d.name == table)


def _file(built: Path, table: str) -> Path:
    return built / "parquet" / table / f"{table}.parquet"


@pytest.mark.parametrize("table", TABLES)
def test_file_schema_is_the_dictionary(built: Path, table: str) -> None:
    doc = _doc(table)
    schema = pq.read_schema(_file(built, table))
    assert schema.names == [c.name for c in doc.columns]
    for c in doc.columns:
        field = schema.field(c.name)
        assert field.type == c.arrow_type, c.name
        assert not pa.types.is_dictionary(field.type) and not pa.types.is_large_string(field.type)
        assert field.nullable == c.nullable, c.name
        assert field.metadata[b"description"].decode() == c.description
    entry = json.loads(schema.metadata[b"ogi.data_dictionary"])
    assert entry["table"] == table and list(entry["columns"]) == sorted(c.name for c in doc.columns)


@pytest.mark.parametrize("table", TABLES)
def test_every_column_chunk_is_zstd(built: Path, table: str) -> None:
    md = pq.ParquetFile(_file(built, table)).metadata
    codecs = {
        md.row_group(rg).column(i).compression
        for rg in range(md.num_row_groups)
        for i in range(md.num_columns)
    }
    assert codecs <= {"ZSTD"}
    if md.num_rows:
        assert codecs == {"ZSTD"}


def _sort_spec(table: str) -> list[tuple[str, bool]]:
    """(column, nulls_first) pairs of publish.SORT_KEYS (DuckDB sorts NULLS LAST by default)."""
    out = []
    for part in SORT_KEYS[table].split(","):
        words = part.split()
        out.append((words[0], "FIRST" in [w.upper() for w in words[1:]]))
    return out


@pytest.mark.parametrize("table", TABLES)
def test_rows_are_sorted_by_the_published_key(built: Path, table: str) -> None:
    spec = _sort_spec(table)
    cols = pq.read_table(_file(built, table), columns=[c for c, _ in spec]).to_pylist()

    def key(row: dict) -> tuple:
        out: list = []
        for col, nulls_first in spec:
            v = row[col]
            out.append((0 if nulls_first else 1, 0) if v is None else (1 if nulls_first else 0, v))
        return tuple(out)

    keys = [key(r) for r in cols]
    assert keys == sorted(keys)


@pytest.mark.parametrize("table", TABLES)
def test_pandas_reads_dictionary_types(built: Path, table: str) -> None:
    doc = _doc(table)
    for df in (pd.read_parquet(_file(built, table)), pd.read_parquet(built / "parquet" / table)):
        assert list(df.columns) == [c.name for c in doc.columns]
        got = {c: str(t) for c, t in df.dtypes.items()}
        assert got == {c.name: PANDAS_DTYPES[c.type_name] for c in doc.columns}
        assert not any(isinstance(t, pd.CategoricalDtype) for t in df.dtypes)


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_reads_dictionary_types(built: Path, table: str) -> None:
    doc = _doc(table)
    want = [(c.name, c.duckdb_type) for c in doc.columns]
    for src in (
        f"read_parquet('{_file(built, table).as_posix()}')",
        f"read_parquet('{(built / 'parquet' / table).as_posix()}/**/*.parquet', hive_partitioning = true)",
    ):
        got = [(r[0], r[1]) for r in duckdb.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()]
        assert got == want, src
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    in_db = [(r[0], r[1]) for r in con.sql(f"DESCRIBE {table}").fetchall()]
    assert in_db == want


@pytest.mark.parametrize("table", TABLES)
def test_polars_reads_dictionary_types(built: Path, table: str) -> None:
    pl = pytest.importorskip("polars")
    doc = _doc(table)
    df = pl.read_parquet(_file(built, table))
    assert {n: str(t) for n, t in df.schema.items()} == {
        c.name: POLARS_DTYPES[c.type_name] for c in doc.columns
    }
    lazy = pl.scan_parquet(f"{(built / 'parquet' / table).as_posix()}/**/*.parquet").collect()
    assert lazy.schema == df.schema and lazy.height == df.height


@pytest.mark.parametrize("table", TABLES)
def test_readers_agree_on_rows_and_nulls(built: Path, table: str) -> None:
    path = _file(built, table)
    doc = _doc(table)
    pdf = pd.read_parquet(path)
    nulls_sql = ", ".join(f'count(*) - count("{c.name}")' for c in doc.columns)
    row = duckdb.sql(f"SELECT count(*), {nulls_sql} FROM read_parquet('{path.as_posix()}')").fetchall()[0]
    assert row[0] == len(pdf) == pq.ParquetFile(path).metadata.num_rows
    assert list(row[1:]) == [int(pdf[c.name].isna().sum()) for c in doc.columns]
    for c in doc.columns:
        if not c.nullable:
            assert not pdf[c.name].isna().any(), c.name
    try:
        import polars as pl
    except ImportError:
        return
    assert pl.read_parquet(path).null_count().row(0) == tuple(row[1:])
