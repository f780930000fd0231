"""The aggregates materialised with each version answer exactly as the live queries.

Every read that can answer from the aggregates (``db.aggregates``) is compared with the
same read on a copy of the version whose aggregates are switched off (``mat_meta``
emptied, so ``db.read`` computes everything live): on the fixture database, and on the
database after an import that revises values, adds a year and a city value derived from
the districts. A write that skipped the rebuild would leave stale aggregates and fail.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dortmund_kpi.db import aggregates, materialise, read
from dortmund_kpi.db.schema import LATEST_VERSION, migrate, schema_version
from dortmund_kpi.db.store import Store, connect_file, in_utc
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import Settings

DISTRICTS = [
    "Aplerbeck",
    "Brackel",
    "Eving",
    "Hombruch",
    "Huckarde",
    "Hörde",
    "Innenstadt-Nord",
    "Innenstadt-Ost",
    "Innenstadt-West",
    "Lütgendortmund",
    "Mengede",
    "Scharnhorst",
]
DEMO = "Demodaten (generiert, nicht amtlich);demo"
# A revised district value at the latest period, a revised city value at the first one,
# and a month of a new year for every district and no city value: the city's is derived,
# and the default years grow to 2026.
REVISION = "\n".join(
    [
        "indikator;bezirk;zeitraum;wert;anmerkung;quelle;datenart",
        f"glasfaser_haushalte;Hörde;2025;50,1;;{DEMO}",
        f"online_dienstleistungen;Dortmund;2018-Q1;41;;{DEMO}",
        *(f"wlan_hotspots;{d};2026-01;{40 + n};;{DEMO}" for n, d in enumerate(DISTRICTS)),
    ]
)


@pytest.fixture
def revised_db(db_copy: Settings, tmp_path: Path) -> Settings:
    revision = tmp_path / "revision.csv"
    revision.write_text(REVISION + "\n", encoding="utf-8")
    run_import([revision], db_copy, user="test")
    return db_copy


def _connections(settings: Settings, tmp_path: Path) -> Iterator[tuple]:
    """The published version (aggregates on) and a copy of it computing live."""
    published = Store(settings.db_path).current_file()
    live_file = tmp_path / "live.duckdb"
    shutil.copyfile(published, live_file)
    with duckdb.connect(str(live_file)) as con:
        con.execute(f"DELETE FROM {aggregates.META_TABLE}")
    with connect_file(published, public=False) as built, connect_file(live_file, False) as live:
        assert aggregates.built_range(built, None) is not None
        assert aggregates.built_range(live, None) is None
        yield built, live


def _same(built: pd.DataFrame, live: pd.DataFrame, keys: list[str]) -> None:
    """Equal frames; rows compared in key order where the live query has no order."""
    assert len(live), "the case must have rows to compare"
    if keys:
        built = built.sort_values(keys, ignore_index=True)
        live = live.sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(built, live)


def _ranges(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    lo, hi = read.data_range(con)
    return [(lo, hi), (lo + 1, hi), (lo, hi - 1), (lo + 2, lo + 4), (hi, hi), (2000, 2040)]


def _compare_every_read(settings: Settings, tmp_path: Path) -> None:
    for built, live in _connections(settings, tmp_path):
        ids = list(read.indicator_list(live)["id"])
        areas = ["dortmund", *read.district_names(live)]
        for lo, hi in _ranges(live):
            for city in (True, False):
                _same(
                    read.series_stats(built, lo, hi, city=city),
                    read.series_stats(live, lo, hi, city=city),
                    ["indicator_id", "area"],
                )
            _same(read.sparklines(built, lo, hi), read.sparklines(live, lo, hi), [])
            _same(read.series(built, ids, areas, lo, hi), read.series(live, ids, areas, lo, hi), [])
        lo, hi = read.data_range(live)
        for indicator in ids:  # one indicator, the city and a district, as a page asks
            got = read.series(built, [indicator], ["dortmund", "hoerde"], lo, hi)
            pd.testing.assert_frame_equal(
                got, read.series(live, [indicator], ["dortmund", "hoerde"], lo, hi)
            )
        _same(read.freshness(built), read.freshness(live), [])
        for lo, hi in _ranges(live)[:3]:
            for slug in areas[1:]:
                got = read.district_profile(built, slug, lo, hi)
                pd.testing.assert_frame_equal(got, read.district_profile(live, slug, lo, hi))


def test_aggregates_answer_as_the_live_queries(fixture_db: Settings, tmp_path: Path):
    _compare_every_read(fixture_db, tmp_path)


def test_aggregates_follow_an_import_that_revises_values(revised_db: Settings, tmp_path: Path):
    with Store(revised_db.db_path).connect_read(public=False) as con:
        assert aggregates.built_range(con, None) == (2018, 2026)
        derived = con.execute(
            f"SELECT value FROM {aggregates.CITY_SERIES_TABLE} WHERE derived "
            "AND indicator_id = 'wlan_hotspots' AND period = '2026-01'"
        ).fetchall()
        assert derived == [(sum(40 + n for n in range(len(DISTRICTS))),)]
    _compare_every_read(revised_db, tmp_path)


def test_a_pinned_view_is_computed_live(revised_db: Settings):
    """A ``stand=`` before the revision shows the old values, not the aggregates."""
    with Store(revised_db.db_path).connect_read(public=False) as con:
        log = read.import_log(con)
        before = log["finished_at"].iloc[1].to_pydatetime()  # the import before the revision
        assert aggregates.built_range(con, before) is None
        lo, hi = read.data_range(con)
        pinned = read.series_stats(con, lo, hi, as_of=before, city=False)
        current = read.series_stats(con, lo, hi, city=False)
    hoerde = "indicator_id == 'glasfaser_haushalte' and area == 'hoerde'"
    assert pinned.query(hoerde)["latest"].tolist() == [48.64]
    assert current.query(hoerde)["latest"].tolist() == [50.1]


def test_a_failed_write_leaves_the_aggregates_unchanged(db_copy: Settings):
    store = Store(db_copy.db_path)
    with store.connect_read(public=False) as con:
        before = con.execute(f"SELECT * FROM {aggregates.STATS_TABLE}").df()
    with pytest.raises(RuntimeError), store.write() as con:
        con.execute("UPDATE observations SET value = value + 1")
        raise RuntimeError("the import failed")
    with store.connect_read(public=False) as con:
        pd.testing.assert_frame_equal(
            con.execute(f"SELECT * FROM {aggregates.STATS_TABLE}").df(), before
        )


def test_an_old_database_gains_the_aggregates_on_migrate(fixture_db: Settings, tmp_path: Path):
    """A database of schema 8 (the fixture's rows in tables of migrations 1-8) is
    migrated when the app starts (``ensure_schema``): its aggregates are built."""
    old = tmp_path / "old.duckdb"
    with in_utc(duckdb.connect(str(old))) as con:
        migrate(con, target=8)
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(fixture_db.db_path.resolve())])
        for table in ("masterplans", "districts", "indicators", "import_log", "observations"):
            con.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
        con.execute("DETACH src")
    store = Store(old)
    assert store.ensure_schema() is True
    with (
        store.connect_read(public=False) as con,
        connect_file(fixture_db.db_path.resolve(), False) as fixture,
    ):
        assert schema_version(con) == LATEST_VERSION
        assert aggregates.built_range(con, None) == read.data_range(fixture)
        lo, hi = read.data_range(con)
        for city in (True, False):
            _same(
                read.series_stats(con, lo, hi, city=city),
                read.series_stats(fixture, lo, hi, city=city),
                ["indicator_id", "area"],
            )
        assert len(con.execute(f"SELECT * FROM {aggregates.CITY_SERIES_TABLE}").fetchall())


def test_public_mode_shows_aggregates_of_public_indicators_only(db_copy: Settings):
    store = Store(db_copy.db_path)
    with store.write() as con:
        con.execute("UPDATE indicators SET visibility = 'intern' WHERE id = 'wlan_hotspots'")
    file = store.current_file()
    tables = aggregates.TABLES[1:]  # each but the year range
    for public in (False, True):
        with connect_file(file, public=public) as con:
            for table in tables:
                ids = {r[0] for r in con.execute(f"SELECT indicator_id FROM {table}").fetchall()}
                assert ("wlan_hotspots" in ids) is not public, (table, public)
            lo, hi = read.data_range(con)
            assert ("wlan_hotspots" in set(read.series_stats(con, lo, hi)["indicator_id"])) is (
                not public
            )


def test_the_staleness_comparison_ignores_row_order_also_within_one_key():
    # A database broken by hand can hold two current values of one key: built and live
    # rows then differ only in their measure, and may arrive in either order.
    rows = {"indicator_id": ["a", "a", "b"], "period": ["2021"] * 3, "value": [1.0, 2.0, 3.0]}
    built = pd.DataFrame(rows)
    for order in ([1, 0, 2], [2, 1, 0], [0, 2, 1]):
        assert materialise._same(built, built.iloc[order].reset_index(drop=True))
    changed = built.assign(value=[1.0, 2.5, 3.0])
    assert not materialise._same(built, changed.iloc[[1, 0, 2]].reset_index(drop=True))
