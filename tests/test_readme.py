"""The README's examples run as printed, on a real build of the shipped corpus, and return rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    """The ```python blocks of the README, in order."""
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def sql_of(block: str) -> list[str]:
    """The SQL strings a block passes to ``con.sql`` in a triple-quoted string."""
    return re.findall(r'con\.sql\(\s*"""(.*?)"""', block, flags=re.DOTALL)


def _on(built: Path, code: str) -> str:
    return code.replace("data/processed", built.as_posix())


def test_the_readme_has_python_and_sql_examples() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 3
    assert sum(len(sql_of(b)) for b in blocks) >= 2


def test_every_python_example_runs_in_order(built: Path, capsys) -> None:  # noqa: ANN001
    namespace: dict[str, object] = {}
    for block in python_blocks():
        exec(compile(_on(built, block), "README.md", "exec"), namespace)  # noqa: S102
    m = namespace["m"]
    assert isinstance(m, pd.DataFrame) and len(m) > 0
    assert (m["metric_id"] == "app.new.total").any()
    assert capsys.readouterr().out.strip()  # the .show() calls printed their tables


def test_every_readme_query_returns_rows(built: Path) -> None:
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    try:
        for block in python_blocks():
            for sql in sql_of(block):
                rows = con.sql(sql).fetchall()
                assert rows, f"no rows for the README query:\n{sql}"
    finally:
        con.close()


def test_traced_values_equal_their_evidence(built: Path) -> None:
    """The README's tracing query: the cut of the report text is the evidence, for every metric."""
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    try:
        bad = con.sql(
            """
            SELECT count(*) FROM metrics m JOIN report_texts t USING (report_id)
            WHERE substr(t.text, m.char_start + 1, m.char_end - m.char_start) <> m.evidence
            """
        ).fetchall()[0][0]
    finally:
        con.close()
    assert bad == 0
