"""Validating Parquet files against the pandera models, in bounded memory and at column-store speed.

The pandera models (`pipeline.schemas`) stay the single source of the rules. ``validate_files`` compiles
a model once into what it asks of a file:

- **schema**: every column present, no extra column (``strict``), and each column's Arrow type one that
  the model's dtype takes without conversion (``string``/``large_string`` for ``str``, ``int16`` for
  ``Int16`` …);
- **values**: ``nullable=False`` (NaN counts as null in float columns, as in pandera), ``isin``,
  ``str_matches`` (anchored at the start, as ``re.match``), ``ge``/``le``/``gt``/``lt``, each turned into
  a SQL predicate that DuckDB evaluates over all files in one streaming, multi-threaded scan;
- **keys**: ``unique`` columns and the model's composite key, checked over all files together (grouped by
  a hash of the key first, by its values only where a hash repeats).

A file whose schema does not match, or a model with a check this compiler does not know, is validated
by pandera itself (``Model.validate(lazy=True)``, batch by batch, batches sized by bytes) with the same
report format. ``tests/test_checks.py`` asserts that both paths flag the same rows for every model.
Results feed Dagster's blocking asset checks (``assets/checks.py``).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pandera.errors
import pandera.pandas as pa
import pyarrow as pya
import pyarrow.parquet as pq

from pipeline import config

MAX_CASES = 20
BATCH_BYTES = 64 * 1024 * 1024  # pandas memory per pandera batch (fallback path)
DROP = ("batch_no",)

# Arrow types a file may hold for a model dtype (pandera coerces them without conversion).
ARROW_TYPES: dict[str, tuple[pya.DataType, ...]] = {
    "str": (pya.string(), pya.large_string()),
    "string": (pya.string(), pya.large_string()),
    "string[pyarrow]": (pya.string(), pya.large_string()),
    "Int16": (pya.int16(),),
    "Int32": (pya.int32(),),
    "Int64": (pya.int64(),),
    "int64": (pya.int64(),),
    "float64": (pya.float64(),),
    "boolean": (pya.bool_(),),
    "bool": (pya.bool_(),),
}
FLOAT_DTYPES = {"float64"}


@dataclass
class ValidationReport:
    """Outcome of validating one or more files against one model."""

    rows: int = 0
    failures: int = 0
    error_counts: dict[str, int] = field(default_factory=dict)
    cases: list[dict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when nothing failed."""
        return self.failures == 0

    def cases_markdown(self) -> str:
        """The first failure cases as a markdown table."""
        if not self.cases:
            return "no failures"
        return pd.DataFrame(self.cases).to_markdown(index=False)

    def add(self, code: str, n: int, cases: Sequence[dict] = ()) -> None:
        """Count ``n`` failures of one kind and keep the first cases."""
        if n <= 0:
            return
        self.failures += n
        self.error_counts[code] = self.error_counts.get(code, 0) + n
        room = MAX_CASES - len(self.cases)
        self.cases += [dict(c) for c in cases[: max(0, room)]]

    def merge(self, other: ValidationReport) -> None:
        """Add another report's rows, counts and cases."""
        self.rows += other.rows
        self.failures += other.failures
        for k, v in other.error_counts.items():
            self.error_counts[k] = self.error_counts.get(k, 0) + v
        self.cases += other.cases[: max(0, MAX_CASES - len(self.cases))]


# ----------------------------------------------------------------------------------------------------
# Compiling a model


@dataclass(frozen=True)
class Rule:
    """One row-level rule: a SQL predicate that is TRUE on the rows that fail it."""

    column: str
    check: (
        str  # as pandera names it in failure cases: not_nullable, isin([...]), greater_than_or_equal_to(0) …
    )
    code: str  # pandera's error code: SERIES_CONTAINS_NULLS or DATAFRAME_CHECK
    fails: str


@dataclass(frozen=True)
class Plan:
    """What a model asks of a file."""

    columns: dict[str, tuple[pya.DataType, ...]]
    rules: tuple[Rule, ...]
    keys: tuple[tuple[str, ...], ...]
    strict: bool
    compiled: bool  # False: some check has no SQL form, use pandera for everything


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(v: object) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(v)
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def _check_sql(col: str, check: pa.Check, is_float: bool) -> str | None:
    """Failing-row predicate of a built-in check (nulls are ignored, as pandera does), or None."""
    c, st = _q(col), check.statistics or {}
    not_nan = f" AND NOT isnan({c})" if is_float else ""
    if check.name == "isin":
        return f"{c} NOT IN ({', '.join(_lit(v) for v in st['allowed_values'])}){not_nan}"
    if check.name == "notin":
        return f"{c} IN ({', '.join(_lit(v) for v in st['forbidden_values'])})"
    if check.name == "str_matches":
        return f"NOT regexp_matches({c}, {_lit('^(?:' + str(st['pattern']) + ')')})"
    ops = {
        "greater_than_or_equal_to": ("<", "min_value"),
        "greater_than": ("<=", "min_value"),
        "less_than_or_equal_to": (">", "max_value"),
        "less_than": (">=", "max_value"),
    }
    if check.name in ops:
        op, key = ops[check.name]
        return f"{c} {op} {_lit(st[key])}{not_nan}"
    return None


