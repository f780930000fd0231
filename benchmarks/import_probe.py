"""``python -m benchmarks.import_probe run_import CSV DB``: the importer once, in a fresh
process; prints the RSS after start-up and the peak (``VmHWM``) as JSON, in MB."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from benchmarks.datasets import settings_for
from benchmarks.memory import proc_status_kb
from dortmund_kpi.ingest.importer import run_import


def main(csv_path: Path, db_path: Path) -> None:
    before = proc_status_kb(os.getpid())["VmRSS"] / 1024
    run_import([csv_path], settings_for(db_path), user="benchmark")
    peak = proc_status_kb(os.getpid())["VmHWM"] / 1024
    print(json.dumps({"start_mb": round(before, 1), "peak_mb": round(peak, 1)}))


if __name__ == "__main__":
    main(Path(sys.argv[2]), Path(sys.argv[3]))
