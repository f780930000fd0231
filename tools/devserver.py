"""Helpers for tools that run ``dortmund-kpi serve`` as a child process.

The browser tests, the screenshot script, the benchmarks and the concurrency test
all start the real server on a free local port, poll its health endpoint and stop
its whole process group. These are the shared pieces; each tool keeps its own
start loop, because they report failures differently (pytest, SystemExit, errors).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A port that is free now (another process may still take it before the server binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health(base_url: str) -> str:
    """Streamlit's health answer (``ok`` when ready), or an empty string."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.read().decode("utf-8", "replace").strip()
    except (urllib.error.URLError, OSError):
        return ""


def stop(process: subprocess.Popen, grace_s: float = 10.0) -> None:
    """SIGTERM to the server's own process group, SIGKILL if it does not end in time.

    The server must have been started with ``start_new_session=True``.
    """
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


def server_env(root: Path) -> dict[str, str]:
    """The environment for a server of the checkout at ``root``: that checkout's code first,
    the database from ``--db`` only, no usage statistics."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    env.pop("DORTMUND_KPI_DB", None)  # --db decides
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


def pid_listening_as(port: int, marker: bytes = b"streamlit") -> int | None:
    """The process whose command line holds ``marker`` and ``--server.port PORT``
    (a replica of ``serve --replicas``), or None."""
    wanted = [b"--server.port", str(port).encode()]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in b" ".join(args) and any(
            args[i : i + 2] == wanted for i in range(len(args) - 1)
        ):
            return int(entry.name)
    return None
