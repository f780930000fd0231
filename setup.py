"""Ships the app's files beside the package in the wheel (metadata: pyproject.toml).

``streamlit run`` needs a script, its pages, its config and the reference data as
files. In a checkout they sit at the repository's root; a wheel carries a copy of
them inside the package, in ``dortmund_kpi/_site/``, where ``settings`` finds them.
``data/`` is copied by pattern, whole, so a new official table needs no list here;
databases, their versions and locks (made when the app runs from the checkout) and
secrets are never copied.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE = ("dashboard.py", "screens", "data", ".streamlit/config.toml")
NEVER = ("*.duckdb", "*.duckdb.*", ".*.lock", ".*.link-*", "*.wal", "*.tmp", "__pycache__", "*.pyc")


class BuildWithSite(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install runs from the checkout itself
            return
        site = Path(self.build_lib) / "dortmund_kpi" / "_site"
        shutil.rmtree(site, ignore_errors=True)  # no file of an earlier build survives
        for name in SITE:
            source, target = ROOT / name, site / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns(*NEVER))
            else:
                shutil.copy2(source, target)


setup(cmdclass={"build_py": BuildWithSite})
