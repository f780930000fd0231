"""A page build marked with ``views.common.depends_on`` reads no other view field: the app
builds its data once for every view that differs elsewhere (``View.narrowed``), so a
field it read without declaring it would show one view's data for another."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from datetime import UTC, datetime

import pytest

from dortmund_kpi import views
from dortmund_kpi.db import read
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import comparison, data, indicator_peers, trends
from dortmund_kpi.views.common import VIEW_FIELDS, Direct, View, depends_on

FIELDS = frozenset(f.name for f in dataclasses.fields(View))
READ: set[str] = set()


def _declared() -> list:
    """Every page module whose ``build`` declares its fields (a new one is checked too)."""
    found = [
        importlib.import_module(f"dortmund_kpi.views.{m.name}")
        for m in pkgutil.iter_modules(views.__path__)
    ]
    return [m for m in found if hasattr(getattr(m, "build", None), "view_fields")]


DECLARED = _declared()


def test_the_pages_that_ignore_districts_declare_their_fields() -> None:
    assert {comparison, trends, data, indicator_peers} <= set(DECLARED)


class Watched(View):
    """A view that notes which of its fields are read."""

    def __getattribute__(self, name: str):
        if name in FIELDS:
            READ.add(name)
        return object.__getattribute__(self, name)


@pytest.mark.parametrize("module", DECLARED, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_a_build_reads_only_the_fields_it_declares(trends_db: Settings, module) -> None:
    build = module.build
    with Store(trends_db.db_path).connect_read() as con:
        query = Direct(con)
        indicator = str(query(read.indicator_list)["id"].iloc[0])
        trend = str(query(trend_db.trends)["id"].iloc[0])
        lo, hi = query(read.data_range)
        view = Watched(  # every field set, none at its default
            page="vergleich",
            years=(lo, hi),
            districts=("hoerde",),
            as_of=datetime.now(UTC),
            masterplan="verwaltung",
            indicator=indicator,
            group=2,
            measure="M-1",
            per_capita=True,
            trend=trend,
            sectors="masterplan",
            peer_group="ruhr",
        )
        READ.clear()
        build(query, view)
    assert READ - {"page", "years"} <= build.view_fields, module.__name__
    assert build.view_fields <= READ  # declared fields are read (none declared in vain)


def test_a_narrowed_view_keeps_page_years_and_the_declared_fields_only() -> None:
    full = View("vergleich", (2019, 2024), ("hoerde",), indicator="x", peer_group="ruhr")
    narrow = full.narrowed(frozenset({"indicator"}))
    assert narrow == View("vergleich", (2019, 2024), indicator="x")
    assert full.narrowed(VIEW_FIELDS) == full
    with pytest.raises(ValueError, match="bezirk"):
        depends_on("bezirk")  # a URL key, not a view field


def test_only_the_comparison_view_knows_whether_an_indicator_was_chosen() -> None:
    """``indicator_chosen`` splits no other page's cached data (one view per page)."""
    values = {"zeitraum": (2018, 2025), "indikator": "glasfaser_haushalte"}
    for page in ("uebersicht", "masterplan", "indikator", "bezirke", "daten", "trends"):
        chosen = View.from_values(page, values, indicator_chosen=False)
        assert chosen == View.from_values(page, values), page
    assert not View.from_values("vergleich", values, indicator_chosen=False).indicator_chosen
