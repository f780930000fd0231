"""Dortmund's wall clock: how "Stand" is recorded, shown and pinned (naive local time)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")


def _system() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system


def now_local() -> datetime:
    """Wall-clock time in Dortmund, without tzinfo."""
    return _source().astimezone(TZ).replace(tzinfo=None)


@contextlib.contextmanager
def injected(source: Callable[[], datetime]) -> Iterator[None]:
    """Read the time from ``source`` (an aware datetime) instead of the system clock: a
    test steps the clock back as NTP or the autumn clock change would."""
    global _source
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous
