"""The URL contract: page paths, query keys, their types, defaults and migrations.

URLs are a public API: CIO presentations link to exact views. Keys are short
and German, values are slugs. A URL holds only what differs from the default
view. Unknown or malformed values never raise: they are dropped, the default
applies for that key only, and a ``Notice`` explains it. Old spellings are
migrated here, never broken (``KEY_MIGRATIONS``; district names become slugs).

| page              | path          | its own keys |
|-------------------|---------------|--------------|
| Übersicht         | ``/``         |              |
| Masterplan        | ``/masterplan``| masterplan, seite |
| Indikator         | ``/indikator``| indikator    |
| Stadtbezirke      | ``/bezirke``  |              |
| Daten & Methodik  | ``/daten``    |              |

Shared keys (every page): ``bezirk`` (district slugs, repeated key),
``zeitraum`` (first and last year, repeated key: ``zeitraum=2019&zeitraum=2024``),
``stand`` (the data as known at a moment: ``2025-03-31`` = end of that day, or
``2025-03-31T14:05:00``; a pinned link), ``praesentation`` (``1``: presentation
mode for a meeting-room screen) and ``massnahme`` (a measure id such as
``v01_serviceportal``: opens that measure's detail above the page; it is not
carried to another page).

``seite`` (masterplan page): which group of charts is shown when a masterplan has more
indicators than one view holds (``seite=2``: the second group); written only when it
is not the first, and never carried to another page or masterplan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlencode

from dortmund_kpi.clock import now_local
from dortmund_kpi.districts import CITY, DistrictMatcher

PAGES = {
    "uebersicht": "",
    "masterplan": "masterplan",
    "indikator": "indikator",
    "bezirke": "bezirke",
    "daten": "daten",
}
SHARED_KEYS = ("bezirk", "zeitraum", "stand", "praesentation", "massnahme")
PAGE_KEYS = {"masterplan": ("masterplan", "seite"), "indikator": ("indikator",)}
MAX_CHART_PAGE = 99  # a masterplan would need 1,400 indicators for that many
# Keys Streamlit itself reads; they pass through untouched.
RESERVED_KEYS = ("embed", "embed_options")
# Old or alternative key names -> current key. Append, never remove.
KEY_MIGRATIONS = {
    "asof": "stand",
    "as_of": "stand",
    "praesentationsmodus": "praesentation",
    "presentation": "praesentation",
    "district": "bezirk",
    "bezirke": "bezirk",
    "period": "zeitraum",
    "jahr": "zeitraum",
    "mp": "masterplan",
    "indicator": "indikator",
    "kpi": "indikator",
    "measure": "massnahme",
    "maßnahme": "massnahme",
    "page": "seite",
}
MAX_RAW_VALUES = 50  # repeated values are deduplicated; more than this is not a real link


@dataclass(frozen=True)
class UrlContext:
    """What values are valid: from the catalog, district table and data range."""

    masterplans: tuple[str, ...]
    indicators: tuple[str, ...]
    districts: DistrictMatcher
    years: tuple[int, int]
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    key: str
    value: str


@dataclass
class Parsed:
    values: dict[str, object] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def _districts(raw: list[str], ctx: UrlContext, notices: list[Notice]) -> list[str]:
    slugs: list[str] = []
    if len(raw) > MAX_RAW_VALUES:
        notices.append(Notice("bezirk", f"{len(raw)} Werte"))
    for text in raw[:MAX_RAW_VALUES]:
        slug = ctx.districts.match(text) if text.strip() else None
        if slug is None or slug == CITY:
            notices.append(Notice("bezirk", text))
        elif slug not in slugs:
            slugs.append(slug)
    return slugs


def _years(raw: list[str], ctx: UrlContext, notices: list[Notice]) -> tuple[int, int] | None:
    lo, hi = ctx.years
    try:
        years = sorted(int(v.strip()) for v in raw)
    except ValueError:
        years = []
    if not years or len(years) > 2 or years[0] < lo or years[-1] > hi:
        notices.append(Notice("zeitraum", "&".join(raw)))
        return None
    return (years[0], years[-1])


def parse_stand(text: str) -> datetime | None:
    """``2025-03-31`` (end of that day), ``31.03.2025`` or ``2025-03-31T14:05[:00]``."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.combine(datetime.strptime(text, fmt).date(), time.max)
        except ValueError:
            pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else None


def format_stand(moment: datetime) -> str:
    """The shortest text that pins ``moment``: a date when it is the end of a day."""
    if moment.time() == time.max:
        return moment.date().isoformat()
    # Exact to the microsecond: the version a link was made from is included, and an
    # import in the same second after it is not.
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


