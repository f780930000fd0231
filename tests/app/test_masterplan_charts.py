"""The masterplan's small multiples are static SVG; each one's interactive plotly chart
is drawn and sent only when its popover is opened (``screens/plan.py``)."""

from __future__ import annotations

from dortmund_kpi.ui import widgets
from tests.app.conftest import assert_ok, figures, open_page


def test_an_interactive_chart_is_sent_only_when_its_popover_is_opened() -> None:
    every = figures(open_page("masterplan"))  # all opened, as the other tests see them
    assert len(every) >= 5

    closed = open_page("masterplan", charts_open=False)
    assert_ok(closed)
    assert figures(closed) == {}  # no plotly chart with the page (the timeline aside)
    smalls = [m for m in closed.markdown if "dkpi-small-multiple" in m.value]
    assert len(smalls) == len(every)  # every chart still on the page, as SVG

    one = list(every)[1]
    closed.session_state[widgets.popover_key(one)] = True  # a click opens its popover
    opened = closed.run()
    assert_ok(opened)
    assert figures(opened) == {one: every[one]}  # that chart, as drawn with all open
