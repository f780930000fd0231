"""Browser end-to-end fixtures: one real server, one headless Chromium, a fresh context per test.

The server is the real product: a fixture database built through the importer
(``tests.conftest.build_fixture_db``), served by ``dortmund-kpi serve`` in its own
process group. The code under test is the checkout these tests live in
(``PYTHONPATH`` points at it), so a copy of the repository tests its own app.

Waiting uses Streamlit's own signals (the ``data-test-*`` attributes of the
``stApp`` element, as in Streamlit's ``e2e_playwright`` suite), never sleeps.
When a test fails, the tail of the server log, the browser console errors and
a screenshot path are attached to its report.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import build_fixture_db
from tests.e2e.helpers import IDLE_TIMEOUT_MS, watch_script_runs
from tools import devserver

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ENV = "DORTMUND_KPI_CHROMIUM"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_HINT = (
    "Install Debian's Chromium with `sudo apt-get install chromium` "
    f"(or point {CHROMIUM_ENV} at a Chromium/Chrome binary); `bash scripts/test.sh` does it."
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
LOCALE = "de-DE"
STARTUP_TIMEOUT_S = 120.0
LOG_TAIL_CHARS = 12_000
FAILURE_SHOTS = Path(tempfile.gettempdir()) / "dortmund_kpi_e2e_failures"


# -- the server -------------------------------------------------------------------
@dataclass
class AppServer:
    """A running ``dortmund-kpi serve`` process."""

    port: int
    log_path: Path
    process: subprocess.Popen
    db_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def log_tail(self, chars: int = LOG_TAIL_CHARS) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(server log {self.log_path} not readable: {exc})"
        return text if len(text) <= chars else "…" + text[-chars:]


def cli_command() -> list[str]:
    """The ``dortmund-kpi`` console script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "dortmund-kpi"
    found = str(beside) if beside.exists() else shutil.which("dortmund-kpi")
    if not found:
        pytest.fail(
            "The console command `dortmund-kpi` is missing: install the package with "
            "`python3 -m pip install -e .`",
            pytrace=False,
        )
    return [found]


def server_env() -> dict[str, str]:
    # Serve the checkout these tests belong to (matters for copies of the repository).
    env = devserver.server_env(REPO_ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# Stopping: the server's whole process group (tests that start their own use this name).
stop_server = devserver.stop


def start_server(
    db_path: Path,
    log_path: Path,
    timeout_s: float = STARTUP_TIMEOUT_S,
    env: dict[str, str] | None = None,
    prefix: str = "",
) -> AppServer:
    """Start ``dortmund-kpi serve`` on a free port and wait until it is healthy
    (``env``: variables to set for the server, e.g. a ``HOME`` with its own secrets;
    ``prefix``: the path it is served under, ``server.baseUrlPath``, e.g. ``/kpi``).

    A port taken by someone else between choosing and binding makes Streamlit exit
    ("Port N is not available"): then try another port, at most three times.
    """
    problems = []
    if prefix:
        env = (env or {}) | {"STREAMLIT_SERVER_BASE_URL_PATH": prefix.strip("/")}
    for _attempt in range(3):
        port = devserver.free_port()
        command = [
            *cli_command(),
            "serve",
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
            "--db",
            str(db_path),
        ]
        with log_path.open("ab") as log:
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=server_env() | (env or {}),
                cwd=REPO_ROOT,
                start_new_session=True,  # own process group: stop_server kills all of it
            )
        server = AppServer(port, log_path, process, db_path)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if devserver.health(server.base_url + prefix) == "ok" and process.poll() is None:
                return server
            time.sleep(0.25)
        else:
            stop_server(process)
            raise RuntimeError(
                f"dortmund-kpi serve did not report healthy within {timeout_s:.0f} s "
                f"(GET /_stcore/health on port {port}).\n--- server log ---\n{server.log_tail()}"
            )
        tail = server.log_tail()
        problems.append(f"port {port}: exited with code {process.returncode}")
        if "is not available" not in tail:
            break
    raise RuntimeError(
        "dortmund-kpi serve exited before it was healthy ("
        + "; ".join(problems)
        + f").\n--- server log ---\n{log_path.read_text(errors='replace')[-LOG_TAIL_CHARS:]}"
    )


_SERVER: AppServer | None = None


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database, built through the real importer."""
    path = tmp_path_factory.mktemp("e2e_db") / "kpi.duckdb"
    build_fixture_db(path)
    return path


@pytest.fixture(scope="session")
def app_server(e2e_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    global _SERVER
    log_path = tmp_path_factory.mktemp("e2e_server") / "server.log"
    try:
        server = start_server(e2e_db, log_path)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    _SERVER = server
    try:
        yield server
    finally:
        _SERVER = None
        stop_server(server.process)


# -- the browser --------------------------------------------------------------------
def chromium_path() -> str:
    return os.environ.get(CHROMIUM_ENV, CHROMIUM_DEFAULT)


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Debian Chromium; a missing browser is a failure with the install hint."""
    path = chromium_path()
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"Chromium not found at {path}. {CHROMIUM_HINT}", pytrace=False)
    try:
        return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    except PlaywrightError as exc:
        pytest.fail(f"Chromium at {path} did not start: {exc}\n{CHROMIUM_HINT}", pytrace=False)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    chromium = launch_chromium(playwright_instance)
    try:
        yield chromium
    finally:
        chromium.close()


def new_context(browser: Browser, size: tuple[int, int] | None = None) -> BrowserContext:
    """A German browser context (``size``: width, height; default the desktop viewport)."""
    viewport = VIEWPORT if size is None else {"width": size[0], "height": size[1]}
    context = browser.new_context(viewport=viewport, locale=LOCALE, accept_downloads=True)
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    context.on("page", watch_script_runs)  # before the page opens its websocket
    return context


@dataclass
class BrowserLog:
    """What the browser reported during a test (attached to failure reports)."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        # On the context: also requests of workers and of pages the test opens later.
        page.context.on("request", lambda request: self.requests.append(request.url))


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(context: BrowserContext, browser_log: BrowserLog, request: pytest.FixtureRequest) -> Page:
    page = context.new_page()
    browser_log.watch(page)
    request.node._e2e_page = page
    request.node._e2e_log = browser_log
    return page


# -- failure reports -----------------------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    page: Page | None = getattr(item, "_e2e_page", None)
    log: BrowserLog | None = getattr(item, "_e2e_log", None)
    if report.when == "call" and page is not None and not page.is_closed():
        with contextlib.suppress(PlaywrightError):
            shot = FAILURE_SHOTS / (re.sub(r"[^\w.-]+", "_", item.name) + ".png")
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), full_page=True)
            report.sections.append(("e2e page", f"url: {page.url}\nscreenshot: {shot}"))
    if log is not None and log.console_errors:
        report.sections.append(("e2e browser console errors", "\n".join(log.console_errors)))
    if _SERVER is not None:
        report.sections.append(
            (f"e2e server log ({_SERVER.log_path})", _SERVER.log_tail() or "(empty)")
        )
