"""Paths and options, derived from at most a few environment variables.

Every path the product uses comes from here, so tests can point the whole
application at a temporary directory by setting ``DORTMUND_KPI_DB`` (and, for
the reference data, ``DORTMUND_KPI_DATA_DIR``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The files ``streamlit run`` needs beside the package: ``dashboard.py``, ``screens/``,
# ``.streamlit/config.toml`` and the reference data in ``data/``. A built wheel carries
# them inside the package, in this folder (see setup.py); a checkout has them at its root.
BUNDLE_DIR = PACKAGE_DIR / "_site"


def _app_root() -> Path:
    """The checkout's root when the package runs from one (editable install, PYTHONPATH),
    else the copy inside the installed package."""
    checkout = PACKAGE_DIR.parent
    if (checkout / "dashboard.py").is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    return BUNDLE_DIR


PROJECT_ROOT = _app_root()
IS_CHECKOUT = PROJECT_ROOT != BUNDLE_DIR
ENV_DB = "DORTMUND_KPI_DB"
ENV_DATA_DIR = "DORTMUND_KPI_DATA_DIR"
ENV_MAX_IMPORT_MB = "DORTMUND_KPI_MAX_IMPORT_MB"
ENV_PUBLIC = "DORTMUND_KPI_OEFFENTLICH"  # public mode: only public items (serve --oeffentlich)
DEFAULT_DB_NAME = "dortmund_kpi.duckdb"
# Where readers report accessibility problems (an e-mail address or a web form), BITV 2.0.
ENV_FEEDBACK = "DORTMUND_KPI_FEEDBACK"


@dataclass(frozen=True)
class Settings:
    """Resolved locations of the catalog, reference data and database."""

    data_dir: Path
    db_path: Path
    max_import_bytes: int = 50 * 1024 * 1024
    feedback_contact: str = ""
    public: bool = False  # public mode: every read connection shows only public items

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.yaml"

    @property
    def districts_path(self) -> Path:
        return self.data_dir / "districts.csv"

    @property
    def official_dir(self) -> Path:
        return self.data_dir / "official"

    @property
    def official_sources_path(self) -> Path:
        """The manifest of published tables ``init`` loads (files in ``official/sources/``)."""
        return self.official_dir / "sources.yaml"

    @property
    def peers_path(self) -> Path:
        """Peer groups and the tables of the comparison's regions."""
        return self.data_dir / "peers.yaml"

    @property
    def measures_dir(self) -> Path:
        """Demo measures (Maßnahmen) loaded by ``init``; real ones come by import."""
        return self.data_dir / "measures"

    @property
    def trends_dir(self) -> Path:
        """Demo trends (Technologiescout) loaded by ``init``, in file name order (each file
        one review); real ones come by import."""
        return self.data_dir / "trends"

    @property
    def geo_dir(self) -> Path:
        return self.data_dir / "geo"

    @property
    def schematic_geometry_path(self) -> Path:
        return self.geo_dir / "stadtbezirke_schematisch.geojson"

    @property
    def signin_dir(self) -> Path:
        """Views remembered across the editor sign-in, shared by all replicas (``deeplink``)."""
        return self.db_path.parent / (self.db_path.name + ".anmeldungen")

    @property
    def official_geometry_path(self) -> Path:
        """Where ``dortmund-kpi geometry`` stores the city's official district polygons."""
        return self.db_path.parent / (self.db_path.name + ".stadtbezirke.geojson")


def default_db_dir(data_dir: Path) -> Path:
    """Beside the reference data in a checkout; in the working directory when installed
    (the package's folder may be read-only and is replaced by every upgrade)."""
    return data_dir if IS_CHECKOUT or os.environ.get(ENV_DATA_DIR) else Path.cwd()


def get_settings(db: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from the environment; an explicit ``db`` (the ``--db`` option) wins."""
    data_dir = Path(os.environ.get(ENV_DATA_DIR) or PROJECT_ROOT / "data")
    db_path = Path(db or os.environ.get(ENV_DB) or default_db_dir(data_dir) / DEFAULT_DB_NAME)
    try:
        max_mb = float(os.environ.get(ENV_MAX_IMPORT_MB) or 50)
    except ValueError:  # a typo in the environment must not break every command
        max_mb = 50.0
    public = os.environ.get(ENV_PUBLIC, "").strip().lower() in ("1", "ja", "true")
    return Settings(
        data_dir=data_dir,
        db_path=db_path,
        max_import_bytes=int(max_mb * 1024 * 1024),
        feedback_contact=(os.environ.get(ENV_FEEDBACK) or "").strip(),
        public=public,
    )
