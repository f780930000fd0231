"""Helpers shared by the reliability tests (databases, the console command, exports)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.template_files import to_csv
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


def console() -> str:
    """The installed ``dortmund-kpi`` script next to this interpreter (no pyenv shim)."""
    beside = Path(sys.executable).with_name("dortmund-kpi")
    found = str(beside) if beside.exists() else shutil.which("dortmund-kpi")
    assert found, "console command dortmund-kpi not installed (pip install -e .)"
    return found


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DORTMUND_KPI_")}
    return env | {"PYTHONIOENCODING": "utf-8", "DORTMUND_KPI_USER": "pytest"} | extra


def run_console(
    *args: str | Path, cwd: Path | None = None, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [console(), *(str(a) for a in args)],
        cwd=cwd or ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def copy_db(source: Settings, folder: Path) -> Settings:
    """A private copy of the published version of ``source`` as a plain file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "kpi.duckdb"
    shutil.copyfile(source.db_path.resolve(), target)
    return make_settings(target)


def export_csv(db_path: Path) -> bytes:
    """``dortmund-kpi export`` output, computed in-process the way the command does."""
    with Store(db_path).connect_read() as con:
        return to_csv(export_rows(con))


def version(db_path: Path) -> str:
    return Store(db_path).version()


def versions_dir(db_path: Path) -> Path:
    return Store(db_path).versions_dir


def leftovers(db_path: Path) -> list[str]:
    """Temporary files of writers that did not finish (``*.tmp``, WAL files, link files)."""
    found = [p.name for p in db_path.parent.glob(f".{db_path.name}.link-*")]
    folder = versions_dir(db_path)
    if folder.exists():
        found += [p.name for p in folder.iterdir() if not p.name.endswith(".duckdb")]
    return sorted(found)


def report_line(config, text: str) -> None:
    """Write a line to the test log, also when output is captured (figures for the README)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(text)
