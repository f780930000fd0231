"""Peer groups as data (data/peers.yaml), competition ranks, per-capita conversion, and a
broken peers.yaml that stops init before anything is written."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.ingest.peer_regions import polygon_area_km2
from dortmund_kpi.peer_groups import (
    DORTMUND_AGS,
    PeerFileError,
    comparable,
    load_peer_config,
    ranks,
)
from dortmund_kpi.settings import Settings, get_settings


def test_the_shipped_groups() -> None:
    config = load_peer_config(get_settings().peers_path)
    assert config.ids == ["ruhr", "nrw_kreisfrei", "grossstaedte", "stadtregion"]
    ruhr = config.group("ruhr")
    assert len(ruhr.ags) == 11 and ruhr.ags[0] == DORTMUND_AGS
    assert len(config.group("nrw_kreisfrei").ags) == 22
    assert len(config.group("stadtregion").ags) == 33
    assert config.group("unbekannt") == config.groups[0]  # a stale link shows the first


def test_a_group_of_ones_own_and_its_mistakes(tmp_path: Path) -> None:
    path = tmp_path / "peers.yaml"
    path.write_text('gruppen:\n  - {id: meine, name: Meine, ags: ["05911000", 5914000]}\n')
    (group,) = load_peer_config(path).groups
    assert group.ags == (DORTMUND_AGS, "05911000", "05914000")  # a lost zero restored
    path.write_text('gruppen:\n  - {id: meine, name: Meine, ags: ["0591"]}\n')
    with pytest.raises(PeerFileError, match=r"gruppen\[0\] \(meine\): kein 8-stelliger.*0591"):
        load_peer_config(path)
    path.write_text("gruppen:\n  - {id: Meine Gruppe, name: x, ags: ['05911000']}\n")
    with pytest.raises(PeerFileError, match="kein Kürzel"):
        load_peer_config(path)


def test_competition_ranks_follow_the_direction() -> None:
    assert ranks([5.0, 9.0, 9.0, 1.0], higher_is_better=True) == [3, 1, 1, 4]
    assert ranks([5.0, 9.0, 9.0, 1.0], higher_is_better=False) == [2, 3, 3, 1]


def test_per_capita_and_per_area_by_hand() -> None:
    # 18,100 IT employees, 603,462 inhabitants: 18,100 / 603.462 = 29.9936 per 1,000
    assert comparable(18_100, "per_1000", 603_462, None) == pytest.approx(29.9936, abs=1e-4)
    # 120 hotspots on 280 km²: 0.428571… per km²
    assert comparable(120, "per_km2", None, 280.0) == pytest.approx(120 / 280)
    assert math.isnan(comparable(120, "per_1000", None, 280.0))  # no population: no value
    assert comparable(66.65, "as_is", None, None) == 66.65


def test_area_of_a_polygon() -> None:
    # a square of 0.1° × 0.1° at 51.5° N: 11.12 km × 6.92 km ≈ 76.97 km²
    square = {
        "type": "Polygon",
        "coordinates": [[[7.4, 51.45], [7.5, 51.45], [7.5, 51.55], [7.4, 51.55], [7.4, 51.45]]],
    }
    assert polygon_area_km2(square) == pytest.approx(76.97, rel=0.002)


def test_a_broken_peers_file_stops_init_with_its_name(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(get_settings().data_dir, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    (data / "peers.yaml").write_text("gruppen:\n  - {id: x, name: X, ags: [12]}\n")
    settings = Settings(data_dir=data, db_path=tmp_path / "kpi.duckdb")
    with pytest.raises(ImportFailed) as failed:
        init_database(settings, demo=False)
    (issue,) = failed.value.issues
    assert issue.file == str(data / "peers.yaml") and "8-stelliger" in issue.message
    assert not Store(settings.db_path).exists()
