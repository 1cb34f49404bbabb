"""Hostile query parameters: every key the dashboard reads from the URL, on every page.

Each page is opened with every URL key set to SQL injection strings, markup, path traversal,
NUL bytes, huge numbers and overlong text. The page must run without an exception, keep
only allowed values in its filters, and leave the warehouse exactly as it was (same bytes:
it is opened read-only; same tables and row counts).

A guard test reads the dashboard's source for the keys it takes from the URL, so a new key
is tried here as soon as a page reads it.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries, state
from dashboard.state import Filters
from tests.dashboard.conftest import APP, assert_ok

DASHBOARD = APP.parent
PAGES = re.findall(r"""\(\s*["'](\w+)["']\s*,\s*["']:material/""", APP.read_text(encoding="utf-8"))
UPLOAD = DASHBOARD / "app_pages" / "upload.py"

# every key a page or the frame reads from the URL (the guard test keeps this list complete)
KEYS = (
    *state.URL_KEYS,  # y0 y1 region level province group theme kind lang
    "q",  # documents: search text
    "doc",  # documents: the open document
    "era",  # map
    "metric",
    "mid",
    "pts",
    "by",  # compare
    "loc",
    "years",
    "base",
    "mirror",
    "present",
    "slide",
)

INJECTIONS = (
    "01'; DROP TABLE plans; --",
    "' OR '1'='1",
    "1; DELETE FROM documents; --",
    "\"; ATTACH '/tmp/evil.duckdb' AS evil; --",
    "2020) UNION SELECT doc_id, text FROM documents --",
    "'; COPY documents TO '/tmp/leak.csv'; --",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "../../../../etc/passwd",
    "%27%3B%20DROP%20TABLE%20plans%3B--",
    "a\x00b",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    ",,,,",
    "02,01'; DROP TABLE plans; --",
    "😀" * 50,
    "9" * 5000,
    "x" * 20000,
    "\u202e\u200b",
)
ROUNDS = 3  # each key sees ROUNDS different strings on each page


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_counts(db: Path) -> dict[str, int]:
    con = queries.connect_readonly(db)
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        out = {}
        for name in names:
            row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            out[name] = int(row[0]) if row else -1
        return out
    finally:
        con.close()


def params_for(round_no: int) -> dict[str, str]:
    return {
        key: INJECTIONS[(round_no * len(KEYS) + i * 7) % len(INJECTIONS)]
        for i, key in enumerate(KEYS)
    }


def open_with(
    db: Path, page: str, params: dict[str, str], use_db: Callable[[Path], None]
) -> AppTest:
    use_db(db)
    if page == "upload" and page not in PAGES:  # not in the navigation yet: on its own
        at = AppTest.from_file(str(UPLOAD), default_timeout=120)
    else:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.switch_page(f"app_pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def check_filters(at: AppTest) -> None:
    """The filters the run used hold only values the warehouse allows."""
    if "_cchc_filters" not in at.session_state:
        return
    filters = at.session_state["_cchc_filters"]
    assert isinstance(filters, Filters)
    allowed = state.allowed_values()
    for name, url_key in state.LIST_KEYS.items():
        assert set(getattr(filters, name)) <= set(allowed.options(url_key)), name
    for year in (filters.year_min, filters.year_max):
        assert year is None or year in allowed.years
    for key in state.URL_KEYS:  # the URL the app wrote back is canonical
        value = at.query_params.get(key)
        for text in value if isinstance(value, list) else [value]:
            assert text is None or not any(bad in text for bad in ("'", ";", "<", "\x00")), key


@pytest.fixture(scope="module")
def before(demo_db: Path) -> tuple[str, dict[str, int]]:
    return digest(demo_db), table_counts(demo_db)


@pytest.mark.parametrize("page", [*PAGES, *([] if "upload" in PAGES else ["upload"])])
def test_hostile_query_params_on_every_page(
    page: str,
    demo_db: Path,
    before: tuple[str, dict[str, int]],
    use_db: Callable[[Path], None],
) -> None:
    for round_no in range(ROUNDS):
        params = params_for(round_no)
        at = open_with(demo_db, page, params, use_db)
        assert_ok(at)
        check_filters(at)
    assert (digest(demo_db), table_counts(demo_db)) == before


def test_every_key_gets_several_strings() -> None:
    for key in KEYS:
        assert len({params_for(r)[key] for r in range(ROUNDS)}) == ROUNDS, key


def _url_keys_in_source() -> set[str]:
    """String keys the dashboard reads from st.query_params, directly or through a page's
    helper (`_param("x")`, `_url("x")` over a `URL` mapping, `URL_KEYS` tuples)."""
    found: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        url_map: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in ("URL", "URL_KEYS") for t in node.targets
            ):
                value = node.value
                if isinstance(value, ast.Dict):
                    for k, v in zip(value.keys, value.values, strict=True):
                        if isinstance(k, ast.Constant) and isinstance(v, ast.Constant):
                            url_map[str(k.value)] = str(v.value)
                            found.add(str(v.value))
                elif isinstance(value, (ast.Tuple, ast.List)):
                    found.update(str(e.value) for e in value.elts if isinstance(e, ast.Constant))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                arg = node.args[0].value
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "get"
                    and isinstance(func.value, ast.Attribute)
                    and func.value.attr == "query_params"
                ) or (isinstance(func, ast.Name) and func.id == "_param"):
                    found.add(str(arg))
                elif isinstance(func, ast.Name) and func.id == "_url":
                    found.add(url_map.get(str(arg), str(arg)))
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "query_params"
                and isinstance(node.slice, ast.Constant)
            ):
                found.add(str(node.slice.value))
    return found


def test_every_url_key_the_dashboard_reads_is_tried() -> None:
    in_source = _url_keys_in_source()
    assert {"q", "doc", "lang"} <= in_source | set(state.URL_KEYS)
    missing = in_source - set(KEYS)
    assert not missing, f"URL keys read by the dashboard but not tried here: {sorted(missing)}"
