"""Dagster metadata for table assets: row counts, column schemas from the data dictionary, previews, stats.

Everything here is read from the data dictionary (``pipeline.dictionary``) or from Parquet footers and
the first rows of a file, so attaching it costs milliseconds whatever the table size.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from pipeline.dictionary import check_text, table_doc
from pipeline.storage import OutputLayout

PREVIEW_ROWS = 5
HIDDEN_IN_PREVIEW = ("batch_no", "text")


def column_schema(table: str) -> dg.TableSchema:
    """Dagster column schema of a table, from the pandera model (via the data dictionary).

    Column descriptions, nullability, uniqueness and the model's checks (allowed values, ranges,
    patterns) become column constraints; a composite unique key becomes a table constraint.
    """
    doc = table_doc(table)
    composite = len(doc.unique) > 1
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=c.name,
                type=c.type_name,
                description=c.description,
                constraints=dg.TableColumnConstraints(
                    nullable=c.nullable,
                    unique=c.unique or (c.name in doc.unique and not composite),
                    other=[check_text(x) for x in c.checks],
                ),
            )
            for c in doc.columns
        ],
        constraints=dg.TableConstraints(other=[f"unique ({', '.join(doc.unique)})"] if composite else []),
    )


def _cut(v: object, max_chars: int) -> object:
    return v if not isinstance(v, str) or len(v) <= max_chars else v[:max_chars] + "…"


def preview(path: Path, n: int = PREVIEW_ROWS, max_chars: int = 60) -> dg.MetadataValue:
    """The first rows of a Parquet file as a markdown table (long strings cut, full texts hidden)."""
    pf = pq.ParquetFile(path)
    if pf.metadata.num_rows == 0:
        return dg.MetadataValue.md("(empty)")
    df = next(pf.iter_batches(batch_size=n)).to_pandas()
    df = df.drop(columns=[c for c in HIDDEN_IN_PREVIEW if c in df.columns])
    for c in df.columns:
        if df[c].dtype == object or str(df[c].dtype).startswith("str"):
            df[c] = df[c].map(lambda v: _cut(v, max_chars))
    return dg.MetadataValue.md(df.to_markdown(index=False))


def _stat(v: object) -> str:
    text = "" if v is None else str(_cut(v.decode() if isinstance(v, bytes) else v, 24))
    return " ".join(text.replace("|", "/").split())


def column_stats(path: Path) -> dg.MetadataValue:
    """Per column: nulls and min/max over the file, from the Parquet footer statistics (no data read)."""
    md = pq.ParquetFile(path).metadata
    names = md.schema.to_arrow_schema().names
    nulls = dict.fromkeys(names, 0)
    lo: dict[str, object] = {}
    hi: dict[str, object] = {}
    for rg in range(md.num_row_groups):
        group = md.row_group(rg)
        for i in range(group.num_columns):
            col = group.column(i)
            name, st = col.path_in_schema, col.statistics
            if st is None or name not in nulls:
                continue
            nulls[name] += st.null_count or 0
            if st.has_min_max:
                lo[name] = st.min if name not in lo else min(lo[name], st.min)
                hi[name] = st.max if name not in hi else max(hi[name], st.max)
    rows = md.num_rows
    lines = ["| column | nulls | min | max |", "|---|---|---|---|"]
    lines += [
        f"| {n} | {nulls[n]} ({nulls[n] / rows:.0%}) | {_stat(lo.get(n))} | {_stat(hi.get(n))} |"
        if rows
        else f"| {n} | 0 | | |"
        for n in names
        if n not in HIDDEN_IN_PREVIEW
    ]
    return dg.MetadataValue.md("\n".join(lines))


def table_metadata(table: str, path: Path, rows: int, extra: dict | None = None) -> dict:
    """Standard metadata of a materialised table file (a staged one also names its published path)."""
    doc = table_doc(table)
    md = {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "dagster/column_schema": column_schema(table),
        "dagster/table_name": dg.MetadataValue.text(table),
        "table": dg.MetadataValue.text(f"{doc.description} (DuckDB: warehouse.duckdb → {table})"),
        "path": dg.MetadataValue.path(str(path)),
    }
    if path.parent.name == "_staging":
        published = OutputLayout(path.parent.parent).published_table(table)
        md["published_path"] = dg.MetadataValue.path(str(published))
    if path.exists():
        md["preview"] = preview(path)
        md["column_stats"] = column_stats(path)
    else:
        md["preview"] = dg.MetadataValue.md("(not written)")
    md.update(extra or {})
    return md


def partition_metadata(asset: str, out: OutputLayout, partition_keys: Sequence[str]) -> dict:
    """Preview and path of a partitioned core asset: the first non-empty partition file of the run."""
    files = [out.stage_file(asset, k) for k in partition_keys]
    written = [f for f in files if f.exists()]
    md: dict = {"intermediate_dir": dg.MetadataValue.path(str(out.intermediate / asset))}
    non_empty = [f for f in written if pq.ParquetFile(f).metadata.num_rows > 0]
    if non_empty:
        md["preview"] = preview(non_empty[0])
        md["preview_partition"] = dg.MetadataValue.text(non_empty[0].stem)
    else:
        md["preview"] = dg.MetadataValue.md("(no rows in these partitions)")
    return md
