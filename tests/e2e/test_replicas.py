"""nginx in front of two replicas (``dortmund-kpi serve --replicas 2``), seen by browsers.

One story, in order: two browsers load pages through the proxy and land on different
replicas; each stays on its own (every request of its session reached that replica,
and a download, which only that replica's memory holds, works through the proxy); an
import while both read reaches both; the replica of one browser is killed, and that
browser reconnects through nginx to the other replica, runs its page there anew and keeps
its view (the URL holds it), while the other browser's session goes on undisturbed. A
browser that comes back only once the supervisor has restarted its replica reconnects to
that one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from tests.conftest import build_fixture_db
from tests.e2e.conftest import REPO_ROOT, cli_command, new_context, server_env
from tests.e2e.helpers import (
    assert_no_error,
    h1,
    open_page,
    rerun,
    select_district,
    selected_districts,
    static_chart,
    static_tips,
    wait_for_app_idle,
)
from tools import devserver
from tools.oidc_provider import RunningProvider, User

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CITY_TRACE = "Dortmund (gesamt)"
EDITOR_EMAIL = "eva@dortmund.de"
UPLOADED = "indikator;bezirk;zeitraum;wert;anmerkung;quelle;datenart\n" + (
    "online_termine;Dortmund;2025;271828;;Upload durch den Proxy;amtlich\n"
)
ROUTE_COOKIE = "dkpi_replica"  # as dortmund_kpi.ops.replicas
INDICATOR = "anteil_online_antraege"
VIEW = f"/indikator?indikator={INDICATOR}&bezirk=hoerde"
NEW_VALUE_FILE = "indikator;bezirk;zeitraum;wert;anmerkung;quelle\n" + (
    f"{INDICATOR};Dortmund;2025-Q4;77,7;;Test der Replikate\n"  # was 34,91
)


@dataclass
class Proxy:
    port: int
    process: subprocess.Popen
    log: Path
    db: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run_dir(self) -> Path:
        found = re.search(r"Konfiguration (\S+)/nginx\.conf", self.log.read_text(errors="replace"))
        assert found, self.log.read_text(errors="replace")
        return Path(found.group(1))


def _ports_free(first: int, count: int) -> bool:
    for port in range(first, first + count):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _healthy(port: int) -> bool:
    return devserver.health(f"http://127.0.0.1:{port}") == "ok"


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = RunningProvider(User(EDITOR_EMAIL, "Eva Editor"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory, provider: RunningProvider) -> Iterator[Proxy]:
    base = tmp_path_factory.mktemp("replicas")
    db = base / "kpi.duckdb"
    build_fixture_db(db)
    port = next(p for p in iter(devserver.free_port, None) if p < 65000 and _ports_free(p, 3))
    # Editor sign-in through the proxy: every replica reads the same secrets (one cookie
    # secret), and the provider returns to the proxy's address.
    home = base / "home"
    (home / ".streamlit").mkdir(parents=True)
    secrets = provider.secrets_toml(f"http://127.0.0.1:{port}", [EDITOR_EMAIL])
    (home / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
    log = base / "serve.log"
    command = [*cli_command(), "--db", str(db), "serve", "--replicas", "2"]
    command += ["--port", str(port), "--address", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=server_env() | {"HOME": str(home)},
            cwd=REPO_ROOT,
            start_new_session=True,
        )
    server = Proxy(port, process, log, db)
    deadline = time.monotonic() + 180
    while devserver.health(server.base_url) != "ok" or "Konfiguration" not in log.read_text():
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, "no health answer through nginx within 180 s"
        time.sleep(0.25)
    run_dir = server.run_dir()
    yield server
    process.send_signal(signal.SIGTERM)  # the supervisor alone: it must stop its children
    assert process.wait(timeout=30) == 0, log.read_text(errors="replace")[-3000:]
    assert not run_dir.exists(), "the run folder is removed on exit"
    assert not [p for p in (port, port + 1, port + 2) if _listening(p)], "a child lives on"
    devserver.stop(process)


def replica_of(context: BrowserContext) -> int:
    cookie = next(c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE)
    return int(cookie.removeprefix("r"))


def upstreams_of(proxy: Proxy, route: int) -> set[str]:
    """The replicas that served the requests a browser sent with the route cookie ``route``."""
    lines = (proxy.run_dir() / "access.log").read_text().splitlines()
    return {
        m.group(1)
        for line in lines
        if f"route=r{route}" in line and (m := re.search(r"upstream=(\S+)", line))
    }


def replica_pid(port: int) -> int:
    pid = devserver.pid_listening_as(port)
    assert pid, f"no replica on port {port}"
    return pid


def latest_value_shown(page: Page) -> bool:
    """The imported city value is drawn (the chart's points, as the browser shows them)."""
    city = [t for t in static_tips(page, "series") if t.startswith(f"{CITY_TRACE}\n")]
    return any(": 77,7 " in t for t in city)


def finished_runs(page: Page) -> int:
    """The script runs the page's websockets reported finished (``watch_script_runs``)."""
    return page._e2e_finished  # type: ignore[attr-defined]


def wait_until(page: Page, condition: Callable[[], bool], failure: str) -> None:
    """Wait up to 60 s for ``condition``, letting Playwright deliver the page's events."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, failure
        page.wait_for_timeout(100)


@contextlib.contextmanager
def supervisor_held(proxy: Proxy) -> Iterator[None]:
    """The supervisor stopped (SIGSTOP): it restarts no replica until the block ends."""
    os.kill(proxy.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(proxy.process.pid, signal.SIGCONT)


def download_csv(page: Page) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV herunterladen (Excel)").click()
    assert info.value.failure() is None, info.value.failure()
    return info.value.path().read_bytes()


def test_an_editor_signs_in_and_uploads_through_the_proxy(
    proxy: Proxy, provider: RunningProvider, browser: Browser, tmp_path: Path
):
    """Sign-in (a redirect to the provider and back through nginx), the upload and the
    import all reach the replica of the editor's session."""
    context = new_context(browser)
    try:
        page = context.new_page()
        open_page(page, proxy.base_url, "/daten")
        page.get_by_role("button", name="Als Redaktion anmelden").click()
        page.get_by_text("Angemeldet als Eva Editor.").wait_for(timeout=60_000)
        page.wait_for_url("**/daten**")
        wait_for_app_idle(page)
        assert provider.provider.sign_ins == 1
        upload = tmp_path / "werte.csv"
        upload.write_text(UPLOADED, encoding="utf-8")
        with rerun(page):
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
        with rerun(page):
            page.get_by_role("button", name="Importieren", exact=True).click()
        page.get_by_text("Import abgeschlossen").wait_for()
        assert_no_error(page)
        route = replica_of(context)
        assert upstreams_of(proxy, route) == {f"127.0.0.1:{route}"}
        uploads = [
            line
            for line in (proxy.run_dir() / "access.log").read_text().splitlines()
            if "/_stcore/upload_file" in line
        ]
        assert uploads and all(f"upstream=127.0.0.1:{route}" in line for line in uploads)
    finally:
        context.close()
    with duckdb.connect(str(proxy.db), read_only=True) as con:
        value = con.execute(
            "SELECT value, is_official FROM current_observations "
            "WHERE indicator_id = 'online_termine' AND area = 'dortmund' AND period = '2025'"
        ).fetchone()
    assert value == (271828.0, True)


def test_two_replicas_behind_nginx(proxy: Proxy, browser: Browser):
    first, second = new_context(browser), new_context(browser)
    try:
        a, b = first.new_page(), second.new_page()
        open_page(a, proxy.base_url, VIEW)
        open_page(b, proxy.base_url, VIEW)
        for page in (a, b):
            static_chart(page, "series")
            assert_no_error(page)
        # least_conn: the second browser goes where the first one's websocket is not
        replica_a, replica_b = replica_of(first), replica_of(second)
        assert {replica_a, replica_b} == {proxy.port + 1, proxy.port + 2}

        # A session stays on its replica: the download lives in that replica's memory.
        assert download_csv(a).decode("utf-8-sig").startswith("Gebiet;Zeitraum;Wert")
        assert download_csv(b).decode("utf-8-sig").startswith("Gebiet;Zeitraum;Wert")
        for replica in (replica_a, replica_b):
            assert upstreams_of(proxy, replica) == {f"127.0.0.1:{replica}"}

        # An import reaches both replicas (one publish, the store's symlink swap).
        assert not latest_value_shown(a) and not latest_value_shown(b)
        values = proxy.db.parent / "neu.csv"
        values.write_text(NEW_VALUE_FILE, encoding="utf-8")
        imported = subprocess.run(
            [*cli_command(), "--db", str(proxy.db), "import", str(values)],
            env=server_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert imported.returncode == 0, imported.stderr
        for page in (a, b):
            with rerun(page):
                select_district(page, "Eving")  # a filter change: a script run on its replica
            assert latest_value_shown(page), page.url
        assert replica_of(first) == replica_a and replica_of(second) == replica_b
        view_of_a = a.url
        assert "bezirk=eving" in view_of_a

        # The page loaded anew: after a whole run (not a section's), Streamlit by itself
        # would not run it again after a reconnect.
        open_page(a, "", view_of_a)
        assert replica_of(first) == replica_a
        # Kill the first browser's replica while the supervisor is held, so that it cannot
        # start it again first: the browser reconnects through nginx to the other one, where
        # the page runs again by itself (a download works at once, before any click) and
        # keeps its view (the URL holds it); the second browser's session goes on.
        runs = finished_runs(a)
        with supervisor_held(proxy):
            os.kill(replica_pid(replica_a), signal.SIGKILL)
            wait_until(a, lambda: finished_runs(a) > runs, "the page did not run again")
        assert a.evaluate("window.__dkpiReconnected") == 1  # RECONNECT_JS ran it
        assert replica_of(first) == replica_b  # the reconnect went through nginx
        wait_for_app_idle(a)
        assert download_csv(a).decode("utf-8-sig").startswith("Gebiet;Zeitraum;Wert")
        static_chart(a, "series")
        assert a.url == view_of_a
        assert h1(a) and selected_districts(a) == ["Hörde", "Eving"]
        assert latest_value_shown(a)
        assert_no_error(a)
        wait_until(a, lambda: _healthy(replica_a), "the supervisor did not restart the replica")
        with rerun(a):
            select_district(a, "Mengede")  # the new session answers
        assert replica_of(first) == replica_b  # stays with its new session, though A is back

        with rerun(b):
            select_district(b, "Mengede")
        assert replica_of(second) == replica_b
        assert_no_error(b)
    finally:
        first.close()
        second.close()


def test_a_browser_comes_back_to_its_restarted_replica(proxy: Proxy, browser: Browser):
    """The supervisor starts a killed replica again within about 2 s. A browser that comes
    back after that (here: its first requests held until then) reconnects to its own
    replica, restarted: a new session there, which runs the page again by itself."""
    context = new_context(browser)
    try:
        page = context.new_page()
        open_page(page, proxy.base_url, VIEW)
        static_chart(page, "series")
        replica = replica_of(context)
        killed = replica_pid(replica)

        def when_restarted(route: Route) -> None:  # refused until then: Streamlit asks again
            if devserver.pid_listening_as(replica) not in (None, killed) and _healthy(replica):
                route.continue_()
            else:
                route.abort()

        page.route(re.compile(r"/_stcore/(health|host-config)$"), when_restarted)
        log = proxy.run_dir() / "access.log"
        seen = len(log.read_text().splitlines())
        runs = finished_runs(page)
        os.kill(killed, signal.SIGKILL)
        wait_until(page, lambda: finished_runs(page) > runs, "the page did not run again")
        wait_for_app_idle(page)
        assert page.evaluate("window.__dkpiReconnected") == 1
        assert replica_of(context) == replica
        since = [line for line in log.read_text().splitlines()[seen:] if "/_stcore/" in line]
        assert since and all(f"upstream=127.0.0.1:{replica} " in line for line in since), since
        assert download_csv(page).decode("utf-8-sig").startswith("Gebiet;Zeitraum;Wert")
        assert selected_districts(page) == ["Hörde"]
        assert latest_value_shown(page)
        assert_no_error(page)
    finally:
        context.close()


def test_the_load_benchmark_speaks_streamlits_protocol(proxy: Proxy):
    """``python -m benchmarks load`` drives the real server: every simulated visit runs
    the page and its filter changes to the end, through nginx, without a failure."""
    from benchmarks import load

    # in a thread of its own: Playwright's sync API keeps an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, load.level(proxy.base_url, 2, seed=7)).result()
    assert result.errors == []
    assert result.failures == 0
    assert result.interactions == 2 * (load.CHANGES + 1)
