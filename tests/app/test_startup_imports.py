"""The server imports what the pages' scripts import before it takes its first visitor
(``ui.app``): the first run of a new process had imported it all, about a second that the
first visitor after every start waited for. Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from dortmund_kpi.settings import ENV_DB, PROJECT_ROOT, Settings

# Starts the app as ``dortmund-kpi serve`` does (its lifespan included) and prints which
# modules of the page packages are still missing once it takes requests.
STARTED = """
import importlib, json, pkgutil, sys
from starlette.testclient import TestClient
from dortmund_kpi.ui import app as server
names = [f"{p}.{m.name}" for p in server.PAGE_PACKAGES
         for m in pkgutil.iter_modules(importlib.import_module(p).__path__)]
before = [n for n in names if n in sys.modules]
with TestClient(server.app) as client:
    assert client.get("/_stcore/health").status_code == 200
    print(json.dumps([before, [n for n in names if n not in sys.modules]]))
"""

# After those imports, runs every page and prints the product's modules a run imported.
PAGES = """
import json, sys
from streamlit.testing.v1 import AppTest
from dortmund_kpi.settings import PROJECT_ROOT
from dortmund_kpi.ui.app import import_page_modules
from dortmund_kpi.ui.widgets import PAGE_FILES
import_page_modules()
before = set(sys.modules)
at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
for file in PAGE_FILES.values():
    at.switch_page(file).run()
    assert not at.exception, (file, at.exception)
print(json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith("dortmund_kpi"))))
"""


def _run(script: str, settings: Settings) -> object:
    env = {**os.environ, ENV_DB: str(settings.db_path)}
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_server_imports_the_page_modules_before_it_takes_a_visitor(fixture_db: Settings):
    before, missing = _run(STARTED, fixture_db)
    assert "dortmund_kpi.views.indicator" not in before  # imported by the start, not earlier
    assert missing == []


def test_after_those_imports_no_page_run_imports_a_module_of_the_product(fixture_db: Settings):
    assert _run(PAGES, fixture_db) == []
