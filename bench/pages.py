"""Dashboard pages in headless Chromium: time to idle after a click, first load, server RSS.

Reuses the browser tests' set-up (tests/browser/conftest.py): Debian's Chromium with the same
flags and viewport, `streamlit run dashboard/app.py` on a free local port with the same
options, waiting for /_stcore/health.

- Page time: the app is open on another page; from the click on the page's link in the
  sidebar until the page is idle: the script run the click started has ended
  (`[data-testid="stApp"][data-test-script-state="notRunning"]`, seen after a
  "running" state was observed), nothing is stale (`[data-stale="true"]`), the URL is the
  page's, and the page's main element is drawn: `PAGE_ELEMENTS`, the element the browser tests
  wait for (tests/browser/conftest.py: a Plotly chart's SVG; the Documents page's result table;
  the Downloads page's download button; the Upload page's file picker). Each round visits every
  page once (in the sidebar's order, so each click leaves another page); the first round meets
  Streamlit's result cache cold, later rounds warm. `idle_s` is the median of the rounds,
  `first_s` the first round.
- A page that fails is reported (`error`) and not visited again, instead of holding the run:
  a page with no entry in `PAGE_ELEMENTS` (never clicked), an exception box once its run has
  ended, a run that ended without drawing the element within `DRAW_GRACE_MS`, or no idle page
  within `WAIT_MS`. The browser then reopens the Overview before the next click.
- First load: a new browser (fresh profile), from `goto(/)` until the Overview is idle with
  its chart drawn; median of the runs.
- Server memory: the Streamlit process's RSS (psutil if installed, else /proc/<pid>/status
  VmRSS; VmHWM is its peak) after every page was visited.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.corpus import ROOT
from bench.stats import median
from tests.browser.conftest import (
    APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    HEALTH_TIMEOUT_S,
    PAGE_ELEMENTS,
    VIEWPORT,
    _free_port,
    _healthy,
    _stop,
)

DEFAULT_PAGE = "overview"
WAIT_MS = 120_000  # a page not idle and drawn by then is reported as an error
DRAW_GRACE_MS = 10_000  # idle (run ended, nothing stale) but the element still missing: error

# Records whether a script run started after it was installed (attributeOldValue catches a
# running -> notRunning flip even when the callback runs after both).
WATCH_RUNS = """() => {
    window.__benchRan = false;
    window.__benchIdleSince = null;
    if (window.__benchObserver) window.__benchObserver.disconnect();
    window.__benchObserver = new MutationObserver((records) => {
        for (const r of records) {
            if (r.oldValue === 'running' ||
                r.target.getAttribute('data-test-script-state') === 'running') {
                window.__benchRan = true;
            }
        }
    });
    window.__benchObserver.observe(document.body, {
        subtree: true, attributes: true, attributeOldValue: true,
        attributeFilter: ['data-test-script-state'],
    });
}"""
# idle on `path` with `selector` drawn (true); after a click, only once a run was seen. A failed
# page gives {error: why}: an exception box, or idle for `graceMs` without the element.
DONE = """([path, selector, needRun, graceMs]) => {
    if (needRun && !window.__benchRan) return false;
    if (location.pathname !== path) return false;
    if (document.querySelector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]') === null ||
        document.querySelector('[data-stale="true"]') !== null) {
        window.__benchIdleSince = null;
        return false;
    }
    const exception = document.querySelector('[data-testid="stException"]');
    if (exception !== null) {
        return {error: 'exception: ' + exception.innerText.replace(/\\s+/g, ' ').slice(0, 200)};
    }
    const el = document.querySelector(selector);
    if (el !== null) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) return true;
    }
    const now = performance.now();
    if (window.__benchIdleSince == null) window.__benchIdleSince = now;
    if (now - window.__benchIdleSince > graceMs) {
        return {error: `idle for ${Math.round(graceMs / 1000)} s without ${selector}`};
    }
    return false;
}"""


# what the page looked like when it was given up on (for the error message)
STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return `path ${location.pathname}, script ${app ? app.getAttribute(
        'data-test-script-state') : 'no app'}, run seen ${!!window.__benchRan}, ${
        document.querySelectorAll('[data-stale="true"]').length} stale elements`;
}"""


class PageError(RuntimeError):
    """A page that errored or never showed its drawn element."""


def chromium_available() -> bool:
    return CHROMIUM.exists()


def url_path(name: str) -> str:
    return "/" if name == DEFAULT_PAGE else f"/{name}"


def process_rss_mb(pid: int) -> tuple[float | None, float | None]:
    """(current RSS, peak RSS) of a process in MiB; None when unknown."""
    try:
        import psutil  # type: ignore[import-not-found]

        info = psutil.Process(pid).memory_info()
        peak = getattr(info, "peak_wset", None)
        return info.rss / 2**20, (peak / 2**20 if peak else None)
    except ImportError:
        pass
    except Exception:
        return None, None
    values: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = float(rest.split()[0]) / 1024  # kB
    except OSError:
        return None, None
    return values.get("VmRSS"), values.get("VmHWM")


