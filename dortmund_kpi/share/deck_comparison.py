"""The slides of the comparison page: the bar ranking and Dortmund's rank over time.

Rendered from the page data (``views.comparison.build``), like every page's slides, so
a slide shows the page's ranks, values, sources and Stand.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dortmund_kpi import formatting, texts
from dortmund_kpi.share.slide_charts import number_format
from dortmund_kpi.views.common import period_text
from dortmund_kpi.views.comparison import ComparisonData

DORTMUND_MARK = "► Dortmund"


def history_table(page: ComparisonData) -> pd.DataFrame:
    """Dortmund against median and best per period (German numbers)."""
    c = texts.COMPARISON_HISTORY_COLUMNS

    def shown(value: float | None) -> str:
        return "–" if value is None else formatting.number(value, page.decimals)

    return pd.DataFrame(
        {
            c["period"]: [period_text(s.period) for s in page.history],
            c["rank"]: ["–" if s.rank is None else str(s.rank) for s in page.history],
            c["n"]: [str(s.n) for s in page.history],
            c["dortmund"]: [shown(s.dortmund) for s in page.history],
            c["median"]: [shown(s.median) for s in page.history],
            c["best"]: [shown(s.best) for s in page.history],
            c["best_name"]: [s.best_name for s in page.history],
        }
    )


def render(deck: Any, page: ComparisonData) -> list[Any]:
    """A bar ranking of the latest period (Dortmund marked) and the rank table."""
    if page.indicator is None or page.latest is None or page.group is None:
        return []
    ind, latest = page.indicator, page.latest
    part = page.ranked[page.ranked["period"] == latest.period]
    ranked = part.sort_values(["rank", "name"])
    names = [DORTMUND_MARK if n == "Dortmund" else n for n in ranked["name"]]
    common = {
        "subtitle": f"{texts.PAGE_TITLES['vergleich']} · {page.group.name} · {page.mode_text}",
        "source": "; ".join(dict.fromkeys(str(s) for s in part["source"])),
        "stand": formatting.day(part["loaded_at"].max()),
        "demo": page.demo,
    }
    title = texts.COMPARISON_SLIDE_TITLE.format(indicator=ind["short_name"])
    period = period_text(latest.period)
    return [
        deck.slide(
            title=f"{title}, {period} ({page.unit})",
            bars=pd.DataFrame({"category": names, "value": list(ranked["compared"])}),
            number_format=number_format(page.decimals),
            notes=[text for text in (page.standing_text, page.missing_text) if text],
            **common,
        ),
        deck.slide(
            title=f"{title}: {texts.COMPARISON_HISTORY}", table=history_table(page), **common
        ),
    ]
