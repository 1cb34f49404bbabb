"""The folding macros of etl/load/sql/views.sql (kept in the warehouse, called by
documents_search.sql) give the strings of the plain definitions they stand for, which the
data dictionary states: flat_text(t) = regexp_replace(t, '\\s+', ' ', 'g')."""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl.load.writer import sql_text

# the plain definitions (the build used them before the macros)
PLAIN_FLAT = "regexp_replace(t, '\\s+', ' ', 'g')"
PLAIN_FOLD = "lower(strip_accents(replace(replace(t, 'đ', 'd'), 'Đ', 'D')))"

_MACRO = re.compile(r"^CREATE OR REPLACE MACRO .*?;$", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    macros = _MACRO.findall(sql_text("views.sql"))
    assert len(macros) == 2, macros  # flat_text and search_fold
    connection = duckdb.connect()
    for statement in macros:
        connection.execute(statement)
    yield connection
    connection.close()


def _both(con: duckdb.DuckDBPyConnection, macro: str, plain: str, text: str) -> tuple[str, str]:
    row = con.execute(f"SELECT {macro}(t), {plain} FROM (SELECT ? AS t)", [text]).fetchone()
    assert row is not None
    return row[0], row[1]


@pytest.mark.parametrize(
    "text",
    [
        "Kế hoạch tuyên truyền\nnăm 2025",
        "Đoạn một.\n\nĐoạn hai.",
        " mở đầu bằng dấu cách\n dòng sau",
        "hai  dấu cách và\n\n\nba dòng",
        "cột\tcột\r\ndòng\fmới",  # characters repair() never leaves: the regexp branch
        "",
        "\n",
    ],
)
def test_flat_text_cases(con: duckdb.DuckDBPyConnection, text: str) -> None:
    got, want = _both(con, "flat_text", PLAIN_FLAT, text)
    assert got == want


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aĐđệ \n\t\r\f\u00a0x"), max_size=40))
@example("a \n \n b")
def test_flat_text_is_the_regexp(con: duckdb.DuckDBPyConnection, text: str) -> None:
    got, want = _both(con, "flat_text", PLAIN_FLAT, text)
    assert got == want


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("AaĐđÊêỆệƯưỜờ Ññ1-"), max_size=30))
def test_search_fold_is_the_plain_fold(con: duckdb.DuckDBPyConnection, text: str) -> None:
    got, want = _both(con, "search_fold", PLAIN_FOLD, text)
    assert got == want


def test_search_fold_of_a_vietnamese_phrase(con: duckdb.DuckDBPyConnection) -> None:
    got, _ = _both(con, "search_fold", PLAIN_FOLD, "Đẩy mạnh Tuyên truyền")
    assert got == "day manh tuyen truyen"
