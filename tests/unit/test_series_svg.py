"""The district page's time series as static SVG (``small_svg.series_markup``):
a desk and a phone drawing of the same figure, and every point's tooltip says what the
interactive chart's hover says: area, period, value with unit, official or demo. Built
from the fixture database's page data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from dortmund_kpi import formatting
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import charts, districts
from dortmund_kpi.views.common import PER_1000_DECIMALS, Direct, View

NS = "{http://www.w3.org/2000/svg}"
YEARS = (2018, 2026)
NUMBER = r"-?[\d.]+(,\d+)?"  # a German number as the drawing writes it
AREAS = {"dortmund": "Dortmund (gesamt)", "hoerde": "Hörde"}


@pytest.fixture(scope="module")
def chart(fixture_db: Settings) -> districts.DistrictChart:
    with Store(fixture_db.db_path).connect_read() as con:
        view = View("bezirke", YEARS, districts=("hoerde",), indicator="online_antraege")
        found = districts.build(Direct(con), view).chart
    assert found is not None and found.figure is not None, "precondition: a chart"
    return found


def _drawings(markup: str) -> list[ET.Element]:
    root = ET.fromstring(markup)  # well-formed: names and texts are escaped
    return list(root.iter(f"{NS}svg"))


def _tips(svg: ET.Element) -> list[str]:
    group = next(g for g in svg.iter(f"{NS}g") if g.get("class") == "tips")
    return [c.find(f"{NS}title").text or "" for c in group.iter(f"{NS}circle")]


def test_a_desk_and_a_phone_drawing_of_the_same_series(chart) -> None:
    assert chart.svg.startswith('<div class="dkpi-responsive">')
    wide, narrow = _drawings(chart.svg)
    assert wide.get("viewBox").split()[2] == "960" and narrow.get("viewBox").split()[2] == "440"
    assert _tips(wide) == _tips(narrow)


def test_every_point_tells_area_period_value_and_origin(chart) -> None:
    tips = set(_tips(_drawings(chart.svg)[0]))
    unit, decimals = chart.indicator["unit"], int(chart.indicator["decimals"])
    assert len(tips) == len(chart.frame) > 4
    for row in chart.frame.itertuples():
        value = formatting.number(float(row.value), decimals)
        origin = charts.KINDS[bool(row.is_official)]
        found = [
            t
            for t in tips
            if t.startswith(f"{AREAS.get(row.area, row.area_name)}\n")
            and f": {value} {unit}\n" in t
        ]
        assert found and all(t.endswith(origin) for t in found), (row, sorted(tips)[:3])


def test_axis_ticks_round_values_keep_their_decimals(chart) -> None:
    """Counts per 1,000 inhabitants have two decimals: the value axis says "400", not
    "400,00", as plotly's axis (``charts.axis_format``); a point's value keeps both."""
    assert chart.figure.layout.yaxis.tickformat == charts.axis_format(PER_1000_DECIMALS)
    wide, _ = _drawings(chart.svg)
    numbers = [t.text for t in wide.iter(f"{NS}text") if re.fullmatch(NUMBER, t.text or "")]
    assert len(numbers) >= 3, numbers
    assert not [n for n in numbers if re.search(r",\d*0$", n)], numbers
    assert all(re.search(r": [\d.]+,\d\d ", tip) for tip in _tips(wide)), _tips(wide)
