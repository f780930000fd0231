"""``python -m benchmarks.sessions``: page runs of S simultaneous sessions on one process,
ours against the floor page.

One ``dortmund-kpi serve`` (a single process, no replicas, no proxy) of the checkout at
``--root`` and one floor app (a bare Streamlit page on the same DuckDB file drawing one
plotly line chart of a district's values) serve the same database. A simulated visitor
speaks Streamlit's websocket protocol (``benchmarks.load``): it opens the page (HTML,
health, websocket, a run with the page's query string), then changes the district
``CHANGES`` times (a run with another ``bezirk`` in the query string), a think time in
between. A page run is timed from the request to ``script_finished``. Levels of 1, 5 and
20 sessions at once, ours and the floor alternating, each level ``--rounds`` times;
the p50 and p95 of all page runs of a level are printed (and written with ``--json``).

    python -m benchmarks.sessions --db /path/kpi.duckdb --page uebersicht
    python -m benchmarks.sessions --db /path/kpi.duckdb --root /other/checkout  # before
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

import httpx
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from benchmarks.load import DISTRICTS, INDICATOR, THINK_S, TIMEOUT_S
from dortmund_kpi.settings import ENV_DB, PROJECT_ROOT
from dortmund_kpi.share import urlstate
from tools.devserver import free_port, health, server_env, stop

LEVELS = (1, 5, 20)
CHANGES = 3
FLOOR = '''"""The floor: one query on the same DuckDB file, one plotly line chart."""
import os

import duckdb
import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def connection():
    return duckdb.connect(os.path.realpath(os.environ["DORTMUND_KPI_DB"]), read_only=True)


area = st.query_params.get("bezirk", "dortmund")
with connection().cursor() as cur:
    frame = cur.execute(
        "SELECT period_start, value FROM observations WHERE indicator_id = ? AND area = ?"
        " ORDER BY period_start",
        [os.environ["FLOOR_INDICATOR"], area],
    ).df()
st.title("Floor")
st.plotly_chart(go.Figure(go.Scatter(x=frame["period_start"], y=frame["value"])))
'''


async def _run(ws, page: str, query: str) -> float:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
        if forward.WhichOneof("type") == "script_finished":
            if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                raise RuntimeError(f"run ended with status {forward.script_finished}")
            return time.perf_counter() - start


async def _visitor(base: str, page: str, path: str, params: dict, seed: int) -> list[float]:
    rng = random.Random(seed)
    times = []
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S) as http:
        (await http.get(path)).raise_for_status()
        (await http.get("/_stcore/health")).raise_for_status()
        xsrf = http.cookies.get("_streamlit_xsrf", "")
        cookies = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        async with connect(
            base.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers={"Cookie": cookies, "Origin": base},
            max_size=None,
            open_timeout=TIMEOUT_S,
        ) as ws:
            times.append(await _run(ws, page, urlencode(params)))
            for _ in range(CHANGES):
                await asyncio.sleep(rng.uniform(*THINK_S))
                query = urlencode(params | {"bezirk": rng.choice(DISTRICTS)})
                times.append(await _run(ws, page, query))
    return times


async def _level(base: str, page: str, path: str, params: dict, sessions: int) -> list[float]:
    runs = [_visitor(base, page, path, params, seed) for seed in range(sessions)]
    return [t for times in await asyncio.gather(*runs) for t in times]


def _start(command: list[str], root: Path, env: dict[str, str], log: Path):
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=server_env(root) | env,
            cwd=root,
            start_new_session=True,
        )
    return process


def _wait(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while health(base) != "ok":
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{base} did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.3)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sessions")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--page", default="uebersicht", choices=sorted(urlstate.PAGES))
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="checkout to serve")
    parser.add_argument("--rounds", type=int, default=2, help="repetitions of every level")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sessions-"))
    (work / "floor.py").write_text(FLOOR, encoding="utf-8")
    ours_port, floor_port = free_port(), free_port()
    serve = [str(Path(sys.executable).parent / "dortmund-kpi"), "serve", "--db", str(args.db)]
    serve += ["--port", str(ours_port), "--address", "127.0.0.1"]
    floor = [sys.executable, "-m", "streamlit", "run", str(work / "floor.py")]
    floor += ["--server.port", str(floor_port), "--server.address", "127.0.0.1"]
    floor += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    env = {ENV_DB: str(args.db), "FLOOR_INDICATOR": INDICATOR, "PYTHONUNBUFFERED": "1"}
    processes = [
        _start(serve, args.root, env, work / "ours.log"),
        _start(floor, args.root, env, work / "floor.log"),
    ]
    ours = (f"http://127.0.0.1:{ours_port}", urlstate.PAGES[args.page] or "uebersicht")
    path = "/" + (urlstate.PAGES[args.page] or "")
    params = {"indikator": INDICATOR} if args.page == "indikator" else {}
    targets = {
        "ours": (ours[0], ours[1], path, params),
        "floor": (f"http://127.0.0.1:{floor_port}", "", "/", {}),
    }
    results: dict[str, dict[int, list[float]]] = {name: {} for name in targets}
    try:
        _wait(targets["ours"][0], processes[0], work / "ours.log")
        _wait(targets["floor"][0], processes[1], work / "floor.log")
        for target in targets.values():  # imports, first connection, caches: not counted
            asyncio.run(_level(*target, sessions=2))
        for sessions in LEVELS:
            for _ in range(args.rounds):
                for name, target in targets.items():
                    times = asyncio.run(_level(*target, sessions=sessions))
                    results[name].setdefault(sessions, []).extend(times)
            print(_line(sessions, results), flush=True)
    finally:
        for process in processes:
            stop(process)
    if args.json:
        summary = {
            name: {str(s): _stats(t) for s, t in levels.items()} for name, levels in results.items()
        }
        args.json.write_text(json.dumps({"page": args.page, **summary}, indent=1))
    return 0


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"runs": len(ordered), "p50_s": statistics.median(ordered), "p95_s": p95}


def _line(sessions: int, results: dict[str, dict[int, list[float]]]) -> str:
    ours, floor = _stats(results["ours"][sessions]), _stats(results["floor"][sessions])
    return (
        f"{sessions:3d} sessions: ours p50 {ours['p50_s']:.3f} s p95 {ours['p95_s']:.3f} s | "
        f"floor p50 {floor['p50_s']:.3f} s p95 {floor['p95_s']:.3f} s | "
        f"p95 ratio {ours['p95_s'] / floor['p95_s']:.2f} ({ours['runs']} runs each)"
    )


if __name__ == "__main__":
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    sys.exit(main())
