"""The wheel is the product: built from the source distribution, installed into a fresh
virtual environment outside the checkout, it initialises a database and serves the pages.

The venv sees the system's site-packages (``--system-site-packages``) so the heavy
dependencies (Streamlit, DuckDB, pandas) need not be installed again; the package itself
comes only from the wheel, which the test checks (``dortmund_kpi.__file__``), and the
server runs with no ``PYTHONPATH`` from a directory that is not the checkout.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import REPO_ROOT, new_context
from tests.e2e.helpers import assert_no_error, h1, open_page, static_chart
from tools import devserver

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NEVER = ("*.duckdb", "*.duckdb.*", ".*.lock", "*.wal", "*.tmp", "*.pyc")  # as setup.py


def build_wheel(out: Path) -> Path:
    """sdist first, then the wheel from the unpacked sdist (what an index would build)."""
    if importlib.util.find_spec("build"):
        command = [sys.executable, "-m", "build", "--outdir", str(out), str(REPO_ROOT)]
    else:  # no `build`: pip builds the wheel straight from the checkout
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), "."]
    subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True, timeout=600)
    return next(out.glob("dortmund_kpi-*.whl"))


def shipped_data(root: Path) -> set[str]:
    """The files under ``data/`` that the wheel must carry: all but databases and locks."""
    return {
        p.relative_to(root).as_posix()
        for p in (root / "data").rglob("*")
        if p.is_file()
        and not any(
            fnmatch.fnmatch(part, pat) for part in p.relative_to(root).parts for pat in NEVER
        )
        and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv holding only the wheel of this checkout."""
    base = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(base / "dist")
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(base / "venv")], check=True
    )
    # --ignore-installed: the checkout's editable install, visible through the system's
    # site-packages, must not count as "already satisfied"
    pip = [str(base / "venv/bin/python"), "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run(
        [*pip, "--ignore-installed", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
        env=clean_env(),
        cwd=base,
    )
    (base / "wheel.name").write_text(str(wheel))
    return base / "venv/bin"


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DORTMUND_KPI_")}
    env.pop("PYTHONPATH", None)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


def test_the_wheel_carries_the_app_and_all_data(installed: Path):
    wheel = Path((installed.parent.parent / "wheel.name").read_text())
    names = set(zipfile.ZipFile(wheel).namelist())
    site = "dortmund_kpi/_site/"
    data = {n.removeprefix(site) for n in names if n.startswith(site + "data/")}
    assert data == shipped_data(REPO_ROOT)  # every data file, by pattern, and nothing else
    for name in ("dashboard.py", ".streamlit/config.toml", "screens/overview.py"):
        assert site + name in names
    for package in ("db", "ingest", "ingest/sources", "views", "share", "ui", "ops"):
        assert f"dortmund_kpi/{package}/__init__.py" in names
    assert not any("secrets" in n for n in names)


def test_the_installed_wheel_serves_from_outside_the_checkout(
    installed: Path, tmp_path: Path, browser: Browser
):
    env = clean_env()
    python = str(installed / "python")
    where = subprocess.run(
        [python, "-c", "import dortmund_kpi; print(dortmund_kpi.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(installed.parent)), where  # the wheel, not the checkout
    cli = str(installed / "dortmund-kpi")
    db = tmp_path / "kpi.duckdb"
    subprocess.run([cli, "--db", str(db), "init"], cwd=tmp_path, env=env, check=True, timeout=300)
    port = devserver.free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [cli, "--db", str(db), "serve", "--port", str(port), "--address", "127.0.0.1"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while devserver.health(base) != "ok":
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "no health answer within 120 s"
            time.sleep(0.25)
        context = new_context(browser)
        page = context.new_page()
        try:
            open_page(page, base, "/")
            assert h1(page) == "Übersicht"
            open_page(page, base, "/indikator?indikator=glasfaser_haushalte")
            static_chart(page, "series")  # catalog, data and geometry from the wheel
            assert page.locator(".st-key-svg_map path.area").count() == 12
            assert_no_error(page)
        finally:
            context.close()
    finally:
        devserver.stop(server)
        log.close()
