"""Imports while people read: the real dashboard server, busy readers and 20 imports.

The server (``dortmund-kpi serve``) runs on the test database and is polled on
``/_stcore/health`` throughout. ``READERS`` threads read the published version
exactly as the app does (``Store.connect_read()`` on the resolved version file,
one cursor per query, the named queries of ``dortmund_kpi.db.read``); one more
thread runs the app itself (``dashboard.py`` via AppTest) across all pages, one
takes backups. Meanwhile ``IMPORTS`` imports (the real command, two at a time, so
the writer lock is exercised too) each set two indicators to the same marker
value. Every read must see both values equal (one complete version), versions
must never go backwards, nobody may hit a lock error, and the last import's value
must appear in a fresh read at once and in the running app without a restart.
"""

from __future__ import annotations

import itertools
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.ops.backup import backup
from dortmund_kpi.settings import ENV_DB, Settings
from tests.conftest import build_fixture_db, make_settings
from tests.reliability.helpers import clean_env, console, report_line
from tools.devserver import free_port

pytestmark = pytest.mark.slow

READERS = 8
IMPORTS = 20
IMPORTERS = 2  # imports running at the same time (they queue on the writer lock)
MARKED = ("digitalisierungsbudget", "open_data_datensaetze")
YEAR = 2023
SERVER_START_SECONDS = 120
MAX_READ_SECONDS = 300  # the readers stop by themselves after this, whatever happens
READ_PAUSE = 0.3  # between two reads: steady load (8 users), without starving the importers
OTHER_QUERIES = (
    lambda cur: read.series_stats(cur, 2018, YEAR),
    read.counts,
    read.freshness,
    lambda cur: read.district_values(cur, "glasfaser_haushalte", "2023"),
    read.data_range,
)


def _marker_file(folder: Path, value: int) -> Path:
    path = folder / f"marker_{value:02d}.csv"
    lines = ["indikator;bezirk;zeitraum;wert"]
    lines += [f"{indicator};Dortmund;{YEAR};{value}" for indicator in MARKED]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Tally:
    """What one reader saw."""

    reads: int = 0
    retries: int = 0  # version pruned between resolving and opening: read the newer one
    errors: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)
    backwards: list[str] = field(default_factory=list)
    versions: dict[str, float] = field(default_factory=dict)  # version file -> marker value


def _marked_values(cur: duckdb.DuckDBPyConnection) -> dict[str, float]:
    frame = read.series(cur, list(MARKED), ["dortmund"], YEAR, YEAR)
    frame = frame[frame["period"] == str(YEAR)]
    return dict(zip(frame["indicator_id"], frame["value"], strict=True))


def _read_once(store: Store, tally: Tally) -> None:
    file = store.current_file()
    try:
        con = store.connect_read(file)
    except duckdb.IOException:
        tally.retries += 1  # the app retries the same way (ui.data.on_current)
        return
    with con:
        with con.cursor() as cur:
            values = _marked_values(cur)
        with con.cursor() as cur:
            OTHER_QUERIES[tally.reads % len(OTHER_QUERIES)](cur)
        with con.cursor() as cur:  # the same version, read again after other work
            again = dict(
                cur.execute(
                    "SELECT indicator_id, value FROM current_observations "
                    "WHERE area = 'dortmund' AND period = ? AND list_contains(?, indicator_id)",
                    [str(YEAR), list(MARKED)],
                ).fetchall()
            )
        _record(file.name, values, tally)
        if again != values:
            tally.mixed.append(f"{file.name}: {values} then {again}")


def _record(version: str, values: dict[str, float], tally: Tally) -> None:
    tally.reads += 1
    marks = set(values.values())
    if len(values) != len(MARKED) or len(marks) != 1:
        tally.mixed.append(f"{version}: {values}")
        return
    mark = marks.pop()
    if tally.versions.setdefault(version, mark) != mark:
        tally.mixed.append(f"{version} changed from {tally.versions[version]} to {mark}")
    newest = max(tally.versions)
    if version < newest:
        tally.backwards.append(f"{version} after {newest}")


def _reader(db: Path, stop: threading.Event, tally: Tally) -> None:
    store = Store(db)
    deadline = time.monotonic() + MAX_READ_SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            _read_once(store, tally)
        except Exception as exc:  # every error counts, none may stop the others
            tally.errors.append(f"{type(exc).__name__}: {exc}")
        stop.wait(READ_PAUSE)


@dataclass
class Health:
    checks: int = 0
    failures: list[str] = field(default_factory=list)


LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    with LOCAL.open(url, timeout=timeout) as response:
        return response.status, response.read()


