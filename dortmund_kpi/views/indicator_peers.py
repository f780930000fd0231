"""The indicator page's "im Vergleich" panel: the comparison page's numbers in one line.

Built from ``views.comparison.numbers`` (the page's data, nothing drawn) for the
indicator and the first peer group, so the panel and the page it links to cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from dortmund_kpi import texts
from dortmund_kpi.views import comparison
from dortmund_kpi.views.common import Query, View, depends_on, period_text

HONOURED = frozenset({"indikator"})


@dataclass(frozen=True)
class PeerPanel:
    text: str
    group: str
    indicator: str


@depends_on("as_of", "indicator")
def build(query: Query, view: View) -> PeerPanel | None:
    """The panel for the view's indicator; None when it has no peer values."""
    compared = View("vergleich", view.years, as_of=view.as_of, indicator=view.indicator)
    page = comparison.numbers(query, compared)  # the first peer group; nothing drawn
    latest = page.latest
    # Another indicator shown (none of the view's in the peer values): no panel.
    if view.indicator not in page.options or page.notice or page.indicator is None:
        return None
    if latest is None or latest.rank is None:
        return None
    assert page.group is not None  # a page with an indicator has a group

    def shown(value: float | None) -> str:
        return comparison.value_text(value, page.unit, page.decimals)

    text = texts.COMPARISON_PANEL_TEXT.format(
        period=period_text(latest.period),
        rank=latest.rank,
        n=latest.n,
        group=page.group.name,
        value=shown(latest.dortmund),
        median=shown(latest.median),
        best=shown(latest.best),
        best_name=latest.best_name,
    )
    return PeerPanel(text, page.group.id, str(page.indicator["id"]))
