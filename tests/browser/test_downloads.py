"""The Downloads page in a real browser: the page only counts rows; a file is built when its
button is clicked (Streamlit's deferred download data), and what arrives is the whole table.

Skipped when /usr/bin/chromium is absent, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import csv
import io
import zipfile

import duckdb
import pytest

from tests.browser.conftest import Warehouse, WatchedPage, require_chromium
from tests.browser.test_pages import assert_clean, wait_idle

require_chromium()

pytestmark = pytest.mark.browser

BUTTON = '[data-testid="stDownloadButton"]'


def _count(warehouse: Warehouse, sql: str) -> int:
    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def test_clicked_buttons_download_whole_tables(
    server: str, warehouse: Warehouse, watched_page: WatchedPage
) -> None:
    page = watched_page.page
    page.goto(f"{server}/downloads?lang=en")
    wait_idle(watched_page, BUTTON)
    # the bundle: the first button
    with page.expect_download() as bundle_info:
        page.locator(BUTTON).first.locator("button").click()
    bundle = zipfile.ZipFile(io.BytesIO(bundle_info.value.path().read_bytes()))
    assert "tables/plans.csv" in bundle.namelist()
    # the plans as CSV: the first CSV button after the bundle
    csv_button = page.locator(BUTTON).filter(has_text="CSV").first
    with page.expect_download() as plans_info:
        csv_button.locator("button").click()
    assert plans_info.value.suggested_filename == "cchc_plans.csv"
    text = plans_info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == _count(warehouse, "SELECT count(*) FROM plans")
    assert "plan_no" not in rows[0] and "theme_mask" not in rows[0]
    assert_clean(watched_page)
