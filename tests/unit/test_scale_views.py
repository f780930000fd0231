"""Pure parts of the views for many indicators: tile selection, chart groups, the matrix
table and its links, and frozen (cached) figures that serialise to the same JSON."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dortmund_kpi import status, texts
from dortmund_kpi.db import read
from dortmund_kpi.views import charts, sparkline
from dortmund_kpi.views import overview as views
from dortmund_kpi.views.figures import indicator_chart
from dortmund_kpi.views.masterplan import chart_groups


def _tile(n: int, state: str | None) -> views.Tile:
    return views.Tile(
        indicator_id=f"i{n}",
        masterplan="verwaltung",
        title=f"T{n}",
        name=f"N{n}",
        value="1",
        unit="",
        period="2024",
        change="",
        versus="",
        change_word="unverändert",
        status=state,
        target="",
        demo=False,
        sparkline_markup="",
        rising=None,
    )


def test_all_tiles_in_catalog_order_when_they_fit():
    tiles = [_tile(n, s) for n, s in enumerate([status.ON_TRACK, status.OFF_TRACK, None])]
    assert views.overview_selection(tiles, 3) == tiles


def test_capped_tiles_put_attention_first_in_catalog_order():
    states = [
        status.ON_TRACK,
        None,
        status.AT_RISK,
        status.OFF_TRACK,
        status.ON_TRACK,
        status.OFF_TRACK,
        status.AT_RISK,
    ]
    tiles = [_tile(n, s) for n, s in enumerate(states)]
    chosen = views.overview_selection(tiles, 5)
    assert [t.indicator_id for t in chosen] == ["i3", "i5", "i2", "i6", "i0"]


@pytest.mark.parametrize(
    ("count", "size", "groups"),
    [
        (0, 14, []),
        (13, 14, [(0, 13)]),
        (14, 14, [(0, 14)]),
        (15, 14, [(0, 14), (14, 15)]),
        (37, 14, [(0, 14), (14, 28), (28, 37)]),
    ],
)
def test_chart_groups(count, size, groups):
    assert chart_groups(count, size) == groups


PLANS = {"verwaltung": "Verwaltung", "wirtschaft": "Wirtschaft", "bildung": "Bildung"}


def _cells() -> list[views.MatrixCell]:
    return [
        views.MatrixCell(plan, slug, name, state, text)
        for plan, state in (
            ("verwaltung", status.ON_TRACK),
            ("wirtschaft", None),
            ("bildung", status.OFF_TRACK),
        )
        for slug, name, text in (
            ("eving", "Eving", "2 von 3 auf Kurs"),
            ("hoerde", "Hörde", "ohne Ziel"),
        )
    ]


def test_matrix_table_rows_districts_columns_masterplans():
    table = views.matrix_table(_cells(), PLANS)
    assert list(table.columns) == [texts.MATRIX_DISTRICT, "Verwaltung", "Wirtschaft", "Bildung"]
    assert list(table.index) == ["eving", "hoerde"]
    assert table.loc["eving", "Verwaltung"] == "🟢 auf Kurs (2 von 3 auf Kurs)".replace(
        "🟢", texts.STATUS_ICONS[status.ON_TRACK]
    )
    assert table.loc["hoerde", "Wirtschaft"] == f"– {texts.NO_TARGET} (ohne Ziel)"


def test_matrix_link_of_a_cell():
    table = views.matrix_table(_cells(), PLANS)
    assert views.matrix_link(table, PLANS, 1, "Bildung") == {
        "masterplan": ["bildung"],
        "bezirk": ["hoerde"],
    }
    assert views.matrix_link(table, PLANS, 0, texts.MATRIX_DISTRICT) is None
    assert views.matrix_link(table, PLANS, 5, "Bildung") is None


def test_frozen_figures_serialise_to_the_same_json(fixture_db):
    """Every masterplan chart of the fixture data: the JSON Streamlit sends is unchanged."""
    from dortmund_kpi.db.store import Store

    with Store(fixture_db.db_path).connect_read() as con:
        indicators = read.indicator_list(con)
        years = read.data_range(con)
        stats = read.series_stats(con, *years).set_index("indicator_id")
        frame = read.series(con, list(indicators["id"]), ["dortmund", "hoerde"], *years)
    checked = 0
    for _, meta in indicators.iterrows():
        part = frame[frame["indicator_id"] == meta["id"]]
        if part.empty:
            continue
        row = stats.loc[meta["id"]] if meta["id"] in stats.index else None
        fig = indicator_chart(part, meta, row, height=320)
        expected = pio.to_json(fig.to_dict(), validate=False)
        frozen = charts.freeze(fig)
        assert isinstance(frozen, charts.FrozenFigure)
        assert pio.to_json(frozen.to_dict(), validate=False) == expected
        assert frozen.to_dict() is frozen.to_dict()  # computed once
        checked += 1
    assert checked >= 20


def test_frozen_figure_keeps_dates_and_special_characters():
    fig = go.Figure(go.Scatter(x=pd_dates(), y=[1.5, None, 3], text=["</script>", "ä", "\u2028"]))
    expected = pio.to_json(fig.to_dict(), validate=False)
    assert pio.to_json(charts.freeze(fig).to_dict(), validate=False) == expected
    assert json.loads(expected)["data"][0]["text"][0] == "</script>"


def pd_dates():
    import pandas as pd

    return pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"]).values


def test_sparkline_svg_scales_values_into_the_box():
    svg = sparkline.sparkline_svg([10.0, 20.0, 15.0], "besser", "Verlauf")
    assert 'points="0.00,29.00 50.00,1.00 100.00,15.00"' in svg
    assert f'stroke="{sparkline.SPARK_COLORS["besser"]}"' in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_sparkline_svg_flat_missing_and_too_short():
    assert 'points="0.00,15.00 50.00,15.00 100.00,15.00"' in sparkline.sparkline_svg(
        [3.0, 3.0, 3.0], "unverändert", "x"
    )
    assert 'points="0.00,29.00 100.00,1.00"' in sparkline.sparkline_svg(
        [1.0, float("nan"), 2.0], "schlechter", "x"
    )
    assert sparkline.sparkline_svg([1.0], "besser", "x") == ""
    assert sparkline.sparkline_svg([], "besser", "x") == ""


def test_mixed_origin_sparkline_draws_each_stretch_as_one_line():
    # values 1..5 official except the third: the two stretches touching it are dashed
    svg = sparkline.sparkline_svg(
        [1.0, 2.0, 3.0, 2.0, 5.0, 4.0], "besser", "x", (True, True, False, True, True, True)
    )
    official = 'd="M0.00,29.00 L20.00,22.00 M60.00,22.00 L80.00,1.00 L100.00,8.00"'
    assert f'<path class="official" {official}' in svg
    assert '<path class="demo" d="M20.00,22.00 L40.00,15.00 L60.00,22.00"' in svg


def test_sparkline_svg_escapes_its_label():
    svg = sparkline.sparkline_svg([1.0, 2.0], "besser", '"><script>alert(1)</script>')
    assert "<script>" not in svg and "&quot;&gt;&lt;script&gt;" in svg
