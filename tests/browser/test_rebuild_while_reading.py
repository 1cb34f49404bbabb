"""A rebuild while a person browses: the dashboard keeps serving, no error reaches the page,
and the rebuilt warehouse is read afterwards."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from etl.load.rebuild import rebuild
from tests.browser.conftest import Warehouse, WatchedPage
from tests.browser.test_pages import PAGES, assert_clean, url_path, wait_idle

pytestmark = pytest.mark.browser

BROWSED = ("overview", "channels", "themes", "documents")


def test_pages_keep_working_during_a_rebuild(
    server: str, warehouse: Warehouse, watched_page: WatchedPage
) -> None:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["summary"] = rebuild(warehouse.docs, warehouse.db, workers=1)
        except Exception as err:  # reported by the assertion below
            outcome["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    visits = 0
    started = time.monotonic()
    while thread.is_alive() or visits < len(BROWSED):
        name = BROWSED[visits % len(BROWSED)]
        watched_page.page.goto(server + url_path(name))
        wait_idle(watched_page, PAGES[name])
        assert_clean(watched_page)
        visits += 1
        assert time.monotonic() - started < 300, "the rebuild did not finish"
    thread.join()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["summary"].written
    # the page served after the switch reads the new file without error
    watched_page.page.goto(server + url_path("overview"))
    wait_idle(watched_page, PAGES["overview"])
    assert_clean(watched_page)
