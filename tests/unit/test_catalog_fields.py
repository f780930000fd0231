"""Metadata as data: an indicator's fields are declared once (``fields.FIELDS``) and
that declaration is the YAML check, the database insert and the README's field table;
the masterplans are whatever the catalog lists."""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from dortmund_kpi import status, texts
from dortmund_kpi.catalog import BLOCKS, CatalogError, Indicator, parse_catalog, stored_values
from dortmund_kpi.db import read
from dortmund_kpi.db.schema import migrate
from dortmund_kpi.db.write import INSERT_INDICATOR, sync_reference
from dortmund_kpi.districts import load_districts
from dortmund_kpi.fields import FIELDS, INDICATOR_COLUMNS, field_table
from dortmund_kpi.settings import get_settings
from dortmund_kpi.views import overview as views

SETTINGS = get_settings()
PATH = Path("data/catalog.yaml")
README = Path(__file__).resolve().parents[2] / "data" / "README.md"


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(SETTINGS.catalog_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def districts() -> list:
    return load_districts(SETTINGS.districts_path)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple[str, str]]:
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return {name: (kind, nullable) for name, kind, nullable in rows}


def _entry(document: dict, index: int = 0, **changes: object) -> dict:
    """The document with indicator ``index`` changed (a value of ... drops the key)."""
    doc = copy.deepcopy(document)
    for key, value in changes.items():
        if value is ...:
            doc["indicators"][index].pop(key, None)
        else:
            doc["indicators"][index][key] = value
    return doc


