"""Shared fixtures: databases built through the real importer, never by hand.

``fixture_db`` is built once per test session: ``init --no-demo`` (which loads
the real published figures from data/official through the importer), then
``import tests/fixtures/kpi_fixture.csv`` (a demo series in template format) and
``import tests/fixtures/measures_fixture.csv`` (six test measures, dates chosen so
that which are overdue does not depend on the day the tests run).
Tests that change data copy it first (``db_copy``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import Settings, get_settings

FIXTURES = Path(__file__).parent / "fixtures"
KPI_FIXTURE = FIXTURES / "kpi_fixture.csv"
MEASURES_FIXTURE = FIXTURES / "measures_fixture.csv"
TREND_REVIEWS = [FIXTURES / "trends" / "valid" / f"review_{n}.csv" for n in (1, 2)]


def make_settings(db_path: Path) -> Settings:
    base = get_settings()
    return Settings(data_dir=base.data_dir, db_path=db_path, max_import_bytes=base.max_import_bytes)


def build_fixture_db(db_path: Path) -> Settings:
    settings = make_settings(db_path)
    init_database(settings, demo=False)
    run_import([KPI_FIXTURE], settings, user="fixture")
    run_import([MEASURES_FIXTURE], settings, user="fixture")
    return settings


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A read-only fixture database for the whole session (do not write to it)."""
    return build_fixture_db(tmp_path_factory.mktemp("fixture_db") / "kpi.duckdb")


@pytest.fixture
def db_copy(fixture_db: Settings, tmp_path: Path) -> Settings:
    """A private writable copy of the fixture database."""
    target = tmp_path / "kpi.duckdb"
    shutil.copyfile(fixture_db.db_path.resolve(), target)
    return make_settings(target)


@pytest.fixture(scope="session")
def trends_db(fixture_db: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture database plus two reviews of test trends (each file one import), so
    the radar has moved, new and discarded trends. Read-only, like ``fixture_db``."""
    target = tmp_path_factory.mktemp("trends_db") / "kpi.duckdb"
    shutil.copyfile(fixture_db.db_path.resolve(), target)
    settings = make_settings(target)
    for review in TREND_REVIEWS:
        run_import([review], settings, user="fixture")
    return settings


@pytest.fixture
def empty_db(tmp_path: Path) -> Settings:
    """A database with catalog, districts and the real figures, but no demo data."""
    settings = make_settings(tmp_path / "kpi.duckdb")
    init_database(settings, demo=False)
    return settings


@pytest.fixture(scope="session", autouse=True)
def _stop_image_server():
    """Chart images start one headless Chromium per process; stop it before exit."""
    yield
    from dortmund_kpi.share import downloads as exports

    exports.stop_image_server()
