"""The text of a pinned moment, the URL key ``stand``: what a link pins and how it reads.

A Stand is an instant; a link shows it in Berlin wall-clock time (a date: the end of
that Berlin day), with its offset only in the hour repeated in autumn.
"""

from __future__ import annotations

from datetime import datetime, time

from dortmund_kpi import clock


def parse_stand(text: str) -> datetime | None:
    """The instant (UTC) of ``2025-03-31`` (end of that day in Berlin),
    ``31.03.2025`` or ``2025-03-31T14:05[:00]`` (Berlin wall-clock time; in the hour
    repeated in autumn the second pass, see ``clock.from_wall``), or of a time with its
    offset, ``2026-10-25T02:30:00+02:00``, as ``format_stand`` writes for that hour."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return clock.from_wall(datetime.combine(datetime.strptime(text, fmt).date(), time.max))
        except ValueError:
            pass
    if "T" in text and text[-6:-5] == " ":
        text = text[:-6] + "+" + text[-5:]  # a "+" that a pasted link decoded to a space
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return clock.instant(moment)


def format_stand(moment: datetime) -> str:
    """The shortest text that pins ``moment``: a date when it is the end of a Berlin day,
    else Berlin wall-clock time, with its offset only where that time occurs twice."""
    local = clock.local(moment)
    if local.time() == time.max:
        return local.date().isoformat()
    # Exact to the microsecond: the version a link was made from is included, and an
    # import in the same second after it is not.
    timespec = "microseconds" if local.microsecond else "seconds"
    shown = local if clock.is_ambiguous(local) else local.replace(tzinfo=None)
    return shown.isoformat(timespec=timespec)
