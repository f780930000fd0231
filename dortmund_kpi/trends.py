"""Trends of the Technologiescout: what the CIO office watches, tries and adopts.

A trend sits in one ring of the radar (``beobachten`` outside → ``einführen`` inside;
``verworfen`` is kept apart) and in one field; it may name masterplans, the measures
(pilots) and indicators it touches, and sources. Every assessment is dated and gives
a reason. Trends are imported like measures and keep their history (a changed
assessment closes the old row), so a pinned view shows the radar of its day.
Domain rules only: no database, no files, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

FIELDS = (
    "KI",
    "Daten & Plattformen",
    "Infrastruktur & Netze",
    "Sensorik & IoT",
    "Verwaltungstechnik",
    "Bildungstechnik",
)
# Outside in: a trend moves inwards as the office gets surer of it.
RADAR_RINGS = ("beobachten", "bewerten", "erproben", "einführen")
DISCARDED = "verworfen"
RINGS = (*RADAR_RINGS, DISCARDED)
PUBLIC, INTERNAL = "oeffentlich", "intern"
VISIBILITIES = (PUBLIC, INTERNAL)
VISIBILITY_ALIASES = {"öffentlich": PUBLIC, "public": PUBLIC, "internal": INTERNAL}

SECTOR_MODES = ("feld", "masterplan")  # the radar's sectors: by field or by masterplan

# Movement since the last review (the latest import of trends up to the view's moment).
NEW, MOVED_IN, MOVED_OUT, UNCHANGED = "neu", "nach innen", "nach außen", ""


def _key(text: str) -> str:
    return " ".join(str(text).split()).lower()


def normalise_ring(text: str) -> str | None:
    """The canonical ring for a spelling from a file (``Einfuehren``, ``einführen``), or None."""
    key = _key(text).replace("ue", "ü")
    return next((ring for ring in RINGS if key == ring), None)


def normalise_field(text: str) -> str | None:
    """The canonical field (case, spaces and ``und`` for ``&`` ignored), or None."""
    key = _key(text).replace(" und ", " & ")
    return next((f for f in FIELDS if key == f.lower()), None)


def normalise_visibility(text: str) -> str | None:
    """``oeffentlich``/``intern`` (``öffentlich``, ``public``, ``internal`` accepted); an
    empty cell is ``intern``: nothing becomes public by leaving a column empty."""
    key = _key(text)
    if not key:
        return INTERNAL
    return key if key in VISIBILITIES else VISIBILITY_ALIASES.get(key)


def ring_rank(ring: str) -> int:
    """0 for the outer ring ``beobachten`` … 3 for ``einführen``; -1 for ``verworfen``."""
    return RADAR_RINGS.index(ring) if ring in RADAR_RINGS else -1


def movement(ring: str, previous: str | None) -> str:
    """How a trend moved since the last review: new, inwards, outwards or not at all.

    A trend that comes back from ``verworfen`` counts as moved inwards; one discarded
    counts as moved outwards."""
    if previous is None:
        return NEW
    if ring == previous:
        return UNCHANGED
    return MOVED_IN if ring_rank(ring) > ring_rank(previous) else MOVED_OUT


def assessment_history(versions: pd.DataFrame) -> pd.DataFrame:
    """Every assessment of one trend, oldest first: a row per change of ring, date or reason."""
    columns = ["ring", "assessed_on", "reason", "valid_from"]
    if versions.empty:
        return pd.DataFrame(columns=columns)
    ordered = versions.sort_values("valid_from")
    key = ordered[["ring", "assessed_on", "reason"]].astype("str").agg("|".join, axis=1)
    return ordered.loc[key.ne(key.shift()), columns].reset_index(drop=True)


def with_movement(current: pd.DataFrame, versions: pd.DataFrame) -> pd.DataFrame:
    """Current trends with ``previous_ring`` and ``movement`` since the last review.

    ``versions`` holds every version known at the view's moment. The last review is the
    latest moment a version was written (an import of trends); a trend's previous ring is
    that of its version before then. Trends the last review did not touch stay unmarked."""
    out = current.copy()
    if out.empty:
        return out.assign(previous_ring=pd.Series(dtype="object"), movement="")
    review = versions["valid_from"].max()
    before = versions[versions["valid_from"] < review].sort_values("valid_from")
    previous = before.groupby("id")["ring"].last()
    touched = out["valid_from"] >= review
    out["previous_ring"] = out["id"].map(previous)
    out["movement"] = [
        movement(ring, None if pd.isna(prev) else str(prev)) if hit else UNCHANGED
        for ring, prev, hit in zip(out["ring"], out["previous_ring"], touched, strict=True)
    ]
    return out
