"""The URL contract: page paths and the table of query keys (``KEYS``).

URLs are a public API: CIO presentations link to exact views. Keys are short
and German, values are slugs. A URL holds only what differs from the default
view. Unknown or malformed values never raise: they are dropped, the default
applies for that key only, and a ``Notice`` explains it. Old spellings are
migrated here, never broken (a key's ``old_names``; district names become slugs).

``PAGES`` names each page's path (``""`` is ``/``). ``KEYS`` declares every query key
once, as a ``UrlKey`` row, in the order keys are written into a URL:

- ``name``: the key in the URL;
- ``pages``: ``EVERY_PAGE`` for a shared key, else the pages whose own key it is
  (on other pages it is ignored, neither parsed nor written);
- ``read(raw, ctx, now)``: the raw values (a key may repeat) -> ``Read``: the value,
  or ``None`` (nothing set, the default applies), and the texts it rejected (each
  becomes a ``Notice``);
- ``write(value)``: value -> the strings written, or ``None``/``[]`` for nothing;
- ``default(ctx)``: the value of a URL without the key (``defaults(ctx)``); a key
  equal to the default is left out, unless ``written_at_default`` (a page's own
  choice, so a shared link does not depend on catalog order);
- ``carried``: whether the value goes along to another page;
- ``old_names``: earlier or alternative spellings. Append, never remove.

``parse``, ``serialize``, ``migrate_keys`` and ``defaults`` walk the table;
``SHARED_KEYS``, ``PAGE_KEYS``, ``KEY_MIGRATIONS`` and ``CARRIED_KEYS`` are derived
from it. To add a key, add one row (its readers and writers beside the others) and
its line in README.md ("Dashboard: pages and URLs"); tests/unit/test_url_contract.py
checks the README against the table and asks for valid sample values of the new key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple
from urllib.parse import urlencode

from dortmund_kpi import clock
from dortmund_kpi.districts import CITY, DistrictMatcher
from dortmund_kpi.share import sequence
from dortmund_kpi.share.stand import format_stand, parse_stand
from dortmund_kpi.trends import SECTOR_MODES

PAGES = {
    "uebersicht": "",
    "masterplan": "masterplan",
    "indikator": "indikator",
    "bezirke": "bezirke",
    "daten": "daten",
    "trends": "trends",
    "vergleich": "vergleich",
}
MAX_CHART_PAGE = 99  # a masterplan would need 1,400 indicators for that many
# Keys Streamlit itself reads; they pass through untouched (not ours, so not in KEYS).
RESERVED_KEYS = ("embed", "embed_options")
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


@dataclass(frozen=True)
class Notice:
    key: str
    value: str


@dataclass
class Parsed:
    values: dict[str, object] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


class Read(NamedTuple):
    """What a key's reader made of its raw values."""

    value: object = None  # None: nothing is set, the default applies
    rejected: tuple[str, ...] = ()  # each becomes a Notice(key, text)


def _reject(text: str) -> Read:
    return Read(None, (text,))


def _last(raw: list[str]) -> str:
    return raw[-1] if raw else ""


