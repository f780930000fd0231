"""``python -m benchmarks load``: sessions held by 1 replica and by N behind nginx.

Simulated visitors speak Streamlit's own protocol, as the browser does, without a
browser (a Chromium per visitor would eat the two cores the servers need):

1. the page load: ``GET`` of the page's HTML and of ``/_stcore/health`` (which sets
   the XSRF cookie, and through nginx the route cookie), then the websocket
   ``/_stcore/stream`` with the XSRF token as subprotocol, and a ``rerun_script``
   with the page and its query string, until ``script_finished``;
2. filter changes: ``rerun_script`` with another district in the query string (the
   app reads a changed query string into its filters, as when a link is opened in
   the running session), each until ``script_finished``, with a think time between.

An interaction is one of these, timed from the request to ``script_finished``. A load
level of S sessions starts S visitors at once, each doing one page load and
``CHANGES`` filter changes. Levels rise until the p95 interaction passes 1 s (or a
request fails); "sessions held" is the highest level below it. The same ramp runs
against ``serve --replicas 1`` and ``serve --replicas N``, both behind nginx on
loopback, in one run; the number of sessions and the run time are bounded.

Faults, against N replicas after the ramp: as many sessions as N held, with longer visits;
after ``FAULT_AFTER_S`` one replica is killed (SIGKILL) and an import publishes a value.
A visitor whose websocket drops connects again through nginx (to another replica, as the
browser does) and reruns the view of its URL; the run reports reconnects, failures (a
visitor that could not go on), the interaction times including the reconnects, and
whether the imported value is in the published database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from benchmarks import machine
from benchmarks.importbench import cli_command
from dortmund_kpi.settings import PROJECT_ROOT
from tools.devserver import free_port, health, pid_listening_as, server_env, stop

PAGE = "indikator"
INDICATOR = "glasfaser_haushalte"
DISTRICTS = ("hoerde", "eving", "mengede", "brackel", "aplerbeck", "huckarde")
CHANGES = 3
THINK_S = (0.5, 1.5)  # a person reads between two clicks
TARGET_P95_S = 1.0
TIMEOUT_S = 30.0
LEVELS = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64)
N_WARM = 2  # visitors per replica before the ramp: first imports and caches are not counted


@dataclass
class Level:
    sessions: int
    interactions: int = 0
    failures: int = 0
    p50_s: float = 0.0
    p95_s: float = 0.0
    max_s: float = 0.0
    wall_s: float = 0.0
    reconnects: int = 0
    errors: list[str] = field(default_factory=list)
    samples: list[float] = field(default_factory=list, repr=False)

    @property
    def held(self) -> bool:
        return self.failures == 0 and self.p95_s < TARGET_P95_S


def query(district: str) -> str:
    return urlencode({"indikator": INDICATOR, "bezirk": district})


async def _run_once(ws, query_string: str, page: str = PAGE) -> float:
    """One rerun of ``page`` (its URL path, ``""`` for the main page), timed until the
    server reports the script finished."""
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        raw = await asyncio.wait_for(ws.recv(), TIMEOUT_S)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "page_not_found" or (
            kind == "delta"
            and forward.delta.WhichOneof("type") == "new_element"
            and forward.delta.new_element.WhichOneof("type") == "exception"
        ):
            raise RuntimeError(f"the page failed ({kind})")
        if kind == "script_finished":
            # 0: finished successfully; a rerun that replaced this one counts as an error
            if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                raise RuntimeError(f"script run ended with status {forward.script_finished}")
            return time.perf_counter() - start


class Visitor:
    """One person's browser: cookies, one websocket; reconnects as Streamlit's client does
    when the connection drops (its replica died), then reruns the view of its URL."""

    def __init__(self, http: httpx.AsyncClient, base: str) -> None:
        self.http, self.base = http, base
        self.ws = None
        self.reconnects = 0

    async def connect(self) -> None:
        (await self.http.get("/_stcore/health")).raise_for_status()  # cookies (route, XSRF)
        cookies = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        xsrf = self.http.cookies.get("_streamlit_xsrf", "")
        self.ws = await connect(
            self.base.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers={"Cookie": cookies, "Origin": self.base},
            max_size=None,
            open_timeout=TIMEOUT_S,
        )

    async def interact(
        self, query_string: str, since: float | None = None, page: str = PAGE
    ) -> float:
        start = time.perf_counter() if since is None else since
        try:
            await _run_once(self.ws, query_string, page)
        except (ConnectionClosed, OSError):
            self.reconnects += 1
            await self.close()
            await self.connect()
            await _run_once(self.ws, query_string, page)
        return time.perf_counter() - start

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(ConnectionClosed, OSError):
                await self.ws.close()


async def visitor(base: str, rng: random.Random, changes: int = CHANGES) -> tuple[list[float], int]:
    """One person: open the indicator page, change the district a few times; the times of
    the interactions and how often the connection had to be made again."""
    times = []
    first = rng.choice(DISTRICTS)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S) as http:
        start = time.perf_counter()
        (await http.get(f"/{PAGE}?{query(first)}")).raise_for_status()
        person = Visitor(http, base)
        try:
            await person.connect()
            times.append(await person.interact(query(first), since=start))  # HTML to data
            for _ in range(changes):
                await asyncio.sleep(rng.uniform(*THINK_S))
                times.append(await person.interact(query(rng.choice(DISTRICTS))))
        finally:
            await person.close()
    return times, person.reconnects


async def level(base: str, sessions: int, seed: int, changes: int = CHANGES, fault=None) -> Level:
    """S visitors at once; ``fault`` (a coroutine) runs beside them."""
    result = Level(sessions)
    start = time.perf_counter()
    visitors = [visitor(base, random.Random(seed + i), changes) for i in range(sessions)]
    outcomes = await asyncio.gather(*visitors, *([fault] if fault else []), return_exceptions=True)
    result.wall_s = time.perf_counter() - start
    for outcome in outcomes[:sessions]:
        if isinstance(outcome, BaseException):
            result.failures += 1
            result.errors.append(f"{type(outcome).__name__}: {outcome}"[:200])
        else:
            result.samples.extend(outcome[0])
            result.reconnects += outcome[1]
    samples = sorted(result.samples)
    result.interactions = len(samples)
    if samples:
        result.p50_s = statistics.median(samples)
        result.p95_s = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
        result.max_s = samples[-1]
    return result


def start(db: Path, replicas: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    while port > 65000:
        port = free_port()
    command = [*cli_command(), "--db", str(db), "serve", "--replicas", str(replicas)]
    command += ["--port", str(port), "--address", "127.0.0.1"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=server_env(PROJECT_ROOT),
            cwd=PROJECT_ROOT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while health(base) != "ok" or "Konfiguration" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"serve --replicas {replicas} did not start:\n{log.read_text()}")
        time.sleep(0.3)
    return process, base


def ramp(base: str, max_sessions: int, deadline: float, log) -> list[Level]:
    asyncio.run(level(base, 2 * N_WARM, seed=0))  # imports, caches, both replicas warm
    results = []
    for sessions in (s for s in LEVELS if s <= max_sessions):
        if time.monotonic() > deadline:
            log(f"  time budget used up before {sessions} sessions")
            break
        result = asyncio.run(level(base, sessions, seed=sessions * 1000))
        results.append(result)
        log(
            f"  {sessions:3d} sessions: p50 {result.p50_s:.2f} s, p95 {result.p95_s:.2f} s, "
            f"max {result.max_s:.2f} s, failures {result.failures}"
        )
        if not result.held:
            break
    return results


FAULT_AFTER_S = 3.0  # the fault comes while every visitor is between two clicks
FAULT_CHANGES = 8  # longer visits, so that they span the fault
FAULT_VALUE = "77,7"


async def _kill_and_import(db: Path, replica_port: int, tmp: Path) -> int:
    """SIGKILL one replica and import a value while the visitors click; the import's code."""
    await asyncio.sleep(FAULT_AFTER_S)
    pid = pid_listening_as(replica_port)
    if pid is None:
        raise RuntimeError(f"no replica on port {replica_port}")
    os.kill(pid, signal.SIGKILL)
    values = tmp / "fault-import.csv"
    values.write_text(
        f"indikator;bezirk;zeitraum;wert\n{INDICATOR};Dortmund;2025;{FAULT_VALUE}\n",
        encoding="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        *cli_command(),
        "--db",
        str(db),
        "import",
        str(values),
        env=server_env(PROJECT_ROOT),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await process.wait()


def fault_run(base: str, db: Path, sessions: int, tmp: Path, log) -> dict:
    """One level with a replica killed and an import during it: who failed, who moved."""
    replica_port = int(base.rsplit(":", 1)[1]) + 1
    fault = _kill_and_import(db, replica_port, tmp)
    result = asyncio.run(level(base, sessions, 99_000, FAULT_CHANGES, fault))
    exported = tmp / "after-fault.csv"
    subprocess.run(
        [*cli_command(), "--db", str(db), "export", "-o", str(exported)],
        env=server_env(PROJECT_ROOT),
        check=True,
        capture_output=True,
    )
    kept = f"{INDICATOR};Dortmund;2025;{FAULT_VALUE};" in exported.read_text(encoding="utf-8-sig")
    log(
        f"  fault: {sessions} sessions, replica :{replica_port} killed after {FAULT_AFTER_S:.0f}"
        f" s and an import: {result.reconnects} reconnect(s), {result.failures} failure(s), "
        f"p95 {result.p95_s:.2f} s, import {'kept' if kept else 'LOST'}"
    )
    return asdict(result) | {"samples": None, "import_kept": kept}


def held(results: list[Level]) -> int:
    """The most sessions at which the p95 interaction stayed under 1 s."""
    good = [r.sessions for r in results if r.held]
    return max(good) if good else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks load",
        description="Sessions held at p95 interaction < 1 s: 1 replica vs N behind nginx.",
    )
    parser.add_argument("--replicas", type=int, default=2, help="N (default 2)")
    parser.add_argument("--max-sessions", type=int, default=48, help="highest level (48)")
    parser.add_argument(
        "--max-seconds", type=float, default=600, help="time budget per setup (600)"
    )
    parser.add_argument("--json", metavar="FILE", help="write the levels and machine info")
    args = parser.parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    report: dict = {"machine": machine.info(), "page": f"/{PAGE}", "setups": {}}
    with tempfile.TemporaryDirectory(prefix="dortmund-kpi-load-") as tmp:
        db = Path(tmp) / "kpi.duckdb"
        subprocess.run(
            [*cli_command(), "--db", str(db), "init"],
            env=server_env(PROJECT_ROOT),
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
        )
        for replicas in sorted({1, args.replicas}):
            load = machine.load_average()  # the machine may be shared: say how busy it was
            log(f"serve --replicas {replicas} (nginx in front), load average {load}:")
            process, base = start(db, replicas, Path(tmp) / f"serve-{replicas}.log")
            try:
                results = ramp(base, args.max_sessions, time.monotonic() + args.max_seconds, log)
                setup = {
                    "load_average_at_start": load,
                    "sessions_held": held(results),
                    "levels": [asdict(r) | {"samples": None} for r in results],
                }
                if replicas > 1:
                    setup["fault"] = fault_run(base, db, max(2, held(results)), Path(tmp), log)
            finally:
                stop(process)
            report["setups"][replicas] = setup
    print(table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


def table(report: dict) -> str:
    lines = [
        "| replicas | sessions | interactions | p50 s | p95 s | max s | failures |",
        "|---|---|---|---|---|---|---|",
    ]
    for replicas, setup in report["setups"].items():
        for r in setup["levels"]:
            lines.append(
                f"| {replicas} | {r['sessions']} | {r['interactions']} | {r['p50_s']:.2f} | "
                f"{r['p95_s']:.2f} | {r['max_s']:.2f} | {r['failures']} |"
            )
    lines.append("")
    for replicas, setup in report["setups"].items():
        lines.append(f"{replicas} replica(s): {setup['sessions_held']} sessions held at p95 < 1 s")
    return "\n".join(lines)
