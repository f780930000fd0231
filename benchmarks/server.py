"""The app as users get it: ``dortmund-kpi serve`` in its own process (group); beside it
the floor page (``streamlit run benchmarks/floor_page.py``) the app is compared with."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.importbench import cli_command
from dortmund_kpi.settings import PROJECT_ROOT
from tools.devserver import free_port, health, server_env, stop

STARTUP_TIMEOUT_S = 120.0
FLOOR_PAGE = Path(__file__).with_name("floor_page.py")


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """``dortmund-kpi serve`` replaces itself (exec) with the Streamlit server."""
        return self.process.pid

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@contextlib.contextmanager
def serve(db_path: Path, log_path: Path) -> Iterator[AppServer]:
    """Start ``dortmund-kpi serve`` on a free port; stop it (and only it) afterwards."""
    port = free_port()
    command = [*cli_command(), "serve", "--port", str(port), "--address", "127.0.0.1"]
    command += ["--db", str(db_path)]
    with started(command, port, log_path, "dortmund-kpi serve") as server:
        yield server


@contextlib.contextmanager
def serve_floor(db_path: Path, log_path: Path) -> Iterator[AppServer]:
    """Start the floor page (``benchmarks/floor_page.py``) with ``streamlit run``."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(FLOOR_PAGE)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--", str(db_path)]
    with started(command, port, log_path, "the floor page") as server:
        yield server


@contextlib.contextmanager
def started(
    command: list[str], port: int, log_path: Path, what: str, root: Path = PROJECT_ROOT
) -> Iterator[AppServer]:
    """``command`` (a server on ``port``) run in the checkout at ``root`` with its code;
    stopped afterwards."""
    env = server_env(root)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=root,
            start_new_session=True,
        )
    server = AppServer(port, process, log_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while health(server.base_url) != "ok":
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        stop(process)