# -- one declaration -----------------------------------------------------------------
def test_readme_field_table_is_the_declaration():
    """data/README.md shows exactly the table ``field_table`` makes from ``FIELDS``
    (regenerate it with ``python -m dortmund_kpi.fields``)."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- field table:.*?-->\n(.*?)<!-- end of field table -->", text, re.S)
    assert match, "the field table markers are missing in data/README.md"
    assert match.group(1).strip() == field_table()


def test_indicators_table_after_all_migrations_has_the_declared_columns():
    """Column, type and NULL-ability of every stored field, plus sort_order: a new field
    needs a new migration."""
    con = duckdb.connect()
    migrate(con)
    expected = {
        f.column: (
            f.sql_type,
            "NO" if f.block is None and (f.required or f.default is not None) else "YES",
        )
        for f in FIELDS
        if f.column
    }
    assert _columns(con, "indicators") == expected | {"sort_order": ("INTEGER", "NO")}


def test_indicator_attributes_are_the_declared_fields():
    declared = {f.name.split(".", 1)[0] for f in FIELDS}
    assert declared == {a.name for a in dataclasses.fields(Indicator)}
    for block, cls in BLOCKS.items():
        keys = {f.key for f in FIELDS if f.block == block}
        assert keys == {a.name for a in dataclasses.fields(cls)}
    assert len({f.yaml_key for f in FIELDS}) == len(FIELDS)
    assert len(set(INDICATOR_COLUMNS)) == len(INDICATOR_COLUMNS)


def test_every_choice_is_named_in_the_table():
    rows = {line.split(" | ", 1)[0].strip("| `"): line for line in field_table().splitlines()}
    for f in FIELDS:
        for choice in f.choices:
            assert f"`{choice}`" in rows[f.yaml_key], (f.yaml_key, choice)


def test_insert_is_by_name_with_bound_values():
    assert INSERT_INDICATOR.startswith(
        f"INSERT OR REPLACE INTO indicators ({', '.join(INDICATOR_COLUMNS)}, sort_order) VALUES"
    )
    assert INSERT_INDICATOR.count("?") == len(INDICATOR_COLUMNS) + 1


def test_stored_rows_hold_every_declared_value(document, districts):
    """Even in a table whose columns are in another order (the insert names them)."""
    catalog = parse_catalog(PATH, document)
    con = duckdb.connect()
    migrate(con)
    columns = list(_columns(con, "indicators").items())
    con.execute("DROP TABLE indicators")
    reordered = ", ".join(f"{name} {kind}" for name, (kind, _) in reversed(columns))
    con.execute(f"CREATE TABLE indicators ({reordered}, PRIMARY KEY (id))")
    sync_reference(con, catalog, districts)
    frame = con.execute("SELECT * FROM indicators ORDER BY sort_order").df()
    assert list(frame["id"]) == catalog.ids
    assert list(frame["sort_order"]) == list(range(len(catalog.ids)))
    for ind, row in zip(catalog.indicators, frame.to_dict("records"), strict=True):
        got = {k: (None if pd.isna(v) else v) for k, v in row.items() if k != "sort_order"}
        assert got == stored_values(ind), ind.id
    with_target = next(i for i in catalog.indicators if i.target is not None)
    assert stored_values(with_target)["target_year"] == with_target.target.year


# -- the check is the declaration's ----------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"per_capita": "ja"}, "per_capita muss true oder false sein, nicht 'ja'"),
        (
            {"per_capita": True, "aggregation": "mean_pop"},
            "per_capita: true nur für Anzahlen (aggregation: sum)",
        ),
        ({"decimals": 1.5}, "decimals muss eine ganze Zahl sein, nicht '1.5'"),
        ({"decimals": True}, "decimals muss eine ganze Zahl sein, nicht 'True'"),
        ({"min": True}, "min muss eine Zahl sein, nicht 'True'"),
        ({"name": ["a", "b"]}, "name muss ein Text sein, nicht '['a', 'b']'"),
        ({"level": "land"}, "level 'land' ungültig (erwartet: city, district)"),
        ({"target": {"year": 2030}}, "Pflichtfeld 'target.value' fehlt"),
        (
            {"target": {"value": 1, "year": "bald"}},
            "target.year muss eine ganze Zahl sein, nicht 'bald'",
        ),
        (
            {"target": {"value": 1, "year": 1999}},
            "target.year '1999' ungültig (erwartet ein Jahr wie 2025)",
        ),
        (
            {"target": {"value": 1, "year": 2030, "official": True}},
            "ein amtlicher Zielwert braucht target.source",
        ),
        (
            {"target": 300},
            "target muss ein Block mit value, year, official, source sein, nicht '300'",
        ),
        ({"demo": {"start": "viel"}}, "demo.start muss eine Zahl sein, nicht 'viel'"),
        ({"frequency": ...}, "Pflichtfeld 'frequency' fehlt"),
    ],
)
def test_field_errors_name_file_entry_and_key(document, changes, message):
    with pytest.raises(CatalogError) as raised:
        parse_catalog(PATH, _entry(document, **changes))
    assert str(raised.value) == f"{PATH}: indicator 'online_dienstleistungen': {message}"


def test_optional_fields_take_their_defaults(document):
    doc = _entry(document, per_capita=..., decimals=..., source_url=..., target=..., demo=...)
    ind = parse_catalog(PATH, doc).indicators[0]
    assert (ind.per_capita, ind.decimals, ind.source_url, ind.target) == (False, 0, None, None)
    assert (ind.demo_start, ind.demo_end) == (None, None)
    stored = stored_values(ind)
    assert [stored[c] for c in ("target_value", "target_year", "target_official")] == [None] * 3
    target = parse_catalog(PATH, _entry(document, target={"value": 5, "year": 2030})).indicators[0]
    assert target.target is not None
    assert (target.target.value, target.target.official, target.target.source) == (5.0, False, "")


def test_percent_bounds_default_to_0_and_100(document):
    doc = _entry(document, unit="%", min=..., max=...)
    ind = parse_catalog(PATH, doc).indicators[0]
    assert (ind.min, ind.max) == (0.0, 100.0)


# -- masterplans from the catalog -------------------------------------------------------
def _fourth_plan(document: dict) -> dict:
    doc = copy.deepcopy(document)
    doc["masterplans"].append(
        {"id": "umwelt", "name": "Masterplan Digitale Umwelt", "short_name": "Umwelt"}
    )
    doc["indicators"].append(
        {
            "id": "sensoren_luft",
            "masterplan": "umwelt",
            "name": "Vernetzte Luftmessstellen",
            "short_name": "Luftsensoren",
            "unit": "%",
            "definition": "Anteil vernetzter Luftmessstellen.",
            "source": "Stadt Dortmund, Umweltamt",
            "direction": "higher",
            "aggregation": "mean_pop",
            "level": "district",
            "frequency": "yearly",
            "target": {"value": 50, "year": 2030},
        }
    )
    return doc


def test_a_fourth_masterplan_loads(document):
    catalog = parse_catalog(PATH, _fourth_plan(document))
    assert catalog.masterplan_ids == ("verwaltung", "wirtschaft", "bildung", "umwelt")
    assert [i.id for i in catalog.by_masterplan("umwelt")] == ["sensoren_luft"]


def _stats(indicator_id: str, areas: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "area": areas,
            "latest": 60.0,
            "latest_end": pd.Timestamp(2024, 12, 31),
            "base_value": 10.0,
            "base_date": pd.Timestamp(2018, 12, 31),
            "slope_per_year": np.nan,
        }
    )


def test_the_matrix_has_a_column_for_a_fourth_masterplan(document, districts):
    catalog = parse_catalog(PATH, _fourth_plan(document))
    con = duckdb.connect()
    migrate(con)
    sync_reference(con, catalog, districts)
    district_frame = read.district_list(con)
    cells = views.matrix(
        _stats("sensoren_luft", ["dortmund"]),
        _stats("sensoren_luft", list(district_frame["slug"])),
        read.indicator_list(con),
        district_frame,
    )
    table = views.matrix_table(cells, read.masterplan_names(con))
    assert list(table.columns) == [
        texts.MATRIX_DISTRICT,
        "Verwaltung",
        "Wirtschaft",
        "Bildung",
        "Umwelt",
    ]
    icon = texts.STATUS_ICONS[status.ON_TRACK]
    assert set(table["Umwelt"]) == {f"{icon} auf Kurs ({icon} 1)"}
    assert set(table["Bildung"]) == {f"– {texts.NO_TARGET} (ohne Ziel)"}


@pytest.mark.parametrize(
    ("plans", "message"),
    [
        ([], "masterplans: Liste der Masterpläne fehlt oder ist leer"),
        ([{"id": "Umwelt!"}], "masterplan 'Umwelt!': id muss ein Slug sein (a-z, 0-9, _)"),
        ([{"name": "ohne id"}], "masterplan '#1': braucht eine id"),
        (["umwelt"], "masterplan 'umwelt': braucht eine id"),
        ([{"id": "umwelt"}, {"id": "umwelt"}], "masterplans: doppelte Masterplan-ID"),
    ],
)
def test_masterplan_list_errors(document, plans, message):
    doc = copy.deepcopy(document)
    doc["masterplans"] = plans
    with pytest.raises(CatalogError) as raised:
        parse_catalog(PATH, doc)
    assert str(raised.value) == f"{PATH}: {message}"
