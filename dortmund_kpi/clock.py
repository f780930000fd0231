"""Dortmund's wall clock: how "Stand" is recorded, shown and pinned (naive local time)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")


def now_local() -> datetime:
    """Wall-clock time in Dortmund, without tzinfo."""
    return datetime.now(TZ).replace(tzinfo=None)