def _poll_health(url: str, stop: threading.Event, health: Health) -> None:
    deadline = time.monotonic() + MAX_READ_SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            status, body = _get(url)
            if (status, body.strip()) != (200, b"ok"):
                health.failures.append(f"{status} {body[:80]!r}")
        except Exception as exc:
            health.failures.append(f"{type(exc).__name__}: {exc}")
        health.checks += 1
        stop.wait(0.25)


@dataclass
class Backups:
    taken: int = 0
    errors: list[str] = field(default_factory=list)


def _take_backups(settings: Settings, folder: Path, stop: threading.Event, done: Backups) -> None:
    """Backups need no lock: each one is a consistent copy of one version."""
    deadline = time.monotonic() + MAX_READ_SECONDS
    while not stop.is_set() and time.monotonic() < deadline and done.taken < 10:
        target = folder / f"sicherung_{done.taken:02d}"
        try:
            backup(settings, target)
            with duckdb.connect(str(target / "dortmund_kpi.duckdb"), read_only=True) as con:
                rows = con.execute(
                    "SELECT DISTINCT value FROM current_observations WHERE area = 'dortmund' "
                    "AND period = ? AND list_contains(?, indicator_id)",
                    [str(YEAR), list(MARKED)],
                ).fetchall()
            if len(rows) != 1:
                done.errors.append(f"{target.name}: {rows}")
        except Exception as exc:
            done.errors.append(f"{type(exc).__name__}: {exc}")
        done.taken += 1
        stop.wait(1.0)


@dataclass
class Pages:
    """What the app itself (AppTest, all pages) showed while the imports ran."""

    runs: int = 0
    errors: list[str] = field(default_factory=list)
    shown: list[float] = field(default_factory=list)  # the marker on the indicator page
    look_now: threading.Event = field(default_factory=threading.Event)  # indicator page next


APP_PAGES = (
    ("uebersicht", None),
    ("masterplan", {"masterplan": "verwaltung"}),
    ("indikator", {"indikator": MARKED[0]}),
    ("bezirke", None),
    ("daten", None),
)


def _shown_marker(at) -> float | None:
    """The city's value for YEAR in the indicator page's time series."""
    from tests.app.conftest import array, data_traces, figures

    for trace in data_traces(figures(at).get("series", {"data": []})):
        for x, y in zip(array(trace.get("x")), array(trace.get("y")), strict=False):
            if str(x).startswith(f"{YEAR}-07"):
                return float(y)
    return None


def _run_page(page: str, params: dict | None, pages: Pages) -> None:
    from tests.app.conftest import open_page

    at = open_page(page, params)
    pages.runs += 1
    if len(at.exception):
        pages.errors.append(f"{page}: {[e.message for e in at.exception]}")
    if page == "indikator":
        shown = _shown_marker(at)
        if shown is None or (pages.shown and shown < pages.shown[-1]):
            pages.errors.append(f"indikator: marker {shown} after {pages.shown[-1:]}")
        else:
            pages.shown.append(shown)


def _browse(stop: threading.Event, pages: Pages) -> None:
    """One more reader: the real app (dashboard.py, via AppTest) across all pages."""
    deadline = time.monotonic() + MAX_READ_SECONDS
    for page, params in itertools.cycle(APP_PAGES):
        if stop.is_set() or time.monotonic() > deadline:
            return
        if pages.look_now.is_set():
            page, params = APP_PAGES[2]
        try:
            _run_page(page, params, pages)
        except Exception as exc:
            pages.errors.append(f"{page}: {type(exc).__name__}: {exc}")
        stop.wait(0.5)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = build_fixture_db(tmp_path_factory.mktemp("concurrency") / "kpi.duckdb")
    # marker 0: from here on both indicators always carry the same value
    run_import([_marker_file(settings.db_path.parent, 0)], settings, user="pytest")
    return settings


@pytest.fixture(scope="module")
def server(database: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real dashboard server on the test database; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    command = [console(), "serve", "--port", str(port), "--address", "127.0.0.1"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*command, "--db", str(database.db_path)],
            env=clean_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            if _get(f"{base}/_stcore/health", timeout=2) == (200, b"ok"):
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"server not healthy after {SERVER_START_SECONDS}s")


