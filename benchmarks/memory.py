"""Peak memory (RSS) of the app: ``VmHWM`` from ``/proc/<pid>/status``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dortmund_kpi.settings import PROJECT_ROOT


def proc_status_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def run_probe(args: list[str], env: dict[str, str], what: str) -> dict:
    """``python -m <args>`` in a process of its own (its peak RSS is its own), and the
    JSON object its last line of output prints."""
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