def _pandera_schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    return model.to_schema()


@cache
def compile_model(model: type[pa.DataFrameModel]) -> Plan:
    """The schema, row rules and keys of a model (``compiled=False`` when a check has no SQL form)."""
    schema = _pandera_schema(model)
    columns: dict[str, tuple[pya.DataType, ...]] = {}
    rules: list[Rule] = []
    compiled = True
    for name, col in schema.columns.items():
        dtype = str(col.dtype)
        types = ARROW_TYPES.get(dtype)
        if types is None:
            compiled = False
            continue
        columns[name] = types
        is_float = dtype in FLOAT_DTYPES
        if not col.nullable:
            nan = f" OR isnan({_q(name)})" if is_float else ""
            rules.append(Rule(name, "not_nullable", "SERIES_CONTAINS_NULLS", f"{_q(name)} IS NULL{nan}"))
        for check in col.checks:
            try:
                sql = _check_sql(name, check, is_float)
            except (KeyError, ValueError):
                sql = None
            if sql is None:
                compiled = False
                continue
            rules.append(Rule(name, check.error or check.name, "DATAFRAME_CHECK", sql))
    keys: list[tuple[str, ...]] = []
    if schema.unique:
        keys.append(tuple(schema.unique))
    keys += [(name,) for name, col in schema.columns.items() if col.unique]
    if schema.checks:  # dataframe-wide custom checks: pandera only
        compiled = False
    return Plan(columns, tuple(rules), tuple(keys), bool(schema.strict), compiled)


# ----------------------------------------------------------------------------------------------------
# DuckDB


def _connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with bounded memory and threads (spills to a temp dir).

    One per ``validate_files`` call, closed at its end: DuckDB keeps its buffers until the connection
    closes, and a worker process validates many files.
    """
    con = duckdb.connect()
    con.execute(f"SET threads = {config.duckdb_threads()}")
    con.execute(f"SET memory_limit = '{config.duckdb_memory_limit()}'")
    tmp = Path(tempfile.gettempdir()) / f"ogi-duckdb-checks-{os.getpid()}"
    con.execute(f"SET temp_directory = {_lit(tmp.as_posix())}")
    return con


def _file_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(_lit(Path(p).as_posix()) for p in paths) + "]"


def _schema_problems(path: Path, plan: Plan) -> list[dict]:
    """Missing, extra or wrongly typed columns of a file (as failure cases)."""
    schema = pq.read_schema(path)
    present = {f.name: f.type for f in schema if f.name not in DROP}
    out = []
    for name, types in plan.columns.items():
        if name not in present:
            out.append({"column": name, "check": "column_in_dataframe", "code": "COLUMN_NOT_IN_DATAFRAME"})
        elif present[name] not in types:
            out.append({"column": name, "check": f"dtype({types[0]})", "code": "WRONG_DATATYPE"})
    if plan.strict:
        out += [
            {"column": n, "check": "column_in_schema", "code": "COLUMN_NOT_IN_SCHEMA"}
            for n in present
            if n not in plan.columns
        ]
    return out


def _labels(files: Sequence[tuple[str, Path]]) -> dict[str, str]:
    return {Path(p).as_posix(): label for label, p in files}


def _sql_rules(
    con: duckdb.DuckDBPyConnection, files: Sequence[tuple[str, Path]], plan: Plan, rep: ValidationReport
) -> None:
    """Every row rule over every file in one scan; example rows of the failing rules."""
    if not plan.rules or not files:
        return
    src = _file_list([p for _, p in files])
    counts = ", ".join(f"count(*) FILTER (WHERE {r.fails})" for r in plan.rules)
    found = con.execute(f"SELECT {counts} FROM read_parquet({src})").fetchone() or ()
    labels = _labels(files)
    for rule, n in zip(plan.rules, found, strict=True):
        if not n:
            continue
        rows = con.execute(
            f"SELECT filename, file_row_number, {_q(rule.column)}::VARCHAR FROM "
            f"read_parquet({src}, filename = true, file_row_number = true) WHERE {rule.fails} "
            f"ORDER BY filename, file_row_number LIMIT {MAX_CASES}"
        ).fetchall()
        cases = [
            {
                "column": rule.column,
                "check": rule.check,
                "failure_case": str(v),
                "index": f"{labels.get(Path(f).as_posix(), f)}:{i}",
            }
            for f, i, v in rows
        ]
        rep.add(rule.code, int(n), cases)


def _sql_keys(
    con: duckdb.DuckDBPyConnection, files: Sequence[tuple[str, Path]], plan: Plan, rep: ValidationReport
) -> None:
    """Uniqueness of every key over all files together.

    First grouped by a 64-bit hash of the key, which is 1.5–2.5× faster than grouping the strings
    themselves; only when some hash occurs twice (a duplicate, or a rare collision) are the rows with
    those hashes grouped by the key's values, so the result is exact either way.
    """
    if not files:
        return
    src = f"read_parquet({_file_list([p for _, p in files])}, union_by_name = true)"
    for key in plan.keys:
        cols = ", ".join(_q(c) for c in key)
        repeated = f"SELECT h FROM (SELECT hash({cols}) AS h FROM {src}) GROUP BY h HAVING count(*) > 1"
        if con.execute(f"SELECT count(*) FROM ({repeated})").fetchone()[0] == 0:  # type: ignore[index]
            continue
        dups = con.execute(
            f"SELECT {cols}, count(*) AS n FROM {src} WHERE hash({cols}) IN ({repeated}) "
            "GROUP BY ALL HAVING count(*) > 1 "
            f"ORDER BY n DESC LIMIT {MAX_CASES}"
        ).fetchall()
        cases = [
            {
                "column": "+".join(key),
                "check": "unique",
                "failure_case": str(d[:-1]),
                "index": f"{d[-1]} rows",
            }
            for d in dups
        ]
        rep.add("DUPLICATE_KEY", len(dups), cases)


# ----------------------------------------------------------------------------------------------------
# pandera itself (files whose schema does not match, models with checks that have no SQL form)


@cache
def _batch_model(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The model's schema without uniqueness (uniqueness is checked over all files with DuckDB)."""
    schema = model.to_schema()
    cols = {name: col.set_checks(col.checks) for name, col in schema.columns.items()}
    for col in cols.values():
        col.unique = False
    return pa.DataFrameSchema(
        cols, checks=schema.checks, strict=schema.strict, coerce=schema.coerce, unique=None
    )


