"""Daten & Methodik: the catalog, freshness of every indicator, the import log and the
rejected imports.

Freshness is judged against today, also in a pinned view: "is a value due" is a question
of now. The rejected imports come from their log file, not from a database version.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dortmund_kpi import clock, geometry
from dortmund_kpi.db import read
from dortmund_kpi.ingest.importer import rejected_imports
from dortmund_kpi.settings import get_settings
from dortmund_kpi.views import tables
from dortmund_kpi.views.common import Query, View, depends_on, stand_of

HONOURED = frozenset({"stand", "praesentation", "massnahme"})


@dataclass(frozen=True)
class DataPageData:
    view: View
    catalog: pd.DataFrame
    freshness: pd.DataFrame
    freshness_stand: str
    freshness_demo: bool
    import_log: pd.DataFrame
    rejected: pd.DataFrame
    schematic_map: bool  # the district borders are schematic until the official ones load
    honoured: frozenset[str] = HONOURED


@depends_on("as_of")
def build(query: Query, view: View) -> DataPageData:
    fresh = query(read.freshness, as_of=view.as_of)
    rejected = rejected_imports(get_settings())
    return DataPageData(
        view=view,
        catalog=tables.catalog_table(query(read.indicator_list)),
        freshness=tables.freshness_table(fresh, clock.today()),
        freshness_stand=stand_of(fresh, "updated"),
        freshness_demo=bool(fresh["any_demo"].fillna(False).any()),
        import_log=tables.import_log_table(query(read.import_log, as_of=view.as_of)),
        rejected=tables.rejected_table(rejected) if len(rejected) else rejected,
        schematic_map=geometry.current_geometry(get_settings()).schematic,
    )
