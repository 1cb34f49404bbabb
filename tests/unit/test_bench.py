"""bench/: a tiny bench run writes JSON with every key the report promises; the percentile
helper and the floor are right; corpora are cached. Times are reported, never asserted."""

from __future__ import annotations

import ast
import json
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from bench import pages as bench_pages_module
from bench.corpus import code_version, corpus_complete, ensure_corpus
from bench.etl import floor
from bench.pages import PAGE_ELEMENTS, PageError, chromium_available
from bench.pandas_eq import EQUIVALENTS
from bench.run import QUICK_SIZES, main, parse_args
from bench.stats import median, percentile, summary_ms

# every pandas equivalent, plus lookups, Map and Compare files (all queries take ~1 min)
QUERIES = (*EQUIVALENTS, "build_info", "document_text", "map_metric_plans", "compare_channels")
PAGES = ("overview", "documents")
N = 30


# --- percentile --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1, 2, 3, 4], 50, 2.5),
        ([4, 1, 3, 2], 50, 2.5),  # order does not matter
        ([1, 2, 3, 4, 5], 50, 3),
        (list(range(1, 101)), 95, 95.05),  # numpy's default ('linear')
        (list(range(1, 101)), 0, 1),
        (list(range(1, 101)), 100, 100),
        ([7.5], 95, 7.5),
        ([10, 20], 95, 19.5),
    ],
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def test_percentile_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_in_milliseconds() -> None:
    summary = summary_ms([0.001, 0.002, 0.003])
    assert summary["p50_ms"] == pytest.approx(2.0)
    assert summary["min_ms"] == pytest.approx(1.0) and summary["max_ms"] == pytest.approx(3.0)
    assert summary["runs"] == 3
    assert median([3, 1, 2]) == 2


# --- floor ---------------------------------------------------------------------------------


def test_floor_reads_and_nfc_normalises_every_file(tmp_path: Path) -> None:
    composed = "Kế hoạch tuyên truyền cải cách hành chính"
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    files = [tmp_path / "a.txt", tmp_path / "b.html", tmp_path / "c.txt"]
    files[0].write_text(decomposed, encoding="utf-8")
    files[1].write_text(f"<p>{composed}</p>", encoding="utf-8")
    files[2].write_bytes(b"caf\xe9")  # not UTF-8: replaced, still counted
    result = floor(files)
    assert result.files == 3
    assert result.bytes == sum(p.stat().st_size for p in files)
    assert result.chars == len(composed) + len(composed) + 7 + len("caf\ufffd")
    assert result.seconds >= 0


# --- configuration and cache --------------------------------------------------------------


def test_etl_entry_reports_cpu_per_document_and_its_ceiling() -> None:
    from bench.etl import Floor, etl_entry

    build = {"wall_s": 4.0, "documents": 1000, "plans": 900, "errors": 0}
    build |= {"rss_self_mb": 300.0, "rss_children_mb": 100.0}
    fl = Floor(files=1000, bytes=3_000_000, chars=2_900_000, seconds=0.5)
    entry = etl_entry(build | {"cpu_main_s": 1.5, "cpu_workers_s": 6.5}, fl, cores=2)
    assert entry["cpu_ms_per_doc"] == 8.0  # (1.5 + 6.5) s over 1,000 files
    assert entry["cpu_bound_docs_per_s"] == 250.0  # 2 cores * 1000 ms / 8 ms
    assert entry["docs_per_s"] == 250.0 and entry["peak_rss_mb"] == 400.0
    # a build measured before CPU was recorded (a cached result): no CPU figures, no error
    old = etl_entry(build, fl, cores=2)
    assert old["cpu_ms_per_doc"] is None and old["cpu_bound_docs_per_s"] is None


def test_rebuild_entry_reports_the_warm_rebuild() -> None:
    from bench.etl import rebuild_entry

    rebuild = {"wall_s": 0.5, "cpu_main_s": 0.75, "cpu_workers_s": 0.25, "cache_reused": 990}
    rebuild |= {"rss_self_mb": 200.0, "rss_children_mb": 0.0}
    entry = rebuild_entry(rebuild, files=1000)
    assert entry == {
        "rebuild_wall_s": 0.5,
        "rebuild_docs_per_s": 2000.0,
        "rebuild_reused": 990,
        "rebuild_cpu_ms_per_doc": 1.0,
        "rebuild_peak_rss_mb": 200.0,
    }


