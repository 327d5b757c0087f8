"""The data dictionary, derived from the pandera models in `pipeline.schemas`.

One source of truth, several renderings: Arrow schemas (with field descriptions) for Parquet, DuckDB
column types and COMMENT statements, Dagster column schemas (plain tuples here; `assets/` wraps them) and
the DATA_DICTIONARY.md researchers read. The views are documented from `pipeline.warehouse_sql` and the
metric catalog summary from `pipeline.catalog`, so the dictionary never drifts from what is built.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pyarrow as pa
from pandera.api.pandas.model import DataFrameModel

from pipeline import catalog, schemas, warehouse_sql

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
    unique: bool = False

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


_CHECK = re.compile(r"^<Check (\w+): (.*)>$", re.DOTALL)
_CHECK_WORDS = {
    "greater_than_or_equal_to": ">=",
    "less_than_or_equal_to": "<=",
    "greater_than": ">",
    "less_than": "<",
    "str_matches": "matches",
}


def check_text(check: str) -> str:
    """A pandera check repr in words: ``isin([...])`` → ``one of: a, b``; ``greater_than_or_equal_to(0)`` → ``>= 0``."""
    m = _CHECK.match(check)
    if not m:
        return check
    name, call = m.groups()
    arg = call[call.find("(") + 1 : -1] if call.endswith(")") else call
    if name == "isin":
        return "one of: " + ", ".join(re.findall(r"'([^']*)'", arg))
    if name in _CHECK_WORDS:
        return f"{_CHECK_WORDS[name]} {arg.strip(chr(39))}"
    return call


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
                unique=bool(col.unique),
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


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def view_comments() -> list[str]:
    """COMMENT ON VIEW / COLUMN statements for every view of ``warehouse_sql.VIEWS``."""
    out = []
    for name, (comment, _sql) in warehouse_sql.VIEWS.items():
        out.append(f"COMMENT ON VIEW {name} IS {_q(comment)}")
        cols = warehouse_sql.view_columns().get(name, {})
        out += [f"COMMENT ON COLUMN {name}.{c} IS {_q(d)}" for c, d in cols.items()]
    return out


# ----------------------------------------------------------------------------------------------------
# DATA_DICTIONARY.md


def _cell(s: str) -> str:
    return s.replace("|", "/").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(str(c)) for c in r) + " |" for r in rows]
    return out + [""]


_INTRO = [
    "# Data dictionary",
    "",
    "Generated from `pipeline/schemas.py` (tables), `pipeline/warehouse_sql.py` (views) and the metric",
    "catalog (`pipeline/spec/catalog.csv` + `catalog_additions.csv`). Do not edit by hand.",
    "",
    "**Where the data is.** Every table is one sorted, zstd-compressed Parquet file",
    "`parquet/<table>/<table>.parquet` with an explicit schema (descriptions in the field metadata, the",
    "whole table entry of this dictionary as JSON under the file key `ogi.data_dictionary`), and a table",
    "of `warehouse.duckdb`, which also holds the views below. Column and view comments are in",
    "`duckdb_columns()` / `duckdb_views()`. Open the DuckDB file read-only",
    "(`duckdb -readonly warehouse.duckdb`, or `duckdb.connect(path, read_only=True)`); a running build",
    "replaces it atomically and never blocks readers of the Parquet files.",
    "",
    "Contents: [provenance](#provenance-evidence-and-offsets) · [tables](#tables) · [views](#views) ·",
    "[metric catalog](#metric-catalog) · [harmonised concepts](#harmonised-concepts) ·",
    "[coded values](#coded-values)",
    "",
]

_PROVENANCE = [
    "## Provenance: evidence and offsets",
    "",
    "Every value can be checked against its source in seconds:",
    "",
    "- `metrics.source_file` is the input file (relative to the raw dir); `reports` has its sha256,",
    "  encoding and status.",
    "- `metrics.evidence` is the verbatim text the value was read from, and",
    "  `report_texts.text[char_start:char_end] == evidence` (Python slicing). Offsets count *characters*",
    "  (Unicode code points) of the decoded text, not bytes; the same holds for `sections` and",
    "  `table_cells`. In DuckDB, whose `substring` is 1-based:",
    "  `substring(t.text, m.char_start + 1, m.char_end - m.char_start)`.",
    "- `raw_value` is the number as printed (e.g. `210.8万`, `二十余`); `value` is converted to the",
    "  catalog `unit` (万/亿 multiplied out). `qualifier` keeps approximations (约/余/以上) and zero",
    "  statements; `method` says whether the value is a printed table cell, a sentence, a zero statement",
    "  or derived (a sum of printed cells; its evidence spans the cells summed).",
    "- `table_id` / `section_topic` say where in the report it was found; `decided_by` names the identity",
    "  rule that decided a glued-digit split; `confidence` is lower for such splits and loose phrasing.",
    '- Values are never "fixed": when printed cells do not add up, the values stay as printed and',
    "  `identity_checks` / `validation_issues` record the failed rule (lhs, rhs, diff).",
    "",
    "```sql",
    "SELECT m.metric_id, m.value, m.evidence,",
    "       substring(t.text, m.char_start + 1 - 20, m.char_end - m.char_start + 40) AS context",
    "FROM metrics m JOIN report_texts t USING (report_id)",
    "LIMIT 5;",
    "```",
    "",
]


def _tables_md() -> list[str]:
    lines = ["## Tables", ""]
    for doc in all_tables():
        lines += [f"### `{doc.name}`", "", doc.description, ""]
        if doc.unique:
            lines += [f"Unique key: ({', '.join(doc.unique)})", ""]
        lines += _md_table(
            ["column", "type", "nullable", "meaning", "checks"],
            [
                [
                    f"`{c.name}`",
                    c.type_name,
                    "yes" if c.nullable else "no",
                    c.description,
                    "; ".join(["unique"] * c.unique + [check_text(x) for x in c.checks]),
                ]
                for c in doc.columns
            ],
        )
    return lines


def _views_md() -> list[str]:
    lines = [
        "## Views",
        "",
        "Views of `warehouse.duckdb` (computed on read from the tables; the same SQL runs over the Parquet",
        "files when each table name is bound to `read_parquet(...)`).",
        "",
    ]
    for name, (comment, _sql) in warehouse_sql.VIEWS.items():
        lines += [f"### `{name}`", "", comment, ""]
        cols = warehouse_sql.view_columns().get(name, {})
        lines += _md_table(["column", "meaning"], [[f"`{c}`", d] for c, d in cols.items()])
    return lines


def _namespace(metric_id: str) -> str:
    return metric_id.split(".", 1)[0]


def _catalog_md() -> list[str]:
    defs = list(catalog.catalog().values())
    layouts = [x for x in schemas.LAYOUTS if x != "unknown"]
    spaces = sorted({_namespace(d.metric_id) for d in defs})
    rows = []
    for ns in spaces:
        counts = [
            sum(1 for d in defs if _namespace(d.metric_id) == ns and lay in d.layouts) for lay in layouts
        ]
        rows.append([f"`{ns}.*`", *[str(n or "") for n in counts]])
    units: dict[str, int] = {}
    for d in defs:
        units[d.unit] = units.get(d.unit, 0) + 1
    expected = [
        [lay, str(len(warehouse_sql.expected_metric_ids(lay)))] for lay in warehouse_sql.TABLE_LAYOUTS
    ]
    n_added = sum(d.origin == "added" for d in defs)
    return [
        "## Metric catalog",
        "",
        f"{len(defs)} metric ids ({len(defs) - n_added} from the spec, {n_added} documented additions); the full",
        "list with labels, units, layouts and notes is the `metric_catalog` table. Ids are namespaced: `narr.*`",
        "are read from sentences (free-form reports and the 总体情况 of std reports), `stat.*` from the 2014",
        "national statistics table, `active.*` / `app.*` / `review.*` / `litigation.*` from std tables 二/三/四",
        "and `other.*` from the std2021 section 六. Std table 3 ids are `app.<row>.<column>` with the",
        "applicant columns " + ", ".join(f"`{c}`" for c in warehouse_sql.APPLICANT_COLUMNS) + ".",
        "",
        "Metric ids by namespace and layout (an id can occur in several layouts):",
        "",
        *_md_table(["namespace", *layouts], rows),
        "Units of stored values (number of metric ids per unit). Values are always in the catalog unit;",
        "counts are whole numbers and money is in 元 or 万元 as the unit says:",
        "",
        *_md_table(
            ["unit", "metric ids"], [[u, str(n)] for u, n in sorted(units.items(), key=lambda kv: -kv[1])]
        ),
        "Printed table cells a complete report has (what `report_completeness` and the coverage report",
        "count; derived subtotals and local-template variants excluded):",
        "",
        *_md_table(["layout", "expected cells"], expected),
    ]


HARMONISATION_NOTES = [
    "`requests_granted`: std 予以公开 also covers answers the stat2014 table counts as already public;"
    " for a comparable series add `requests_already_public` to the stat2014 value (X-HARM-GRANTED).",
    "`requests_info_not_held` (std) ≈ `requests_not_this_agency` + `requests_info_not_exist` in older"
    " reports (X-HARM-NOTHELD).",
    "`fees_collected`: stat2014 prints 万元, free-form and std2021 (信息处理费) print 元; `harmonized_series`"
    " converts to 元 (X-FEES). `admin_fees_collected` (行政事业性收费, std2021 表二) is a different concept.",
    "`admin_litigation_total` in std reports is the derived `litigation.all.total` (直接起诉 + 复议后起诉).",
    "`proactive_items_published` has no std-era table counterpart; `requests_carried_over_in` /"
    " `requests_carried_forward` exist only from 2019 (free-form `narr.app.pending` ≈ carried forward).",
    "std2019 对外公开总数量 (cumulative stock) is not std2021 现行有效件数 (in force): different concepts.",
]


def _harmonised_md() -> list[str]:
    by: dict[str, dict[str, list[str]]] = {}
    units: dict[str, set[str]] = {}
    for d in catalog.catalog().values():
        if not d.harmonized_id:
            continue
        cols = by.setdefault(d.harmonized_id, {})
        units.setdefault(d.harmonized_id, set()).add(d.unit)
        keys = ["narr"] if d.metric_id.startswith("narr.") else [x for x in d.layouts if x != "freeform"]
        for k in keys:
            cols.setdefault(k, []).append(d.metric_id)
    cross = sorted(c for c, v in by.items() if len(v) >= 2)
    series_unit = warehouse_sql.concept_units()
    rows = [
        [
            f"`{c}`",
            *[
                " ".join(f"`{m}`" for m in by[c].get(k, [])) or "—"
                for k in ("narr", "stat2014", "std2019", "std2021")
            ],
            "/".join(sorted(units[c])),
            series_unit[c],
        ]
        for c in cross
    ]
    return [
        "## Harmonised concepts",
        "",
        f"{len(by)} concepts (`harmonized_id`); the {len(cross)} that more than one era reports are below (the",
        "others occur in one layout only: see `metric_catalog`). `harmonized_series` gives one row per report",
        "and concept. " + warehouse_sql.precedence_text() + ". Values are in the *series unit*.",
        "",
        *_md_table(
            [
                "harmonized_id",
                "narrative (narr.*)",
                "stat2014",
                "std2019",
                "std2021",
                "catalog unit(s)",
                "series unit",
            ],
            rows,
        ),
        "Caveats (rules X-HARM-* of `docs/spec/identities.md`):",
        "",
        *[f"- {n}" for n in HARMONISATION_NOTES],
        "",
    ]


def _codes_md() -> list[str]:
    codes = [
        ["`layout`", "reports, metrics", ", ".join(schemas.LAYOUTS)],
        ["`status` (reports)", "reports", ", ".join(schemas.STATUSES)],
        ["`qualifier`", "metrics", ", ".join(schemas.QUALIFIERS)],
        ["`method`", "metrics", ", ".join(schemas.METHODS)],
        ["`status` (checks)", "identity_checks, validation_issues", ", ".join(schemas.CHECK_STATUSES)],
        ["`severity`", "identity_checks, validation_issues", ", ".join(schemas.SEVERITIES)],
        ["`agency_level`", "reports, agencies", ", ".join(schemas.AGENCY_LEVELS)],
    ]
    return ["## Coded values", "", *_md_table(["column", "tables", "values"], codes)]


def markdown(extra_sections: list[str] | None = None) -> str:
    """DATA_DICTIONARY.md: provenance, every table and view column, the catalog and the harmonised concepts."""
    lines = [
        *_INTRO,
        *_PROVENANCE,
        *_tables_md(),
        *_views_md(),
        *_catalog_md(),
        *_harmonised_md(),
        *_codes_md(),
    ]
    for s in extra_sections or []:
        lines += [s, ""]
    return "\n".join(lines).rstrip("\n") + "\n"
