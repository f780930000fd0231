"""Peak memory (RSS) of the app: ``VmHWM`` from ``/proc/<pid>/status``."""

from __future__ import annotations

from pathlib import Path


def proc_status_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values
