"""Validating Parquet files against the pandera models, in bounded memory.

``validate_parquet`` streams a file batch by batch through ``Model.validate(lazy=True)`` (types, ranges,
allowed values, per-batch uniqueness) and checks the table-wide keys with DuckDB, so a 10-million-row
metrics file is validated without loading it whole. The result feeds Dagster's blocking asset checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pandera.errors
import pandera.pandas as pa
import pyarrow.parquet as pq

MAX_CASES = 20


@dataclass
class ValidationReport:
    """Outcome of validating one file."""

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


def _unique_keys(model: type[pa.DataFrameModel]) -> list[list[str]]:
    schema = model.to_schema()
    keys: list[list[str]] = []
    if schema.unique:
        keys.append(list(schema.unique))
    keys += [[name] for name, col in schema.columns.items() if col.unique]
    return keys


def _batch_model(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The model's schema without uniqueness (uniqueness is checked table-wide with DuckDB)."""
    schema = model.to_schema()
    cols = {name: col.set_checks(col.checks) for name, col in schema.columns.items()}
    for col in cols.values():
        col.unique = False
    return pa.DataFrameSchema(cols, strict=schema.strict, coerce=schema.coerce, unique=None)


def validate_parquet(
    path: Path,
    model: type[pa.DataFrameModel],
    batch_rows: int = 100_000,
    drop: tuple[str, ...] = ("batch_no",),
) -> ValidationReport:
    """Validate a Parquet file against ``model`` (all rules, lazily, in batches)."""
    rep = ValidationReport()
    schema = _batch_model(model)
    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=batch_rows):
        df = batch.to_pandas()
        df = df.drop(columns=[c for c in drop if c in df.columns])
        rep.rows += len(df)
        try:
            schema.validate(df, lazy=True)
        except pandera.errors.SchemaErrors as err:
            fc = err.failure_cases
            rep.failures += len(fc)
            for k, v in err.error_counts.items():
                rep.error_counts[k] = rep.error_counts.get(k, 0) + int(v)
            for r in fc.head(MAX_CASES - len(rep.cases)).to_dict("records"):
                rep.cases.append({k: str(r.get(k)) for k in ("column", "check", "failure_case", "index")})
    con = duckdb.connect()
    for key in _unique_keys(model):
        cols = ", ".join(f'"{c}"' for c in key)
        sql = f"SELECT {cols}, count(*) AS n FROM read_parquet(?) GROUP BY ALL HAVING count(*) > 1 LIMIT 20"
        dups = con.execute(sql, [str(path)]).fetchall()
        if dups:
            rep.failures += len(dups)
            rep.error_counts["DUPLICATE_KEY"] = rep.error_counts.get("DUPLICATE_KEY", 0) + len(dups)
            for d in dups[: max(0, MAX_CASES - len(rep.cases))]:
                rep.cases.append(
                    {
                        "column": "+".join(key),
                        "check": "unique",
                        "failure_case": str(d[:-1]),
                        "index": f"{d[-1]} rows",
                    }
                )
    con.close()
    return rep