def test_quick_configuration() -> None:
    quick = parse_args(["--quick"])
    assert quick.sizes == QUICK_SIZES == (1_000,)
    assert (quick.query_runs, quick.page_runs, quick.mode) == (3, 2, "quick")
    full = parse_args([])
    assert full.sizes == (1_000, 10_000, 100_000)
    assert full.query_runs >= 30 and full.page_runs >= 5
    assert parse_args(["--sizes", "100,10", "--no-pages"]).sizes == (10, 100)
    assert full.pandas_runs >= 5
    assert parse_args(["--pandas-runs", "3"]).pandas_runs == 3


def test_code_version_is_stable() -> None:
    assert code_version() == code_version()
    assert len(code_version()) == 12


# --- pages: what "drawn" means for each ---------------------------------------------------

APP_PY = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def sidebar_pages() -> list[str]:
    """The page names in dashboard/app.py's PAGES (the sidebar), read without running it."""
    tree = ast.parse(APP_PY.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            return [ast.literal_eval(item)[0] for item in node.value.elts]  # type: ignore[attr-defined]
    raise AssertionError("no PAGES in dashboard/app.py")


def test_every_sidebar_page_has_a_drawn_element() -> None:
    """A page without an entry is never seen as drawn: the page bench would wait on it."""
    pages = sidebar_pages()
    files = sorted(p.stem for p in (APP_PY.parent / "app_pages").glob("*.py"))
    assert sorted(pages) == files, "every page file is in the sidebar and nothing else"
    assert set(PAGE_ELEMENTS) == set(pages)
    assert all(PAGE_ELEMENTS[name].strip() for name in pages)


PAGE_HTML = """<html><body>
<div data-testid="stApp" data-test-script-state="{state}"></div>{body}</body></html>"""


@pytest.fixture(scope="module")
def playwright_thread() -> Any:
    """A thread of its own for Playwright's sync API (as bench_pages runs it)."""
    if not chromium_available():
        pytest.skip("no /usr/bin/chromium")
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1)
    yield pool
    pool.shutdown()


def _wait_on(pool: Any, html: str, selector: str, grace_ms: int) -> tuple[str, float]:
    """Run bench.pages._wait on a static page; (outcome, seconds)."""

    def run() -> tuple[str, float]:
        from playwright.sync_api import sync_playwright

        from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.set_content(html)
                started = time.perf_counter()
                old = bench_pages_module.DRAW_GRACE_MS
                bench_pages_module.DRAW_GRACE_MS = grace_ms
                try:
                    bench_pages_module._wait(page, "blank", selector, need_run=False)
                    outcome = "drawn"
                except PageError as err:
                    outcome = f"error: {err}"
                finally:
                    bench_pages_module.DRAW_GRACE_MS = old
                return outcome, time.perf_counter() - started
            finally:
                browser.close()

    return pool.submit(run).result(timeout=60)


def test_page_wait_reports_failures_quickly(playwright_thread: Any) -> None:
    """Drawn: returns; an exception box: an error at once; idle without the element: an error
    after the grace period, not after WAIT_MS."""
    chart = (
        '<div data-testid="stPlotlyChart"><svg class="main-svg" width="50" height="50"></svg></div>'
    )
    drawn = PAGE_HTML.format(state="notRunning", body=chart)
    assert _wait_on(playwright_thread, drawn, PAGE_ELEMENTS["overview"], 500)[0] == "drawn"

    boom = PAGE_HTML.format(
        state="notRunning", body='<div data-testid="stException">KeyError: x</div>'
    )
    outcome, took = _wait_on(playwright_thread, boom, PAGE_ELEMENTS["overview"], 5_000)
    assert outcome.startswith("error: exception: KeyError") and took < 4

    blank = PAGE_HTML.format(state="notRunning", body="<p>no chart</p>")
    outcome, took = _wait_on(playwright_thread, blank, PAGE_ELEMENTS["overview"], 500)
    assert outcome.startswith("error: idle for") and took < 10


# --- a tiny run ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("bench")
    argv = [
        "--sizes",
        str(N),
        "--query-runs",
        "2",
        "--page-runs",
        "1",  # one first load and one round of clicks: keeps this test well under 30 s
        "--queries",
        ",".join(QUERIES),
        "--page-names",
        ",".join(PAGES),
        "--cache",
        str(tmp / "cache"),
        "--out",
        str(tmp / "results"),
    ]
    if not chromium_available():
        argv.append("--no-pages")
    assert main(argv) == 0
    result = json.loads((tmp / "results" / "latest.json").read_text(encoding="utf-8"))
    result["_tmp"] = str(tmp)
    return result


