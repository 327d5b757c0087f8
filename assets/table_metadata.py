"""Dagster metadata for table assets: row counts, column schemas from the data dictionary, previews."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from pipeline.dictionary import table_doc


def column_schema(table: str) -> dg.TableSchema:
    """Dagster column schema of a table, from the pandera model (via the data dictionary)."""
    doc = table_doc(table)
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=c.name,
                type=c.type_name,
                description=c.description,
                constraints=dg.TableColumnConstraints(
                    nullable=c.nullable, unique=c.name in doc.unique and len(doc.unique) == 1
                ),
            )
            for c in doc.columns
        ]
    )


def preview(path: Path, n: int = 5, max_chars: int = 60) -> dg.MetadataValue:
    """The first rows of a Parquet file as a markdown table (long strings cut)."""
    pf = pq.ParquetFile(path)
    if pf.metadata.num_rows == 0:
        return dg.MetadataValue.md("(empty)")
    df = next(pf.iter_batches(batch_size=n)).to_pandas()
    df = df.drop(columns=[c for c in ("batch_no", "text") if c in df.columns])
    for c in df.columns:
        if df[c].dtype == object or str(df[c].dtype).startswith("str"):
            df[c] = df[c].map(
                lambda v: v if not isinstance(v, str) or len(v) <= max_chars else v[:max_chars] + "…"
            )
    return dg.MetadataValue.md(df.to_markdown(index=False))


def table_metadata(table: str, path: Path, rows: int, extra: dict | None = None) -> dict:
    """Standard metadata of a materialised table file."""
    md = {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "dagster/column_schema": column_schema(table),
        "path": dg.MetadataValue.path(str(path)),
        "preview": preview(path) if path.exists() else dg.MetadataValue.md("(not written)"),
    }
    md.update(extra or {})
    return md