@contextmanager
def streamlit_server(db: Path, log_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run dashboard/app.py` on the warehouse `db`, as the browser tests start it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CCHC_ATLAS_DB": str(db), "PYTHONUNBUFFERED": "1"}
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [
        *([str(streamlit)] if streamlit.exists() else [sys.executable, "-m", "streamlit"]),
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT_S
            while not _healthy(f"{base}/_stcore/health"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "streamlit did not start:\n" + log_path.read_text(errors="replace")[-3000:]
                    )
                time.sleep(0.25)
            yield base, proc
        finally:
            _stop(proc)


def _wait(page: Any, path: str, selector: str, need_run: bool) -> None:
    """Until `path` is idle with `selector` drawn; PageError when it fails or takes WAIT_MS."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate("() => { window.__benchIdleSince = null; }")
    try:
        handle = page.wait_for_function(
            DONE, arg=[path, selector, need_run, DRAW_GRACE_MS], timeout=WAIT_MS
        )
    except PlaywrightTimeout:
        raise PageError(
            f"not idle with {selector} drawn after {WAIT_MS / 1000:.0f} s ({_state(page)})"
        ) from None
    outcome = handle.json_value()
    if isinstance(outcome, dict):
        raise PageError(str(outcome.get("error")))


def _load(page: Any, base: str) -> float:
    started = time.perf_counter()
    page.goto(base + "/", timeout=WAIT_MS)
    _wait(page, "/", PAGE_ELEMENTS[DEFAULT_PAGE], need_run=False)
    return time.perf_counter() - started


def _state(page: Any) -> str:
    try:
        return str(page.evaluate(STATE))
    except Exception as err:  # a closed or crashed page
        return f"state unknown: {type(err).__name__}"


def _describe(err: Exception) -> str:
    if isinstance(err, KeyError):
        return f"no link to {err} in the sidebar"
    return (str(err).splitlines() or [type(err).__name__])[0][:300]


def _recover(page: Any, base: str) -> None:
    """After a failed page: reopen the Overview and let it settle (best effort)."""
    try:
        page.goto(base + "/", timeout=WAIT_MS)
        _wait(page, "/", PAGE_ELEMENTS[DEFAULT_PAGE], need_run=False)
    except Exception:  # the next click reports what is still wrong
        pass


def _new_page(browser: Any) -> Any:
    return browser.new_context(viewport=VIEWPORT).new_page()


def first_load(pw: Any, base: str) -> float:
    """Seconds from goto(/) in a new browser until the Overview is idle and drawn."""
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        return _load(_new_page(browser), base)
    finally:
        browser.close()


def _sidebar_links(page: Any) -> dict[str, Any]:
    """Page name -> its link in the sidebar, in the sidebar's order."""
    links = page.locator('[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]')
    out: dict[str, Any] = {}
    for i in range(links.count()):
        path = urlsplit(links.nth(i).get_attribute("href") or "").path
        name = DEFAULT_PAGE if path in ("", "/") else path.strip("/")
        out[name] = links.nth(i)
    return out


def bench_pages(
    db: Path,
    runs: int,
    log_path: Path,
    only: tuple[str, ...] = (),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Time every page (or those in `only`) and the first load; the server's RSS after.

    Runs in a thread of its own: Playwright's sync API refuses to start inside a thread that
    already runs an asyncio loop (as under pytest when another Playwright session is open)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_bench_pages, db, runs, log_path, only, progress).result()


def _bench_pages(
    db: Path,
    runs: int,
    log_path: Path,
    only: tuple[str, ...] = (),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {"pages": {}, "first_load": {}}
    with streamlit_server(db, log_path) as (base, proc), sync_playwright() as pw:
        # the first loads, each in a new browser; the last one's browser then does the clicks
        loads = [first_load(pw, base) for _ in range(runs - 1)]
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _new_page(browser)
            loads.append(_load(page, base))
            result["first_load"] = {
                "idle_s": round(median(loads), 3),
                "samples_s": [round(s, 3) for s in loads],
            }
            if progress:
                progress(f"first load {result['first_load']['idle_s']} s")
            links = _sidebar_links(page)
            names = [n for n in links if not only or n in only]
            # visit in sidebar order starting after the current page: each click leaves another
            order = [n for n in names if n != DEFAULT_PAGE]
            order += [n for n in names if n == DEFAULT_PAGE]
            if len(order) == 1:  # never click the page on screen: go there and back
                others = [n for n in links if n != DEFAULT_PAGE]
                order = [order[0] if order[0] != DEFAULT_PAGE else others[0], DEFAULT_PAGE]
            samples: dict[str, list[float]] = {name: [] for name in order}
            errors: dict[str, str] = {
                name: "no drawn element in PAGE_ELEMENTS (tests/browser/conftest.py)"
                for name in order
                if name not in PAGE_ELEMENTS
            }
            for round_no in range(1, runs + 1):
                for name in order:
                    if name in errors:  # failed once: reported, never waited for again
                        continue
                    try:
                        link = _sidebar_links(page)[name]
                        page.evaluate(WATCH_RUNS)
                        started = time.perf_counter()
                        link.click()
                        _wait(page, url_path(name), PAGE_ELEMENTS[name], need_run=True)
                        samples[name].append(time.perf_counter() - started)
                    except (PageError, PlaywrightError, KeyError) as err:
                        errors[name] = _describe(err)
                        _recover(page, base)
                    if progress:
                        got = samples[name]
                        took = f"{got[-1]:.2f} s" if name not in errors else errors[name]
                        progress(f"round {round_no}/{runs} page {name}: {took}")
            for name in order:
                if only and name not in only:
                    continue
                got = samples[name]
                result["pages"][name] = {
                    "idle_s": round(median(got), 3) if got else None,
                    "first_s": round(got[0], 3) if got else None,
                    "samples_s": [round(s, 3) for s in got],
                    "element": PAGE_ELEMENTS.get(name),
                    **({"error": errors[name]} if name in errors else {}),
                }
                if progress:
                    progress(f"page {name} {result['pages'][name]['idle_s']} s")
        finally:
            browser.close()
        rss, peak = process_rss_mb(proc.pid)
        result["streamlit_rss_mb"] = round(rss, 1) if rss is not None else None
        result["streamlit_peak_rss_mb"] = round(peak, 1) if peak is not None else None
    return result