def test_json_has_every_required_key(tiny_run: dict[str, Any]) -> None:
    result = tiny_run
    assert isinstance(result["cores"], int) and result["cores"] >= 1
    etl = result["etl"][str(N)]
    for key in ("docs_per_s", "mb_per_s", "floor_ratio", "peak_rss_mb", "wall_s", "floor_s"):
        assert isinstance(etl[key], (int, float)) and etl[key] > 0, key
    assert etl["files"] == etl["documents"] == N
    assert etl["floor_processes"] == 1
    # CPU of the build process and of its workers, and the ceiling it puts on throughput
    assert etl["cpu_main_s"] > 0 and etl["cpu_workers_s"] >= 0
    cpu_ms = (etl["cpu_main_s"] + etl["cpu_workers_s"]) * 1000 / N
    assert etl["cpu_ms_per_doc"] == pytest.approx(cpu_ms, rel=0.02)
    expected_bound = result["cores"] * 1000 / etl["cpu_ms_per_doc"]
    assert etl["cpu_bound_docs_per_s"] == pytest.approx(expected_bound, rel=0.01)
    # the warm rebuild took every file from the extraction cache the first build filled
    assert etl["rebuild_reused"] == N
    assert etl["rebuild_wall_s"] > 0 and etl["rebuild_docs_per_s"] > 0
    assert etl["rebuild_cpu_ms_per_doc"] > 0 and etl["rebuild_peak_rss_mb"] > 0

    assert set(result["queries"]) == set(QUERIES)
    assert set(result["filters"]) == {"none", "province", "years", "theme"}
    for name, q in result["queries"].items():
        for key in ("p50_ms", "p95_ms", "pandas_p95_ms"):
            assert key in q, (name, key)
        assert q["p50_ms"] is not None and 0 < q["p50_ms"] <= q["p95_ms"], (name, q["note"])
        runs = {row["runs"] for row in q["by_filter"].values()}
        assert runs == {2}, name
        if name in EQUIVALENTS:
            assert q["pandas_p95_ms"] > 0, name
            assert q["pandas_rows_match"], (name, q["by_filter"])
        else:
            assert q["pandas_p95_ms"] is None, name
    assert set(result["queries"]["overview_counts"]["by_filter"]) == set(result["filters"])
    assert set(result["queries"]["build_info"]["by_filter"]) == {"none"}  # ignores filters


def test_pages_measured_or_skipped_with_a_reason(tiny_run: dict[str, Any]) -> None:
    result = tiny_run
    assert "streamlit_rss_mb" in result and "pages" in result
    if not chromium_available():
        assert result["pages"] == {} and result["pages_skipped"]
        return
    assert result["pages_skipped"] is None
    assert set(result["pages"]) == set(PAGES)
    for name, page in result["pages"].items():
        assert page["idle_s"] > 0 and len(page["samples_s"]) == 1, name
        assert page["first_s"] == page["idle_s"] and "error" not in page, name
    assert result["first_load"]["idle_s"] > 0
    assert result["streamlit_rss_mb"] > 0


def test_results_are_cached_and_written(tiny_run: dict[str, Any]) -> None:
    tmp = Path(tiny_run["_tmp"])
    corpus = tmp / "cache" / str(N)
    assert corpus_complete(corpus, N, 2026)
    assert not ensure_corpus(N, 2026, tmp / "cache").generated  # reused, not generated again
    assert list((tmp / "cache" / "warehouses").glob(f"{N}-*.duckdb"))
    assert list((tmp / "cache" / "warehouses").glob(f"{N}-*.etl.json"))
    table = (tmp / "results" / "latest.txt").read_text(encoding="utf-8")
    assert "etl" in table and "overview_counts" in table
    assert f"N={N:,} warm rebuild" in table and f"{N:,} files from the extraction cache" in table
    # the rebuild's database and the extraction cache are not left behind
    assert not list((tmp / "cache" / "warehouses").glob("*.rebuild.duckdb"))
    assert not (tmp / "cache" / "extract-cache").exists() or not any(
        (tmp / "cache" / "extract-cache").rglob("*.sqlite")
    )
    assert list((tmp / "results").glob("bench-custom-*.json"))