def _import(settings: Settings, value: int) -> subprocess.CompletedProcess[str]:
    command = [console(), "import", "--db", str(settings.db_path)]
    return subprocess.run(
        [*command, str(_marker_file(settings.db_path.parent, value))],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _fresh_value(db: Path) -> float | None:
    with Store(db).connect_read() as con, con.cursor() as cur:
        values = _marked_values(cur)
    return values.get(MARKED[0])


def _wait_until_app_shows(pages: Pages, value: int, since: float, timeout: float = 60) -> float:
    """Seconds from the publish until the running app showed ``value`` (no restart)."""
    deadline = time.monotonic() + timeout
    pages.look_now.set()
    latency = float("inf")
    while time.monotonic() < deadline:
        if latency == float("inf") and pages.shown and pages.shown[-1] == value:
            latency = time.monotonic() - since
            pages.look_now.clear()
        if latency < float("inf") and pages.runs >= len(APP_PAGES):  # every page ran once
            break
        time.sleep(0.1)
    return latency


def _wait_until_all_read(tallies: list[Tally], value: int, timeout: float = 30) -> None:
    """Give every reader the chance to read the final version (they never restart)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(t.versions and max(t.versions.items())[1] == value for t in tallies):
            return
        time.sleep(0.1)


def test_imports_while_readers_and_the_server_are_busy(
    database: Settings,
    server: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv(ENV_DB, str(database.db_path))  # for the app run by AppTest
    stop = threading.Event()
    tallies = [Tally() for _ in range(READERS)]
    health, backups, pages = Health(), Backups(), Pages()
    threads = [
        threading.Thread(target=_reader, args=(database.db_path, stop, t), daemon=True)
        for t in tallies
    ]
    threads.append(
        threading.Thread(
            target=_poll_health, args=(f"{server}/_stcore/health", stop, health), daemon=True
        )
    )
    threads.append(
        threading.Thread(
            target=_take_backups,
            args=(make_settings(database.db_path), tmp_path, stop, backups),
            daemon=True,
        )
    )
    threads.append(threading.Thread(target=_browse, args=(stop, pages), daemon=True))
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)  # readers are busy before the first import starts
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=IMPORTERS) as pool:
            runs = list(pool.map(lambda n: _import(database, n), range(1, IMPORTS + 1)))
        import_seconds = time.monotonic() - started
        last = _import(database, IMPORTS + 1)
        published = time.monotonic()
        seen = _fresh_value(database.db_path)
        while seen != IMPORTS + 1 and time.monotonic() - published < 5:
            time.sleep(0.05)
            seen = _fresh_value(database.db_path)
        latency = time.monotonic() - published
        _wait_until_all_read(tallies, IMPORTS + 1)
        app_latency = _wait_until_app_shows(pages, IMPORTS + 1, published)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    report_line(
        request.config,
        f"\n{READERS} Leser: {sum(t.reads for t in tallies)} Lesevorgänge, "
        f"{min(len(t.versions) for t in tallies)}-{max(len(t.versions) for t in tallies)} "
        f"Versionen je Leser, {sum(t.retries for t in tallies)} Wiederholungen; "
        f"{IMPORTS + 1} Importe in {import_seconds:.0f} s; {health.checks} Health-Abfragen; "
        f"{backups.taken} Sicherungen; {pages.runs} App-Seitenläufe (AppTest); "
        f"neuer Wert nach {latency:.2f} s gelesen, nach {app_latency:.1f} s in der App",
    )
    failed = [(r.returncode, r.stderr) for r in [*runs, last] if r.returncode != 0]
    assert failed == []
    assert not any("lock" in r.stderr.lower() for r in [*runs, last])
    assert seen == IMPORTS + 1 and latency < 5

    errors = [e for t in tallies for e in t.errors]
    assert errors == [], errors[:5]
    assert not any("lock" in e.lower() for e in errors)
    assert [m for t in tallies for m in t.mixed] == []
    assert [b for t in tallies for b in t.backwards] == []
    for tally in tallies:
        assert tally.reads >= 20, "a reader was not kept busy"
        assert len(tally.versions) >= 3, "a reader did not see versions change while reading"
    # every reader ends on the final version
    assert all(max(t.versions.items())[1] == IMPORTS + 1 for t in tallies)

    assert pages.errors == [], pages.errors[:5]
    assert pages.runs >= len(APP_PAGES) and len(set(pages.shown)) >= 2
    assert app_latency < 15, "the app did not show the new data without a restart"
    assert health.failures == [] and health.checks >= 10
    assert backups.errors == [] and backups.taken >= 3
    status, page = _get(server + "/")
    assert status == 200 and b"<html" in page.lower()
    with Store(database.db_path).connect_read() as con:
        files = [r[0] for r in con.execute("SELECT files FROM import_log").fetchall()]
    assert sorted(f for f in files if f.startswith("marker_")) == [
        f"marker_{n:02d}.csv" for n in range(IMPORTS + 2)
    ]
