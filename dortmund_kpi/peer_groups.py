"""Peer groups and the comparison's rules: ``data/peers.yaml``, ranks and per-capita values.

A peer group is data: an id, a German name and a list of official municipality keys
(AGS, 8 digits). Dortmund (``05913000``) belongs to every group. The same file names the
official tables the regions come from (``ingest.peer_regions`` reads them).

How a value compares is the catalog's ``peers`` field: ``as_is`` (shares, rates), or an
absolute count per 1,000 inhabitants (``per_1000``) or per km² (``per_km2``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dortmund_kpi import os_text
from dortmund_kpi.geometry import map_view
from dortmund_kpi.settings import Settings, get_settings

DORTMUND_AGS = "05913000"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_AGS = re.compile(r"^[0-9]{8}$")


class PeerFileError(ValueError):
    """``peers.yaml`` is broken; the message names the file and the entry."""


@dataclass(frozen=True)
class PeerGroup:
    id: str
    name: str
    ags: tuple[str, ...]


@dataclass(frozen=True)
class PeerConfig:
    groups: tuple[PeerGroup, ...]
    raw: dict[str, Any]

    @property
    def ids(self) -> list[str]:
        return [g.id for g in self.groups]

    def group(self, group_id: str) -> PeerGroup:
        return next((g for g in self.groups if g.id == group_id), self.groups[0])


def _key(value: Any) -> str:
    """An AGS as written; a key that YAML read as a number gets its leading zero back."""
    text = str(value).strip()
    return text.zfill(8) if text.isdigit() and len(text) == 7 else text


def _group(path: Path, index: int, raw: Any) -> PeerGroup:
    where = f"{path}: gruppen[{index}]"
    if not isinstance(raw, dict):
        raise PeerFileError(f"{where}: ein Block mit id, name und ags")
    group_id, name, keys = raw.get("id"), raw.get("name"), raw.get("ags")
    if not isinstance(group_id, str) or not _ID.match(group_id):
        raise PeerFileError(f"{where}: id {group_id!r} ist kein Kürzel (a-z, 0-9, _)")
    if not isinstance(name, str) or not name.strip():
        raise PeerFileError(f"{where} ({group_id}): name fehlt")
    if not isinstance(keys, list) or not keys:
        raise PeerFileError(f"{where} ({group_id}): ags ist eine Liste von Gemeindeschlüsseln")
    found = [_key(k) for k in keys]
    bad = [k for k in found if not _AGS.match(k)]
    if bad:
        raise PeerFileError(f"{where} ({group_id}): kein 8-stelliger Gemeindeschlüssel: {bad[0]}")
    ordered = dict.fromkeys([DORTMUND_AGS, *found])
    return PeerGroup(group_id, " ".join(name.split()), tuple(ordered))


def load_peer_config(path: Path) -> PeerConfig:
    """The groups of ``peers.yaml`` (an empty configuration if the file is absent)."""
    if not path.exists():
        return PeerConfig((), {})
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PeerFileError(f"{path}: nicht lesbar ({os_text.describe(exc)})") from exc
    if not isinstance(data, dict):
        raise PeerFileError(f"{path}: erwartet die Blöcke regionen, flaeche und gruppen")
    groups = tuple(_group(path, i, g) for i, g in enumerate(data.get("gruppen") or []))
    if len({g.id for g in groups}) != len(groups):
        raise PeerFileError(f"{path}: eine Gruppen-id kommt doppelt vor")
    return PeerConfig(groups, data)


def comparable(value: float, mode: str, population: float | None, area: float | None) -> float:
    """A value as compared: as it is, per 1,000 inhabitants or per km² (NaN where the
    region's population or area is unknown)."""
    if mode == "per_1000":
        return value / population * 1000 if population and population > 0 else math.nan
    if mode == "per_km2":
        return value / area if area and area > 0 else math.nan
    return value


def ranks(values: list[float], higher_is_better: bool) -> list[int]:
    """Competition ranks (1 = best; equal values share a rank, the next rank skips)."""
    return [
        1 + sum((other > v) if higher_is_better else (other < v) for other in values)
        for v in values
    ]


@lru_cache(maxsize=4)
def _cached(path: Path, mtime_ns: int) -> PeerConfig:
    del mtime_ns  # part of the cache key only: an edited file is read again
    return load_peer_config(path)


def peer_config(settings: Settings | None = None) -> PeerConfig:
    """The peer groups of the data folder in use (read again when the file changes)."""
    path = (settings or get_settings()).peers_path
    return _cached(path, path.stat().st_mtime_ns if path.exists() else 0)


def group_ids(settings: Settings | None = None) -> tuple[str, ...]:
    """The ids of the groups, none while the file is broken: every page still opens, and
    the comparison page says what is wrong."""
    try:
        return tuple(peer_config(settings).ids)
    except PeerFileError:
        return ()


@lru_cache(maxsize=4)
def _region_map(path: Path, mtime_ns: int) -> tuple[dict, tuple[dict, float]] | None:
    del mtime_ns
    if not path.is_file():
        return None
    geojson = json.loads(path.read_text(encoding="utf-8"))
    return geojson, map_view(geojson, width=520, height=420)


def region_map(settings: Settings | None = None) -> tuple[dict, tuple[dict, float]] | None:
    """The boundaries of the municipalities around Dortmund (``flaeche`` of peers.yaml)
    with the centre and zoom that fit them; None without the file."""
    settings = settings or get_settings()
    name = peer_config(settings).raw.get("flaeche")
    if not name:
        return None
    path = settings.data_dir / str(name)
    return _region_map(path, path.stat().st_mtime_ns if path.exists() else 0)
