"""One table of every measurement, and the JSON files under bench-results/."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

COLUMNS = ("section", "name", "p50 / time", "p95 / first", "rate", "compared with", "memory")


def _num(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


def _ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:,.1f} ms"


def etl_rows(etl: dict[str, Any]) -> list[tuple[str, ...]]:
    rows = []
    for n, e in etl.items():
        growth = e.get("growth")
        grown = f"; x{growth['n_factor']:g} N: x{growth['time_factor']:.1f} time" if growth else ""
        cached = " (cached)" if e.get("cached") else ""
        rows.append(
            (
                "etl",
                f"N={int(n):,}{cached}",
                _num(e["wall_s"], " s"),
                "",
                f"{_num(e['docs_per_s'], ' doc/s')}, {_num(e['mb_per_s'], ' MB/s', 2)}",
                f"floor {_num(e['floor_s'], ' s', 2)} (1 proc): x{_num(e['floor_ratio'])}, "
                f"per core x{_num(e['floor_ratio_per_core'])}{grown}",
                f"peak {_num(e['peak_rss_mb'], ' MB', 0)}; CPU "
                f"{_num(e.get('cpu_ms_per_doc'), ' ms/doc', 2)} (at most "
                f"{_num(e.get('cpu_bound_docs_per_s'), ' doc/s')} on these cores)",
            )
        )
        if e.get("rebuild_wall_s") is not None:
            rows.append(
                (
                    "etl",
                    f"N={int(n):,} warm rebuild",
                    _num(e["rebuild_wall_s"], " s"),
                    "",
                    _num(e.get("rebuild_docs_per_s"), " doc/s"),
                    f"{_num(e.get('rebuild_reused'), digits=0)} files from the extraction cache",
                    f"peak {_num(e.get('rebuild_peak_rss_mb'), ' MB', 0)}; CPU "
                    f"{_num(e.get('rebuild_cpu_ms_per_doc'), ' ms/doc', 2)}",
                )
            )
    return rows


def query_rows(queries: dict[str, Any]) -> list[tuple[str, ...]]:
    rows = []
    for name, q in queries.items():
        if q.get("p50_ms") is None:
            rows.append(("query", name, "n/a", "n/a", "", q.get("note", ""), ""))
            continue
        if q.get("pandas_p95_ms") is not None:
            match = "" if q.get("pandas_rows_match", True) else ", rows differ"
            compared = (
                f"pandas p95 {_ms(q['pandas_p95_ms'])}: duckdb/pandas x{q['ratio_p95']:.2f}{match}"
            )
        else:
            compared = "pandas n/a"
        scope = f"{len(q['by_filter'])} filters" if q.get("filtered") else "no filters"
        rows.append(
            (
                "query",
                name,
                _ms(q["p50_ms"]),
                _ms(q["p95_ms"]),
                f"{q.get('rows', 0):,} rows; {scope}",
                compared,
                "",
            )
        )
    return rows


def page_rows(result: dict[str, Any]) -> list[tuple[str, ...]]:
    if result.get("pages_skipped"):
        return [("page", "(all)", "n/a", "n/a", "", f"skipped: {result['pages_skipped']}", "")]
    rows = []
    first = result.get("first_load") or {}
    if first:
        rows.append(
            (
                "page",
                "first load (new browser)",
                _num(first.get("idle_s"), " s", 2),
                "",
                f"{len(first.get('samples_s', []))} runs",
                "median",
                "",
            )
        )
    for name, p in (result.get("pages") or {}).items():
        rows.append(
            (
                "page",
                name,
                _num(p.get("idle_s"), " s", 2),
                _num(p.get("first_s"), " s", 2),
                f"{len(p.get('samples_s', []))} runs",
                "median of clicks; first = cold cache"
                + (f"; {p['error']}" if p.get("error") else ""),
                "",
            )
        )
    rows.append(
        (
            "page",
            "streamlit process",
            "",
            "",
            "",
            "after visiting every page",
            f"RSS {_num(result.get('streamlit_rss_mb'), ' MB', 0)}, "
            f"peak {_num(result.get('streamlit_peak_rss_mb'), ' MB', 0)}",
        )
    )
    return rows


def render_table(result: dict[str, Any]) -> str:
    rows = [
        *etl_rows(result.get("etl", {})),
        *query_rows(result.get("queries", {})),
        *page_rows(result),
    ]
    widths = [max(len(COLUMNS[i]), *(len(r[i]) for r in rows)) for i in range(len(COLUMNS))]

    def line(cells: tuple[str, ...]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    db = result.get("queries_db", {})
    title = (
        f"CCHC Atlas bench ({result.get('mode')}): {result.get('cores')} cores, "
        f"code {result.get('code_version')}; queries and pages on N={db.get('n', 0):,} "
        f"({result.get('query_runs')} runs, pandas {result.get('pandas_runs', '?')}, after a "
        f"warm-up, p50/p95 pooled over the filters "
        f"{', '.join(result.get('filters', {}).values())}; pages: median of "
        f"{result.get('page_runs')}); took {result.get('duration_s', 0):.0f} s"
    )
    return "\n".join([title, line(COLUMNS), rule, *(line(r) for r in rows)])


def write_results(result: dict[str, Any], out: Path, table: str) -> Path:
    """bench-results/latest.json (+ latest.txt) and a dated copy; the latest.json path."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = result["started_at"].replace(":", "").replace("-", "")[:15]
    text = json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"
    latest = out / "latest.json"
    for path in (out / f"bench-{result['mode']}-{stamp}.json", latest):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    (out / "latest.txt").write_text(table + "\n", encoding="utf-8")
    return latest
