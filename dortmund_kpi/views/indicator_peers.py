"""The indicator page's "im Vergleich" panel: the comparison page's numbers in one line.

Built from ``views.comparison.numbers`` (the page's data, nothing drawn) for the
indicator and the first peer group, so the panel and the page it links to cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from dortmund_kpi.views import comparison
from dortmund_kpi.views.common import Query, View, depends_on

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
    # Another indicator shown (none of the view's in the peer values): no panel.
    if view.indicator not in page.options or page.notice or page.indicator is None:
        return None
    if not page.standing_text or page.group is None:  # no rank of Dortmund: no panel
        return None
    return PeerPanel(page.standing_text, page.group.id, str(page.indicator["id"]))
