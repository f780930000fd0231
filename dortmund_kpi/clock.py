"""Dortmund's clock: instants are recorded, Berlin wall-clock time is shown.

Every moment the product records (a revision's ``valid_from``, an import's start) is an
instant: an aware datetime, stored as ``TIMESTAMPTZ``. Only for what a person reads or
types is it turned into Berlin wall-clock time (``local``, ``from_wall``): a wall-clock
time is ambiguous once a year (the repeated hour when clocks go back) and can step back
at any time (NTP), so it cannot order revisions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")


def _system() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system


def now() -> datetime:
    """The current instant (UTC)."""
    return _source().astimezone(UTC)


def now_local() -> datetime:
    """The current instant in Berlin time (aware)."""
    return now().astimezone(TZ)


def today() -> date:
    """Berlin's date, like "Stand" and overdue (a server may run on UTC)."""
    return now_local().date()


def instant(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is read as Berlin wall-clock time (``from_wall``).

    Moments are compared, hashed (cache keys) and stored in UTC: two Berlin-time
    datetimes of the repeated hour compare equal an hour apart (Python compares times of
    one zone by their wall-clock fields), and one in that hour never equals the same
    instant in another zone (PEP 495).
    """
    return moment.astimezone(UTC) if moment.tzinfo is not None else from_wall(moment)


def local(moment: datetime) -> datetime:
    """``moment`` in Berlin time, for what a person reads (a naive one: ``from_wall``)."""
    return instant(moment).astimezone(TZ)


def from_wall(wall: datetime) -> datetime:
    """The instant (UTC) a naive Berlin wall-clock time stands for.

    Twice a year that is not one instant. A time of the repeated hour when clocks go
    back (02:30 on the last Sunday of October) is read as the second pass, standard
    time (02:30 CET); a time skipped when clocks go forward (02:30 on the last Sunday
    of March) as standard time too, which is 03:30 CEST. These are the readings of
    DuckDB's ``timezone('Europe/Berlin', ...)``, so migration 5 (old naive revision
    times) and a typed ``stand=`` link agree.
    """
    return wall.replace(tzinfo=TZ, fold=1 if is_ambiguous(wall) else 0).astimezone(UTC)


def is_ambiguous(wall: datetime) -> bool:
    """Whether a Berlin wall-clock time occurs twice (the hour repeated in autumn)."""
    naive = wall.replace(tzinfo=None)
    first, second = naive.replace(tzinfo=TZ, fold=0), naive.replace(tzinfo=TZ, fold=1)
    if first.utcoffset() == second.utcoffset():
        return False
    # a skipped time (spring) has two offsets too, but neither reading round-trips to it
    return first.astimezone(UTC).astimezone(TZ).replace(tzinfo=None) == naive


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
