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
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
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

from benchmarks import machine
from benchmarks.importbench import cli_command
from dortmund_kpi.settings import PROJECT_ROOT
from tools.devserver import free_port, health, server_env, stop

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
    samples: list[float] = field(default_factory=list, repr=False)

    @property
    def held(self) -> bool:
        return self.failures == 0 and self.p95_s < TARGET_P95_S


def query(district: str) -> str:
    return urlencode({"indikator": INDICATOR, "bezirk": district})


async def _run_once(ws, query_string: str) -> float:
    """One rerun, timed until the server reports the script finished."""
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = PAGE
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


async def visitor(base: str, rng: random.Random) -> list[float]:
    """One person: open the indicator page, change the district a few times."""
    times = []
    first = rng.choice(DISTRICTS)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S) as http:
        start = time.perf_counter()
        (await http.get(f"/{PAGE}?{query(first)}")).raise_for_status()
        (await http.get("/_stcore/health")).raise_for_status()
        cookies = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        xsrf = http.cookies.get("_streamlit_xsrf", "")
        url = base.replace("http://", "ws://") + "/_stcore/stream"
        async with connect(
            url,
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers={"Cookie": cookies, "Origin": base},
            max_size=None,
            open_timeout=TIMEOUT_S,
        ) as ws:
            await _run_once(ws, query(first))
            times.append(time.perf_counter() - start)  # the page load, HTML to drawn data
            for _ in range(CHANGES):
                await asyncio.sleep(rng.uniform(*THINK_S))
                times.append(await _run_once(ws, query(rng.choice(DISTRICTS))))
    return times


async def level(base: str, sessions: int, seed: int) -> Level:
    result = Level(sessions)
    start = time.perf_counter()
    outcomes = await asyncio.gather(
        *(visitor(base, random.Random(seed + i)) for i in range(sessions)),
        return_exceptions=True,
    )
    result.wall_s = time.perf_counter() - start
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            result.failures += 1
        else:
            result.samples.extend(outcome)
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
            log(f"serve --replicas {replicas} (nginx in front):")
            process, base = start(db, replicas, Path(tmp) / f"serve-{replicas}.log")
            try:
                results = ramp(base, args.max_sessions, time.monotonic() + args.max_seconds, log)
            finally:
                stop(process)
            report["setups"][replicas] = {
                "sessions_held": held(results),
                "levels": [asdict(r) | {"samples": None} for r in results],
            }
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