# -- readers: raw values (+ context, now) -> Read ---------------------------------
def _read_districts(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    slugs: list[str] = []
    rejected: list[str] = []
    if len(raw) > MAX_RAW_VALUES:
        rejected.append(f"{len(raw)} Werte")
    for text in raw[:MAX_RAW_VALUES]:
        slug = ctx.districts.match(text) if text.strip() else None
        if slug is None or slug == CITY:
            rejected.append(text)
        elif slug not in slugs:
            slugs.append(slug)
    return Read(slugs, tuple(rejected))


def _read_years(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    lo, hi = ctx.years
    try:
        years = sorted(int(v.strip()) for v in raw)
    except ValueError:
        years = []
    if not years or len(years) > 2 or years[0] < lo or years[-1] > hi:
        return _reject("&".join(raw))
    return Read((years[0], years[-1]))


def _read_stand(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    moment = parse_stand(raw[-1]) if raw else None
    # A date means the end of that day; today is fine, a later day is not (yet) a Stand.
    today = clock.local(now).date() if now else clock.today()
    if moment is None or not date(2000, 1, 1) <= clock.local(moment).date() <= today:
        return _reject(_last(raw))
    return Read(moment)


def _read_flag(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    flag = _last(raw).strip().lower()
    if flag in ("1", "ja", "true", "0", "nein", "false"):
        return Read(flag in ("1", "ja", "true"))
    return _reject(flag)


def _one_of(choices: Callable[[UrlContext], tuple[str, ...]]) -> Callable[..., Read]:
    """A reader for an id out of ``choices(ctx)`` (case and spaces around it ignored)."""

    def read(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
        value = _last(raw).strip().lower()
        if value in choices(ctx):
            return Read(value or None)
        return _reject(_last(raw))

    return read


def _read_chart_page(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    text = _last(raw).strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_CHART_PAGE:
        return Read(int(text))
    return _reject(_last(raw))


def _read_steps(raw: list[str], ctx: UrlContext, now: datetime | None) -> Read:
    return Read(*sequence.steps(raw, PAGES.values()))


# -- writers: value -> strings (None or [] writes nothing) -------------------------
def _write_one(value: object) -> list[str] | None:
    return [str(value)] if value else None


def _write_each(value: object) -> list[str] | None:
    return [str(v) for v in value] if value else None  # type: ignore[attr-defined]


def _write_years(value: object) -> list[str]:
    return [str(value[0]), str(value[1])]  # type: ignore[index]


def _write_stand(value: object) -> list[str] | None:
    return [format_stand(value)] if isinstance(value, datetime) else None


def _write_flag(value: object) -> list[str] | None:
    return ["1"] if value else None


def _first(choices: Callable[[UrlContext], tuple[str, ...]]) -> Callable[[UrlContext], object]:
    """The default of a choice: the first in catalog order (None when there is none)."""
    return lambda ctx: next(iter(choices(ctx)), None)


# -- the table ------------------------------------------------------------------
EVERY_PAGE = None  # the scope of a shared key
TRENDS = ("trends",)  # the scope of the Technologiescout's own keys
_first_mode, _none = _first(lambda ctx: SECTOR_MODES), _first(lambda ctx: ())


@dataclass(frozen=True)
class UrlKey:
    """One query key of the contract (one row of ``KEYS``)."""

    name: str
    pages: tuple[str, ...] | None  # EVERY_PAGE (shared), or the pages whose own key it is
    read: Callable[[list[str], UrlContext, datetime | None], Read]
    write: Callable[[object], list[str] | None]
    default: Callable[[UrlContext], object]
    carried: bool = True  # kept when the user goes to another page
    # Written even when it equals the default, on the key's own page (the first of
    # ``pages``): there the link must not depend on catalog order.
    written_at_default: bool = False
    old_names: tuple[str, ...] = ()  # migrated to ``name``; append, never remove

    @property
    def shared(self) -> bool:
        return self.pages is EVERY_PAGE

    def on(self, page: str) -> bool:
        """Whether ``page`` reads and writes this key."""
        return self.pages is EVERY_PAGE or page in self.pages


KEYS: tuple[UrlKey, ...] = (
    # District slugs, repeated key (bezirk=hoerde&bezirk=eving); names such as Hörde work.
    UrlKey(
        "bezirk",
        EVERY_PAGE,
        _read_districts,
        _write_each,
        lambda ctx: [],
        old_names=("district", "bezirke"),
    ),
    # First and last year, repeated key: zeitraum=2019&zeitraum=2024; default the data range.
    UrlKey(
        "zeitraum",
        EVERY_PAGE,
        _read_years,
        _write_years,
        lambda ctx: ctx.years,
        old_names=("period", "jahr"),
    ),
    # The data as known at a moment (a pinned link): 2025-03-31 = end of that day, or
    # 2025-03-31T14:05:00[.000001]; never after now.
    UrlKey(
        "stand",
        EVERY_PAGE,
        _read_stand,
        _write_stand,
        lambda ctx: None,
        old_names=("asof", "as_of"),
    ),
    # praesentation=1: presentation mode for a meeting-room screen.
    UrlKey(
        "praesentation",
        EVERY_PAGE,
        _read_flag,
        _write_flag,
        lambda ctx: False,
        old_names=("praesentationsmodus", "presentation"),
    ),
    # A measure id (v01_serviceportal): its detail above the page; stays on that page.
    UrlKey(
        "massnahme",
        EVERY_PAGE,
        _one_of(lambda ctx: ctx.measures),
        _write_one,
        lambda ctx: None,
        carried=False,
        old_names=("measure", "maßnahme"),
    ),
    # A presentation of chosen views, one link per step (folge=/indikator?indikator=…), and
    # the step on screen (schritt=2); see share/sequence.py.
    UrlKey("folge", EVERY_PAGE, _read_steps, _write_each, lambda ctx: ()),
    UrlKey("schritt", EVERY_PAGE, _read_chart_page, _write_one, lambda ctx: None),
    # The masterplan shown on its page; default the first in catalog order.
    UrlKey(
        "masterplan",
        ("masterplan",),
        _one_of(lambda ctx: ctx.masterplans),
        _write_one,
        _first(lambda ctx: ctx.masterplans),
        written_at_default=True,
        old_names=("mp",),
    ),
    # Which group of charts a masterplan with many indicators shows (seite=2: the second);
    # not carried to another page or masterplan.
    UrlKey(
        "seite",
        ("masterplan",),
        _read_chart_page,
        _write_one,
        lambda ctx: 1,
        carried=False,
        old_names=("page",),
    ),
    # The indicator shown on its page (and in the district chart); default the first in
    # catalog order.
    UrlKey(
        "indikator",
        ("indikator", "bezirke", "vergleich"),  # bezirke: district chart; vergleich: compared
        _one_of(lambda ctx: ctx.indicators),
        _write_one,
        _first(lambda ctx: ctx.indicators),
        written_at_default=True,
        old_names=("indicator", "kpi"),
    ),
    # je1000=1: the indicator page's values per 1,000 inhabitants (its switch; an indicator
    # without that choice shows its values as they are).
    UrlKey("je1000", ("indikator",), _read_flag, _write_flag, lambda ctx: False),
    # The Technologiescout's sectors by technology field (default) or masterplan; a trend
    # id (t01_generative_ki) opens its detail there.
    UrlKey("sektoren", TRENDS, _one_of(lambda c: SECTOR_MODES), _write_one, _first_mode),
    UrlKey("trend", TRENDS, _one_of(lambda c: c.trends), _write_one, _none, carried=False),
    # The peer group of the comparison page (an id of data/peers.yaml); default the first.
    UrlKey(
        "vergleich",
        ("vergleich",),
        _one_of(lambda ctx: ctx.peer_groups),
        _write_one,
        _first(lambda ctx: ctx.peer_groups),
        written_at_default=True,
        old_names=("gruppe", "peers"),
    ),
)


# -- derived from the table -----------------------------------------------------
def view_keys(page: str | None = None) -> tuple[str, ...]:
    """The keys ``page``'s view consists of (shared, then its own), in URL order;
    without ``page`` every key of the table (the state kept across pages)."""
    return tuple(key.name for key in KEYS if page is None or key.on(page))


def defaults(ctx: UrlContext) -> dict[str, object]:
    """The default view for ``ctx``: every key's value when a URL leaves it out."""
    return {key.name: key.default(ctx) for key in KEYS}


SHARED_KEYS = tuple(key.name for key in KEYS if key.shared)
PAGE_KEYS = {
    page: tuple(key.name for key in KEYS if not key.shared and key.on(page))
    for page in PAGES
    if any(not key.shared and key.on(page) for key in KEYS)
}
CARRIED_KEYS = tuple(key.name for key in KEYS if key.carried)
# Old or alternative key names -> current key.
KEY_MIGRATIONS = {old: key.name for key in KEYS for old in key.old_names}


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
    for key in KEYS:
        if key.name in params and key.on(page):
            read = key.read(params[key.name], ctx, now)
            result.notices.extend(Notice(key.name, text) for text in read.rejected)
            if read.value is not None:
                result.values[key.name] = read.value
    return result


def serialize(
    values: Mapping[str, object], page: str, defaults: Mapping[str, object]
) -> dict[str, list[str]]:
    """Query parameters for a view: keys only where they differ from the default; a
    page's own choice always (so a shared link does not depend on catalog order)."""
    out: dict[str, list[str]] = {}
    for key in KEYS:
        value = values.get(key.name)
        if not key.on(page) or value is None:
            continue
        home = key.written_at_default and key.pages is not EVERY_PAGE and key.pages[0] == page
        if not home and value == defaults.get(key.name):
            continue
        written = key.write(value)
        if written:
            out[key.name] = written
    return out


def url_for(page: str, params: Mapping[str, list[str]], base: str = "") -> str:
    """Relative (or absolute, with ``base``) link to a page with parameters."""
    path = PAGES[page]
    query = urlencode([(k, v) for k, values in params.items() for v in values])
    return f"{base.rstrip('/')}/{path}" + (f"?{query}" if query else "")