def _stand(raw: list[str], notices: list[Notice], now: datetime) -> datetime | None:
    moment = parse_stand(raw[-1]) if raw else None
    # A date means the end of that day; today is fine, a later day is not (yet) a Stand.
    if moment is None or moment.date() < date(2000, 1, 1) or moment.date() > now.date():
        notices.append(Notice("stand", raw[-1] if raw else ""))
        return None
    return moment


def _choice(key: str, raw: list[str], allowed: Iterable[str], notices: list[Notice]) -> str | None:
    value = raw[-1].strip().lower() if raw else ""
    if value in allowed:
        return value
    notices.append(Notice(key, raw[-1] if raw else ""))
    return None


def _chart_page(raw: list[str], notices: list[Notice]) -> int | None:
    text = raw[-1].strip() if raw else ""
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_CHART_PAGE:
        return int(text)
    notices.append(Notice("seite", raw[-1] if raw else ""))
    return None


def migrate_keys(params: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Apply key migrations; a current key wins over its old spelling."""
    out: dict[str, list[str]] = {}
    for key, values in params.items():
        new = KEY_MIGRATIONS.get(key.lower(), key.lower())
        if new in out and new != key.lower():
            continue
        out[new] = list(values)
    return out


def parse(
    params: Mapping[str, list[str]], page: str, ctx: UrlContext, now: datetime | None = None
) -> Parsed:
    """Turn query parameters into view values for ``page``; bad values become notices."""
    result = Parsed()
    params = migrate_keys(params)
    if "stand" in params:
        moment = _stand(params["stand"], result.notices, now or now_local())
        if moment:
            result.values["stand"] = moment
    if "praesentation" in params:
        flag = params["praesentation"][-1].strip().lower() if params["praesentation"] else ""
        if flag in ("1", "ja", "true", "0", "nein", "false"):
            result.values["praesentation"] = flag in ("1", "ja", "true")
        else:
            result.notices.append(Notice("praesentation", flag))
    if "bezirk" in params:
        result.values["bezirk"] = _districts(params["bezirk"], ctx, result.notices)
    if "zeitraum" in params:
        years = _years(params["zeitraum"], ctx, result.notices)
        if years:
            result.values["zeitraum"] = years
    if "seite" in params and page == "masterplan":
        number = _chart_page(params["seite"], result.notices)
        if number:
            result.values["seite"] = number
    _choices(params, page, ctx, result)
    return result


def _choices(params: Mapping[str, list[str]], page: str, ctx: UrlContext, result: Parsed) -> None:
    """The keys whose value is one of a list of ids (the page's own keys, ``massnahme``)."""
    choices = {"masterplan": ctx.masterplans, "indikator": ctx.indicators}
    choices["massnahme"] = ctx.measures
    for key in (*PAGE_KEYS.get(page, ()), "massnahme"):
        if key in params and key in choices:
            value = _choice(key, params[key], choices[key], result.notices)
            if value:
                result.values[key] = value


def serialize(
    values: Mapping[str, object], page: str, defaults: Mapping[str, object]
) -> dict[str, list[str]]:
    """Query parameters for a view: shared keys only where they differ from the default;
    the page's own key always (so a shared link does not depend on catalog order)."""
    out: dict[str, list[str]] = {}
    for key in SHARED_KEYS:
        value = values.get(key)
        if value is None or value == defaults.get(key):
            continue
        if key == "bezirk" and value:
            out[key] = [str(v) for v in value]  # type: ignore[union-attr]
        elif key == "zeitraum":
            out[key] = [str(value[0]), str(value[1])]  # type: ignore[index]
        elif key == "stand" and isinstance(value, datetime):
            out[key] = [format_stand(value)]
        elif key == "praesentation" and value:
            out[key] = ["1"]
        elif key == "massnahme" and value:
            out[key] = [str(value)]
    for key in PAGE_KEYS.get(page, ()):
        if key == "seite" and values.get(key) in (None, defaults.get(key)):
            continue  # the first group of charts is the default view
        if values.get(key):
            out[key] = [str(values[key])]
    return out


def url_for(page: str, params: Mapping[str, list[str]], base: str = "") -> str:
    """Relative (or absolute, with ``base``) link to a page with parameters."""
    path = PAGES[page]
    query = urlencode([(k, v) for k, values in params.items() for v in values])
    return f"{base.rstrip('/')}/{path}" + (f"?{query}" if query else "")


def defaults(ctx: UrlContext) -> dict[str, object]:
    """The default view for a context: what a link leaves out."""
    return {
        "bezirk": [],
        "zeitraum": ctx.years,
        "masterplan": ctx.masterplans[0],
        "indikator": ctx.indicators[0],
        "stand": None,
        "praesentation": False,
        "massnahme": None,
        "seite": 1,
    }
