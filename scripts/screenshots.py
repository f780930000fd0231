"""Render every dashboard page to a PNG for the README (docs/screenshots/).

    python scripts/screenshots.py                      # own server on the default database
    python scripts/screenshots.py --db /tmp/kpi.duckdb  # own server on another database
    python scripts/screenshots.py --url http://127.0.0.1:8501  # a running server

Pages are shown 1440 px wide (900 px high; the indicator page taller, to include
its map) in headless Chromium (Debian's, see
``DORTMUND_KPI_CHROMIUM``), captured once Streamlit is idle and every chart is
drawn, and stored as optimised PNGs (palette-quantised when needed) under 300 KB.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from tools.devserver import free_port, health, stop

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "docs" / "screenshots"
CHROMIUM_ENV = "DORTMUND_KPI_CHROMIUM"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH = 1440
MAX_BYTES = 300 * 1024
TIMEOUT_MS = 90_000


@dataclass(frozen=True)
class Shot:
    file: str
    path: str
    charts: int  # plotly charts that must be drawn first
    height: int = 900  # viewport height; taller where the point of the page is below the fold
    anchor: str | None = None  # scroll this element to the middle of the view before the shot


SHOTS = (
    Shot("uebersicht.png", "/", 0),
    Shot("masterplan.png", "/masterplan?masterplan=wirtschaft", 4),
    Shot(
        "indikator.png",
        "/indikator?indikator=glasfaser_haushalte&bezirk=hoerde&bezirk=eving",
        3,  # time series, map, ranking (SVG)
        height=1420,
    ),
    Shot("bezirke.png", "/bezirke?bezirk=hoerde", 0),
    Shot(
        "massnahmen.png",
        "/masterplan?masterplan=verwaltung",
        2,
        anchor=".st-key-svg_measures_verwaltung",  # static SVG, like the small multiples
    ),
    Shot("massnahme.png", "/masterplan?masterplan=verwaltung&massnahme=v01_serviceportal", 1),
    Shot("daten.png", "/daten", 0),
    Shot("trends.png", "/trends", 0, height=1000),  # the radar (when there are trends)
    Shot("trend.png", "/trends?trend=t01_generative_ki", 0, height=1000),
    Shot(
        "vergleich.png",
        "/vergleich?vergleich=ruhr&indikator=gigabit_haushalte",
        3,  # bar ranking (SVG), rank over time, regional map
        height=1500,
    ),
)

# Streamlit is idle: connected, no script run, no lazy placeholder, nothing stale.
IDLE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector("[data-testid='stSkeleton']")
    && !document.querySelector("[data-stale='true']");
}"""
# A plotly chart kept in a closed popover (a masterplan small multiple's interactive form)
# is not drawn until opened: only charts on view count, and static small multiples and
# the other charts drawn as SVG (ui.widgets.svg_chart) do.
CHARTS_JS = """n => {
  if (document.querySelector("[data-testid='stException']")) return true;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(gd => gd.offsetParent !== null);
  const smalls = document.querySelectorAll(
    '.dkpi-small-multiple, .dkpi-static').length;
  return plots.length + smalls >= n
    && plots.every(gd => gd._fullLayout && gd.querySelector('.main-svg')
    && (!gd._fullLayout.map || (gd._fullLayout.map._subplot.map.loaded()
        && !gd._fullLayout.map._subplot.map.isMoving())));
}"""


# -- server ---------------------------------------------------------------------------
@contextlib.contextmanager
def serve(db: str | None = None, timeout_s: float = 120.0) -> Iterator[str]:
    """Start ``dortmund-kpi serve`` on a free local port; yield its base URL; stop it."""
    beside = Path(sys.executable).parent / "dortmund-kpi"
    cli = str(beside) if beside.exists() else shutil.which("dortmund-kpi")
    if not cli:
        raise SystemExit("dortmund-kpi is not installed: python3 -m pip install -e .")
    port = free_port()
    command = [cli, "serve", "--port", str(port), "--address", "127.0.0.1"]
    if db:
        command += ["--db", db]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=REPO_ROOT,
            start_new_session=True,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout_s
            while not (health(base_url) == "ok" and process.poll() is None):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-4000:]
                    raise SystemExit(f"dortmund-kpi serve did not start:\n{output}")
                time.sleep(0.25)
            yield base_url
        finally:
            stop(process)


# -- capture ---------------------------------------------------------------------------
def optimise_png(png: bytes, target: Path, max_bytes: int = MAX_BYTES) -> Path:
    """Write ``png`` optimised; quantise to a palette when it is still too large."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    for colours in (256, 128, 64):
        if buffer.tell() <= max_bytes:
            break
        buffer = io.BytesIO()
        palette = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=0)
        palette.save(buffer, "PNG", optimize=True)
    target.write_bytes(buffer.getvalue())
    return target


def _capture_one(browser, base_url: str, shot: Shot, out_dir: Path) -> Path:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": shot.height}, locale="de-DE", device_scale_factor=1
    )
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(base_url.rstrip("/") + shot.path, wait_until="domcontentloaded")
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
        # At least ``charts``, and every chart the run put on the page (a page whose charts
        # depend on the data, like the Technologiescout's radar).
        present = page.locator("[data-testid='stPlotlyChart']:visible").count()
        if shot.charts or present:
            page.wait_for_function(CHARTS_JS, arg=max(shot.charts, present), timeout=TIMEOUT_MS)
        if page.locator("[data-testid='stException']").count():
            raise RuntimeError(f"{shot.path}: the page shows an exception")
        if shot.anchor:
            page.locator(shot.anchor).evaluate("el => el.scrollIntoView({block: 'center'})")
            page.wait_for_selector(f"{shot.anchor} svg", timeout=TIMEOUT_MS)
        page.mouse.move(WIDTH - 5, 5)  # no hover label in the picture
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
        return optimise_png(page.screenshot(full_page=False), out_dir / shot.file)
    finally:
        context.close()


def capture(base_url: str, out_dir: Path = OUT_DIR, browser=None) -> list[Path]:
    """Screenshot every page of the server at ``base_url`` into ``out_dir``.

    Pass a Playwright ``browser`` to reuse one (the tests do); otherwise Debian's
    Chromium is started headless and closed again.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        return [_capture_one(browser, base_url, shot, out_dir) for shot in SHOTS]
    from playwright.sync_api import sync_playwright

    executable = os.environ.get(CHROMIUM_ENV, CHROMIUM_DEFAULT)
    if not Path(executable).is_file():
        raise SystemExit(f"Chromium not found at {executable}: sudo apt-get install chromium")
    with sync_playwright() as playwright:
        own = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            return [_capture_one(own, base_url, shot, out_dir) for shot in SHOTS]
        finally:
            own.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running dashboard (default: start one)")
    parser.add_argument("--db", help="database for the own server (default: dortmund-kpi's)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"directory (default {OUT_DIR})")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        base_url = args.url or stack.enter_context(serve(args.db))
        for path in capture(base_url, args.out):
            print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
