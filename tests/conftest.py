"""Settings for the whole test session.

The extraction cache (etl/load/cache.py) is on by default for `cchc-atlas build` and for the
dashboard's rebuilds, in `data/interim/extract-cache`. Tests must not fill the project's
folder with their documents, nor reuse what an earlier run left there: the session points
`$CCHC_ATLAS_EXTRACT_CACHE` (inherited by the commands and servers the tests start) at a
temporary folder, removed at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from etl.load.cache import CACHE_ENV

_SAVED = "_cchc_saved_cache_env"
_FOLDER = "_cchc_test_cache_folder"


def pytest_configure(config: pytest.Config) -> None:
    folder = tempfile.mkdtemp(prefix="cchc-extract-cache-")
    setattr(config, _SAVED, os.environ.get(CACHE_ENV))
    setattr(config, _FOLDER, folder)
    os.environ[CACHE_ENV] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = getattr(config, _FOLDER, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    saved = getattr(config, _SAVED, None)
    if saved is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = saved
