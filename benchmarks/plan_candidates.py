"""The masterplan page against the floor page, in headless Chromium (issue 17).

Both served side by side on a private copy of one data set: ``dortmund-kpi serve`` of a
checkout (``--root``, default: this one) and ``benchmarks/floor_app.py`` (one plotly line
chart on the same DuckDB file). Interleaved, ``--repeat`` times each: the warm load of
``/masterplan`` and of the floor (from ``goto`` until Streamlit is idle and every chart is
drawn, ``benchmarks.browser.load``) and a district change in the sidebar (from the click
until every chart is drawn again and one of them holds new data,
``add_district``). Prints medians and the ratios to the floor.

    python -m benchmarks.plan_candidates --scale S --repeat 7
    git worktree add /tmp/before <commit>
    python -m benchmarks.plan_candidates --root /tmp/before   # an earlier state
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks import browser, datasets
from benchmarks.importbench import cli_command
from dortmund_kpi.settings import PROJECT_ROOT
from tools.devserver import free_port, health, server_env, stop

FLOOR_APP = Path(__file__).with_name("floor_app.py")
WORK = Path("/tmp/dortmund_kpi_plan_bench")


@contextlib.contextmanager
def _serve(command: list[str], root: Path, log: Path) -> Iterator[str]:
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [part.replace("{port}", str(port)) for part in command],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=server_env(root),
            cwd=root,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while health(base) != "ok":
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start: see {log}")
            time.sleep(0.2)
        yield base
    finally:
        stop(process)


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def browser_cpu_ms() -> float:
    """CPU time (user + system) of every Chromium process this process started: the
    browser's work, which other processes on a busy machine delay but do not add to."""
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        if "chrom" in name:
            cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) * TICK_MS
    total = 0.0
    for pid, used in cpu.items():
        ancestor = pid
        while ancestor > 1 and ancestor != os.getpid():
            ancestor = parents.get(ancestor, 1)
        total += used if ancestor == os.getpid() else 0.0
    return total


def _timed(action: Callable[[], None]) -> tuple[float, float]:
    """Wall time and the browser's CPU time of ``action``, in ms."""
    cpu, started = browser_cpu_ms(), time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000, browser_cpu_ms() - cpu


# A district change is drawn when the rerun is (benchmarks.browser.UPDATED_JS without the
# chart condition) and a chart shows the new data: a plotly chart with new ``_fullData``
# or a static small multiple (``.dkpi-small-multiple svg``) with new content.
SNAPSHOT_JS = (
    """() => {
  window.__planSvgs = new Set(Array.from(
    document.querySelectorAll('.dkpi-small-multiple svg'), svg => svg.outerHTML));
  return ("""
    + browser.SNAPSHOT_JS
    + """)();
}"""
)
CHANGED_JS = (
    """([before, minCharts]) => {
  if (!("""
    + browser.UPDATED_JS
    + """)([before, minCharts, false])) return false;
  const svgs = Array.from(document.querySelectorAll('.dkpi-small-multiple svg'));
  return svgs.some(svg => !window.__planSvgs.has(svg.outerHTML))
    || Array.from(document.querySelectorAll('.js-plotly-plot')).some(
      gd => !window.__benchPlots.has(gd) || window.__benchPlots.get(gd) !== gd._fullData);
}"""
)


def add_district(page: Any, target: browser.Target) -> None:
    """Add a district in the sidebar (as ``benchmarks.browser._district``), wait until drawn."""
    field = page.locator("[data-testid='stMultiSelect']").first.locator("input[role='combobox']")
    field.click()
    field.fill(browser.DISTRICT)
    option = page.get_by_role("option", name=browser.DISTRICT, exact=True)
    option.wait_for()
    before = page.evaluate(SNAPSHOT_JS)
    option.click()
    page.wait_for_function(CHANGED_JS, arg=[before, target.charts], timeout=browser.TIMEOUT_MS)
    page.keyboard.press("Escape")


def measure(page: Any, targets: list[browser.Target], repeat: int) -> dict[str, list[float]]:
    """Warm loads and district changes (add Hörde to a fresh view), the targets
    interleaved; one round not timed first (every state cached on the server)."""
    times: dict[str, list[float]] = {}
    for round_ in range(repeat + 1):
        for target in targets:
            load = _timed(lambda target=target: browser.load(page, target))
            change = _timed(lambda target=target: add_district(page, target))
            if round_:
                for name, (wall, cpu) in (("load", load), ("change", change)):
                    times.setdefault(f"{target.page}.{name}", []).append(wall)
                    times.setdefault(f"{target.page}.{name}.cpu", []).append(cpu)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="checkout to serve")
    parser.add_argument("--scale", default="S", choices=sorted(datasets.SCALES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--path", default="/masterplan", help="page (and link) to measure")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    dataset = datasets.build(datasets.SCALES[args.scale], WORK / "data", reuse=True)
    db = browser.served_copy(dataset, WORK / "served")
    ours = [*cli_command(), "serve", "--port", "{port}", "--address", "127.0.0.1", "--db", str(db)]
    floor = [sys.executable, "-m", "streamlit", "run", str(FLOOR_APP), "--server.port", "{port}"]
    floor += ["--server.headless", "true", "--server.address", "127.0.0.1", "--", str(db)]
    from playwright.sync_api import sync_playwright

    with (
        _serve(ours, args.root.resolve(), WORK / "ours.log") as ours_url,
        _serve(floor, PROJECT_ROOT, WORK / "floor.log") as floor_url,
        sync_playwright() as playwright,
    ):
        chromium = browser.launch(playwright)
        context, page = browser.new_page(chromium)
        ours_target = browser.Target("masterplan", ours_url + args.path, 1)
        ours_target.charts = _chart_count(page, ours_target)
        floor_target = browser.Target("floor", floor_url + "/", 1)
        times = measure(page, [floor_target, ours_target], args.repeat)
        context.close()
        chromium.close()
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"scale {args.scale}, {ours_target.charts} charts, median of {args.repeat}")
    for label, key in (("warm load", "load"), ("district change", "change")):
        for kind, suffix in (("wall", ""), ("browser CPU", ".cpu")):
            ours_ms, floor_ms = med[f"masterplan.{key}{suffix}"], med[f"floor.{key}{suffix}"]
            ratio = ours_ms / floor_ms if floor_ms else float("nan")
            line = f"{label:16s} {kind:12s} {ours_ms:7.0f} ms, floor {floor_ms:7.0f} ms"
            print(f"{line}: {ratio:.2f}x")
    return 0


def _chart_count(page: Any, target: browser.Target) -> int:
    """The page's plotly charts once it is idle (the count the timed loads wait for)."""
    browser.load(page, target)
    return page.locator("[data-testid='stPlotlyChart']").count()


if __name__ == "__main__":
    raise SystemExit(main())
