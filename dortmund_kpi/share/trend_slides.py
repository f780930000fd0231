"""The Technologiescout's slides: the radar, the trends per ring, an opened trend.

Rendered from the page's own data (``views.trends.build``), like every page's slides.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dortmund_kpi import texts
from dortmund_kpi.views import trends as trend_views

ROWS_PER_SLIDE = 14


def render(deck: Any, page: trend_views.TrendsData) -> list[Any]:
    """``deck`` is the ``share.deck`` helper of one view (slide, subtitle)."""
    lead = f"{texts.TRENDS_TITLE} · {texts.TRENDS_SECTOR_MODES[page.sectors]}"
    subtitle = deck.subtitle(lead, page.honoured, areas=False)
    common = {"subtitle": subtitle, "source": texts.TRENDS_SOURCE, "stand": page.stand}
    slides = []
    if page.detail is not None:
        rows = pd.DataFrame(trend_views.detail_rows(page.detail), columns=["Feld", "Wert"])
        title = f"{texts.TREND_DETAIL}: {page.detail.name}"
        slides.append(deck.slide(title=title, demo=page.detail.demo, table=rows, **common))
    if page.figure is not None:
        title = f"{texts.TRENDS_TITLE}: {texts.TRENDS_RADAR}"
        slides.append(deck.slide(title=title, demo=page.demo, figure=page.figure, **common))
    for start in range(0, len(page.table), ROWS_PER_SLIDE):
        part = page.table.iloc[start : start + ROWS_PER_SLIDE]
        slides.append(deck.slide(title=texts.TRENDS_LIST, demo=page.demo, table=part, **common))
    return slides
