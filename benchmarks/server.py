"""The app as users get it: ``dortmund-kpi serve`` in its own process (group)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.importbench import cli_command
from dortmund_kpi.settings import PROJECT_ROOT

STARTUP_TIMEOUT_S = 120.0


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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.read().decode("utf-8", "replace").strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen, grace_s: float = 10.0) -> None:
    """SIGTERM to the server's own process group, SIGKILL if it does not end in time."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace_s)


@contextlib.contextmanager
def serve(db_path: Path, log_path: Path) -> Iterator[AppServer]:
    """Start ``dortmund-kpi serve`` on a free port; stop it (and only it) afterwards."""
    env = dict(os.environ)
    env.pop("DORTMUND_KPI_DB", None)  # --db decides
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    port = _free_port()
    command = [*cli_command(), "serve", "--port", str(port), "--address", "127.0.0.1"]
    command += ["--db", str(db_path)]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=PROJECT_ROOT,
            start_new_session=True,
        )
    server = AppServer(port, process, log_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dortmund-kpi serve did not start:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        stop(process)
