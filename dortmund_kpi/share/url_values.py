"""The values of the URL contract's keys (``urlstate.KEYS``): what makes a valid value
(``UrlContext``), the readers (raw texts -> ``Read``: the value and the texts rejected) and
the writers (value -> the texts written). Readers never raise: a malformed value is
rejected, and the key's default applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from dortmund_kpi import clock
from dortmund_kpi.districts import CITY, DistrictMatcher
from dortmund_kpi.share.stand import format_stand, parse_stand

MAX_CHART_PAGE = 99  # a masterplan would need 1,400 indicators for that many
MAX_RAW_VALUES = 50  # repeated values are deduplicated; more than this is not a real link


@dataclass(frozen=True)
class UrlContext:
    """What values are valid: from the catalog, district table and data range."""

    masterplans: tuple[str, ...]
    indicators: tuple[str, ...]
    districts: DistrictMatcher
    years: tuple[int, int]
    measures: tuple[str, ...] = ()
    trends: tuple[str, ...] = ()
    peer_groups: tuple[str, ...] = ()  # ids of data/peers.yaml, in file order


class Read(NamedTuple):
    """What a key's reader made of its raw values."""

    value: object = None  # None: nothing is set, the default applies
    rejected: tuple[str, ...] = ()  # each becomes a Notice(key, text)


def reject(text: str) -> Read:
    return Read(None, (text,))


def last(raw: list[str]) -> str:
    return raw[-1] if raw else ""


# -- readers: raw values (+ context, now) -> Read ---------------------------------
def read_districts(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    """Districts by slug or name, repeated (``bezirk=eving&bezirk=hoerde``) or, as people
    type them, separated by commas: a value is split only when it is no name as a whole
    ("Dortmund, Innenstadt-West" names one district). The whole city ("Dortmund") is no
    district: refused with a notice (on the district page a profile of "Dortmund" would
    silently become another district's)."""
    slugs: list[str] = []
    rejected: list[str] = []
    parts = [part for text in raw for part in _district_parts(text, ctx)]
    if len(parts) > MAX_RAW_VALUES:
        rejected.append(f"{len(parts)} Werte")
    for text in parts[:MAX_RAW_VALUES]:
        slug = ctx.districts.match(text) if text.strip() else None
        if slug is None or slug == CITY:
            rejected.append(text)
        elif slug not in slugs:
            slugs.append(slug)
    return Read(slugs, tuple(rejected))


def _district_parts(text: str, ctx: UrlContext) -> list[str]:
    """``text`` as one name, or its comma-separated parts (empty ones left out)."""
    if "," not in text or ctx.districts.match(text) is not None:
        return [text]
    return [part for part in text.split(",") if part.strip()] or [text]


def read_years(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    lo, hi = ctx.years
    try:
        years = sorted(int(v.strip()) for v in raw)
    except ValueError:
        years = []
    if not years or len(years) > 2 or years[0] < lo or years[-1] > hi:
        return reject("&".join(raw))
    return Read((years[0], years[-1]))


def read_stand(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    moment = parse_stand(raw[-1]) if raw else None
    # A date means the end of that day; today is fine, a later day is not (yet) a Stand.
    today = clock.local(now).date() if now else clock.today()
    if moment is None or not date(2000, 1, 1) <= clock.local(moment).date() <= today:
        return reject(last(raw))
    return Read(moment)


def read_flag(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    flag = last(raw).strip().lower()
    if flag in ("1", "ja", "true", "0", "nein", "false"):
        return Read(flag in ("1", "ja", "true"))
    return reject(flag)


def one_of(choices: Callable[[UrlContext], tuple[str, ...]]) -> Callable[..., Read]:
    """A reader for an id out of ``choices(ctx)`` (case and spaces around it ignored)."""

    def read(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
        value = last(raw).strip().lower()
        if value in choices(ctx):
            return Read(value or None)
        return reject(last(raw))

    return read


def read_chart_page(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    text = last(raw).strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_CHART_PAGE:
        return Read(int(text))
    return reject(last(raw))


# -- writers: value -> strings (None or [] writes nothing) -------------------------
def write_one(value: object) -> list[str] | None:
    return [str(value)] if value else None


def write_each(value: object) -> list[str] | None:
    return [str(v) for v in value] if value else None  # type: ignore[attr-defined]


def write_years(value: object) -> list[str]:
    return [str(value[0]), str(value[1])]  # type: ignore[index]


def write_stand(value: object) -> list[str] | None:
    return [format_stand(value)] if isinstance(value, datetime) else None


def write_flag(value: object) -> list[str] | None:
    return ["1"] if value else None


def first(choices: Callable[[UrlContext], tuple[str, ...]]) -> Callable[[UrlContext], object]:
    """The default of a choice: the first in catalog order (None when there is none)."""
    return lambda ctx: next(iter(choices(ctx)), None)
