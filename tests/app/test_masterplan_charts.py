"""The masterplan's small multiples and its measures timeline are static SVG; each one's
interactive plotly chart and its export buttons are drawn and sent only when its popover
is opened (``screens/plan.py``, ``ui.measures``)."""

from __future__ import annotations

from dortmund_kpi import texts
from dortmund_kpi.ui import widgets
from tests.app.conftest import assert_ok, drawings, figures, open_page


def test_an_interactive_chart_is_sent_only_when_its_popover_is_opened() -> None:
    every = figures(open_page("masterplan"))  # all opened, as the other tests see them
    assert len(every) >= 5

    closed = open_page("masterplan", charts_open=False)
    assert_ok(closed)
    assert figures(closed) == {}  # no plotly chart with the page (the timeline aside)
    smalls = [d for d in drawings(closed) if "dkpi-small-multiple" in d]
    assert len(smalls) == len(every)  # every chart still on the page, as SVG

    one = list(every)[1]
    closed.session_state[widgets.popover_key(one)] = True  # a click opens its popover
    opened = closed.run()
    assert_ok(opened)
    assert figures(opened) == {one: every[one]}  # that chart, as drawn with all open


def _export_labels(at) -> list[str]:
    shown = [b.proto.label for b in at.get("download_button")]
    shown += [c.value for c in at.caption if c.value == texts.EXPORT_NO_BROWSER]
    return [s for s in shown if s in (texts.EXPORT_PNG, texts.EXPORT_SVG, texts.EXPORT_NO_BROWSER)]


def test_a_small_multiple_s_exports_are_sent_only_when_its_popover_is_opened() -> None:
    closed = open_page("masterplan", charts_open=False)
    assert _export_labels(closed) == []  # no chart's export buttons, not even the timeline's

    one = next(iter(figures(open_page("masterplan"))))
    closed.session_state[widgets.popover_key(one)] = True
    opened = closed.run()
    assert_ok(opened)
    # That chart's PNG and SVG (or, without a browser for images, the note saying so).
    assert _export_labels(opened) in (
        [texts.EXPORT_PNG, texts.EXPORT_SVG],
        [texts.EXPORT_NO_BROWSER],
    )


def test_the_measures_timeline_is_svg_its_chart_and_exports_on_demand() -> None:
    """The timeline is drawn as SVG with the page; its plotly chart (the same figure as
    with every popover open) and its exports are sent when its popover is opened."""
    every = figures(open_page("masterplan"), include_measures=True)
    closed = open_page("masterplan", charts_open=False)
    svg = [d for d in drawings(closed) if "dkpi-responsive" in d]
    assert len(svg) == 1 and svg[0].count("<svg") == 2  # for a desk and for a phone
    assert 'class="bar"' in svg[0] and texts.MEASURES_TODAY in svg[0]
    assert figures(closed, include_measures=True) == {}

    closed.session_state[widgets.popover_key("measures_verwaltung")] = True
    opened = closed.run()
    assert_ok(opened)
    drawn = figures(opened, include_measures=True)
    assert drawn == {"measures_verwaltung": every["measures_verwaltung"]}
    assert _export_labels(opened) in (
        [texts.EXPORT_PNG, texts.EXPORT_SVG],
        [texts.EXPORT_NO_BROWSER],
    )
