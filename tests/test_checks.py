"""The SQL form of the pandera models flags exactly the rows pandera itself flags.

``pipeline.checks`` evaluates the models' checks in DuckDB (fast, every row, bounded memory) and falls
back to pandera for files whose schema does not match. For every model, a real file of the build gets
one violation per rule (null, value out of the allowed set, pattern, range, NaN in a float column) and a
duplicated key; both paths must report the same (column, check, row) failures and the same counts.
"""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import checks
from pipeline.checks import compile_model, validate_files, validate_with_pandera
from pipeline.schemas import INTERMEDIATE_MODELS, TABLE_MODELS


def _source(built: Path, table: str, tmp: Path) -> Path:
    """The published file of a table, or all partitions of an intermediate one in one file."""
    if table in TABLE_MODELS:
        return built / "parquet" / table / f"{table}.parquet"
    files = sorted((built / "_intermediate" / table).glob("b??.parquet"))
    combined = tmp / f"{table}.parquet"
    pq.write_table(pa.concat_tables([pq.read_table(f) for f in files]), combined)
    return combined


def _bad_value(rule: checks.Rule, dtype: str) -> object:
    if rule.check == "not_nullable":
        return math.nan if dtype == "float64" else None
    name, _, arg = rule.check.partition("(")
    if name in ("isin", "str_matches"):
        return "zz not allowed"
    bound = float(arg.rstrip(")"))
    return bound - 1 if name.startswith("greater") else bound + 1


def _broken_file(src: Path, model: type, tmp: Path) -> Path:
    """``src`` with one violation per rule, each on its own row, and the first key duplicated."""
    plan = compile_model(model)
    table = pq.read_table(src)
    df = table.to_pandas()
    dtypes = {n: str(c.dtype) for n, c in model.to_schema().columns.items()}
    rows = list(range(len(df)))
    assert len(rows) >= len(plan.rules) + 1, "source file too small for this test"
    for i, rule in enumerate(plan.rules):
        col = df[rule.column]
        value = _bad_value(rule, dtypes[rule.column])
        if value is not None and not isinstance(value, str) and dtypes[rule.column].startswith("Int"):
            value = int(value)
        df[rule.column] = (
            col.astype(object).where(df.index != rows[i + 1], value).astype(col.dtype, errors="ignore")
        )
    if plan.keys:
        df = pd.concat([df, df.iloc[[0]]], ignore_index=True)
    schema = pa.schema([f.with_nullable(True) for f in table.schema], metadata=table.schema.metadata)
    out = tmp / f"{src.stem}-broken.parquet"
    pq.write_table(pa.Table.from_pandas(df, schema=schema, preserve_index=False), out)
    return out


def _failures(rep: checks.ValidationReport) -> set[tuple[str, str, str]]:
    return {(c["column"], c["check"], c["index"]) for c in rep.cases if c["check"] != "unique"}


@pytest.mark.parametrize("table", [*TABLE_MODELS, *INTERMEDIATE_MODELS])
def test_sql_checks_flag_the_same_rows_as_pandera(
    built: Path, tmp_path: Path, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks, "MAX_CASES", 10_000)
    model = {**TABLE_MODELS, **INTERMEDIATE_MODELS}[table]
    plan = compile_model(model)
    assert plan.compiled, table
    src = _source(built, table, tmp_path)
    assert validate_files([("f", src)], model).passed, table
    broken = _broken_file(src, model, tmp_path)
    fast = validate_files([("f", broken)], model)
    slow = validate_with_pandera(broken, model, "f")
    assert _failures(fast) == _failures(slow), table
    assert len(_failures(fast)) == len(plan.rules), table
    dups = fast.error_counts.pop("DUPLICATE_KEY", 0)
    assert dups == len(plan.keys), table
    assert fast.error_counts == dict(slow.error_counts), table
    assert fast.failures - dups == slow.failures, table


def test_a_file_with_another_schema_is_validated_by_pandera(built: Path, tmp_path: Path) -> None:
    src = _source(built, "metrics", tmp_path)
    t = pq.read_table(src)
    i = t.schema.get_field_index("report_year")
    t = t.set_column(i, pa.field("report_year", pa.int32()), t.column(i).cast(pa.int32()))
    odd = tmp_path / "odd.parquet"
    pq.write_table(t, odd)
    assert checks._schema_problems(odd, compile_model(TABLE_MODELS["metrics"]))
    rep = validate_files([("odd", odd)], TABLE_MODELS["metrics"])
    assert rep.passed and rep.rows == t.num_rows


def test_missing_and_extra_columns_fail(built: Path, tmp_path: Path) -> None:
    src = _source(built, "agencies", tmp_path)
    t = (
        pq.read_table(src)
        .drop_columns(["city"])
        .append_column(
            "surprise", pa.array([1] * 1, pa.int8()).take([0] * pq.ParquetFile(src).metadata.num_rows)
        )
    )
    bad = tmp_path / "bad.parquet"
    pq.write_table(t, bad)
    rep = validate_files([("bad", bad)], TABLE_MODELS["agencies"])
    assert not rep.passed
    assert {"COLUMN_NOT_IN_DATAFRAME", "COLUMN_NOT_IN_SCHEMA"} <= set(rep.error_counts)


def test_duplicate_keys_are_found_across_files_and_with_nulls(tmp_path: Path) -> None:
    """The hash-first key check finds what a GROUP BY on the values finds: NULLs equal, files together."""
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pq.write_table(pa.table({"k1": ["x", "y", None], "k2": [1, None, 3]}), a)
    pq.write_table(pa.table({"k1": ["z", "y", None], "k2": [1, None, 4]}), b)
    plan = SimpleNamespace(keys=[("k1", "k2")])
    con = checks._connect()
    one = checks.ValidationReport()
    checks._sql_keys(con, [("a", a)], plan, one)  # type: ignore[arg-type]
    assert one.error_counts == {}
    both = checks.ValidationReport()
    checks._sql_keys(con, [("a", a), ("b", b)], plan, both)  # type: ignore[arg-type]
    assert both.error_counts == {"DUPLICATE_KEY": 1}
    assert [c["failure_case"] for c in both.cases] == ["('y', None)"]
