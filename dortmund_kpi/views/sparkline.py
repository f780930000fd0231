"""A KPI tile's sparkline: an SVG drawn by the browser (an image in the tile), not a
plotly figure (see ``sparkline_svg`` for why). Its colours are the charts' own
(``charts``), so a tile's line matches the indicator's chart.
"""

from __future__ import annotations

import html
import itertools
import math

from dortmund_kpi.views.charts import TARGET_COLOR, TREND_COLOR

# Sparkline colours follow the tile's change word (as the metric's delta does).
SPARK_COLORS = {"besser": TARGET_COLOR, "schlechter": "#CC6677", "unverändert": TREND_COLOR}
SPARK_HEIGHT = 30  # viewBox units; drawn 48 px high and as wide as the tile


def _finite(values: list[float]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _coordinates(values: list[float]) -> list[tuple[float, float]]:
    """x from 0 to 100, y from 1 (highest) to 29 (lowest), per finite value."""
    finite = _finite(values)
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or 1.0
    step = 100 / (len(finite) - 1)
    scale = SPARK_HEIGHT - 2
    return [
        (i * step, 1 + (hi - v) / span * scale if hi > lo else SPARK_HEIGHT / 2)
        for i, v in enumerate(finite)
    ]


def sparkline_points(values: list[float]) -> str:
    """The polyline of a sparkline: x from 0 to 100, y from 1 (highest) to 29 (lowest)."""
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in _coordinates(values))


def _path(segments: list[tuple[tuple[float, float], tuple[float, float]]]) -> str:
    """Path data of line segments; a segment that goes on from the one before continues
    its line (no new "M"): half the markup of a tile with many points."""
    parts: list[str] = []
    end = None
    for a, b in segments:
        if a != end:
            parts.append(f"M{a[0]:.2f},{a[1]:.2f}")
        parts.append(f"L{b[0]:.2f},{b[1]:.2f}")
        end = b
    return " ".join(parts)


def sparkline_svg(
    values: list[float], change_word: str, label: str, official: tuple[bool, ...] = ()
) -> str:
    """A tiny line without axes for a KPI tile, as SVG ("" for fewer than two values).

    The browser draws it in no time; a chart library instance per tile made a page of 48
    tiles take two seconds to draw and to redraw after a filter change. Only numbers we
    compute and a constant colour go into it; ``label`` (alt text) is escaped. With
    ``official`` (the origin per value) mixing both, every stretch that touches a demo
    value is dashed, as the charts draw demo points hollow.
    """
    if len(_finite(values)) < 2:
        return ""
    color = SPARK_COLORS.get(change_word, TREND_COLOR)
    stroke = (
        f'fill="none" stroke="{color}" stroke-width="2" stroke-linejoin="round" '
        'vector-effect="non-scaling-stroke"'
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 {SPARK_HEIGHT}" '
        'preserveAspectRatio="none" width="100%" '
        f'height="48" role="img" aria-label="{html.escape(label)}">'
    )
    kept = [o for v, o in zip(values, official, strict=False) if v is not None and math.isfinite(v)]
    if len(kept) != len(_finite(values)) or all(kept) or not any(kept):
        return f'{head}<polyline points="{sparkline_points(values)}" {stroke}/></svg>'
    points = _coordinates(values)
    pairs = list(zip(itertools.pairwise(points), itertools.pairwise(kept), strict=True))
    solid = [p for p, (a, b) in pairs if a and b]
    dashed = [p for p, (a, b) in pairs if not (a and b)]
    return (
        f'{head}<path class="official" d="{_path(solid)}" {stroke}/>'
        f'<path class="demo" d="{_path(dashed)}" {stroke} stroke-dasharray="4 3"/></svg>'
    )
