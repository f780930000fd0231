"""Paths and options, derived from at most a few environment variables.

Every path the product uses comes from here, so tests can point the whole
application at a temporary directory by setting ``DORTMUND_KPI_DB`` (and, for
the reference data, ``DORTMUND_KPI_DATA_DIR``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_DB = "DORTMUND_KPI_DB"
ENV_DATA_DIR = "DORTMUND_KPI_DATA_DIR"
ENV_MAX_IMPORT_MB = "DORTMUND_KPI_MAX_IMPORT_MB"
ENV_PUBLIC = "DORTMUND_KPI_OEFFENTLICH"  # public mode: only public items (serve --oeffentlich)


@dataclass(frozen=True)
class Settings:
    """Resolved locations of the catalog, reference data and database."""

    data_dir: Path
    db_path: Path
    max_import_bytes: int = 50 * 1024 * 1024
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
    def official_geometry_path(self) -> Path:
        """Where ``dortmund-kpi geometry`` stores the city's official district polygons."""
        return self.db_path.parent / (self.db_path.name + ".stadtbezirke.geojson")


def get_settings(db: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from the environment; an explicit ``db`` (the ``--db`` option) wins."""
    data_dir = Path(os.environ.get(ENV_DATA_DIR) or PROJECT_ROOT / "data")
    db_path = Path(db or os.environ.get(ENV_DB) or data_dir / "dortmund_kpi.duckdb")
    try:
        max_mb = float(os.environ.get(ENV_MAX_IMPORT_MB) or 50)
    except ValueError:  # a typo in the environment must not break every command
        max_mb = 50.0
    public = os.environ.get(ENV_PUBLIC, "").strip().lower() in ("1", "ja", "true")
    return Settings(
        data_dir=data_dir,
        db_path=db_path,
        max_import_bytes=int(max_mb * 1024 * 1024),
        public=public,
    )