def _batch_rows(pf: pq.ParquetFile) -> int:
    """Rows per pandera batch so that one batch is about ``BATCH_BYTES`` of data."""
    md = pf.metadata
    if md.num_rows == 0:
        return 1
    size = sum(md.row_group(i).total_byte_size for i in range(md.num_row_groups))
    per_row = max(1, size // md.num_rows)
    return int(min(250_000, max(256, BATCH_BYTES // per_row)))


def validate_with_pandera(path: Path, model: type[pa.DataFrameModel], label: str = "") -> ValidationReport:
    """Row checks of one file with pandera itself, batch by batch (uniqueness not included)."""
    rep = ValidationReport()
    schema = _batch_model(model)
    pf = pq.ParquetFile(path)
    offset = 0
    for batch in pf.iter_batches(batch_size=_batch_rows(pf)):
        df = batch.to_pandas()
        df = df.drop(columns=[c for c in DROP if c in df.columns])
        df.index = pd.RangeIndex(offset, offset + len(df))
        offset += len(df)
        rep.rows += len(df)
        try:
            schema.validate(df, lazy=True)
        except pandera.errors.SchemaErrors as err:
            fc = err.failure_cases
            rep.failures += len(fc)
            for k, v in err.error_counts.items():
                rep.error_counts[k] = rep.error_counts.get(k, 0) + int(v)
            for r in fc.head(max(0, MAX_CASES - len(rep.cases))).to_dict("records"):
                case = {k: str(r.get(k)) for k in ("column", "check", "failure_case", "index")}
                if label:
                    case["index"] = f"{label}:{case['index']}"
                rep.cases.append(case)
    return rep


# ----------------------------------------------------------------------------------------------------
# Entry points


def validate_files(files: Sequence[tuple[str, Path]], model: type[pa.DataFrameModel]) -> ValidationReport:
    """Validate files (``(label, path)`` pairs) against ``model``: all rules, every row, keys over all files."""
    plan = compile_model(model)
    rep = ValidationReport()
    fast: list[tuple[str, Path]] = []
    for label, path in files:
        if not plan.compiled or _schema_problems(path, plan):
            rep.merge(validate_with_pandera(path, model, label))
        else:
            fast.append((label, path))
            rep.rows += pq.ParquetFile(path).metadata.num_rows
    con = _connect()
    try:
        _sql_rules(con, fast, plan, rep)
        _sql_keys(con, list(files), plan, rep)
    finally:
        con.close()
    return rep


def validate_parquet(path: Path, model: type[pa.DataFrameModel]) -> ValidationReport:
    """Validate one Parquet file against ``model`` (all rules, every row, keys)."""
    return validate_files([(Path(path).stem, Path(path))], model)
