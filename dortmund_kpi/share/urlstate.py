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
- ``read(raw, ctx, now)``: the raw values (a key may repeat) -> ``url_values.Read``: the
  value, or ``None`` (nothing set, the default applies), and the texts it rejected (each
  becomes a ``Notice``);
- ``write(value)``: value -> the strings written, or ``None``/``[]`` for nothing;
- ``default(ctx)``: the value of a URL without the key (``defaults(ctx)``); a key
  equal to the default is left out, unless ``written_at_default`` (a page's own
  choice, so a shared link does not depend on catalog order);
- ``carried``: whether the value goes along to another page;
- ``old_names``: earlier or alternative spellings. Append, never remove.

``parse``, ``serialize``, ``migrate_keys`` and ``defaults`` walk the table;
``SHARED_KEYS``, ``PAGE_KEYS``, ``KEY_MIGRATIONS`` and ``CARRIED_KEYS`` are derived
from it. To add a key, add one row (its reader and writer beside the others in ``url_values``) and
its line in README.md ("Dashboard: pages and URLs"); tests/unit/test_url_contract.py
checks the README against the table and asks for valid sample values of the new key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from dortmund_kpi.share import sequence, url_values
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
# Keys Streamlit itself reads; they pass through untouched (not ours, so not in KEYS).
RESERVED_KEYS = ("embed", "embed_options")


@dataclass(frozen=True)
class Notice:
    key: str
    value: str


@dataclass
class Parsed:
    values: dict[str, object] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def _read_steps(
    raw: list[str], ctx: url_values.UrlContext, now: datetime | None
) -> url_values.Read:
    return url_values.Read(*sequence.steps(raw, PAGES.values()))


# -- the table ------------------------------------------------------------------
EVERY_PAGE = None  # the scope of a shared key
TRENDS = ("trends",)  # the scope of the Technologiescout's own keys
_first_mode, _none = url_values.first(lambda ctx: SECTOR_MODES), url_values.first(lambda ctx: ())


@dataclass(frozen=True)
class UrlKey:
    """One query key of the contract (one row of ``KEYS``)."""

    name: str
    pages: tuple[str, ...] | None  # EVERY_PAGE (shared), or the pages whose own key it is
    read: Callable[[list[str], url_values.UrlContext, datetime | None], url_values.Read]
    write: Callable[[object], list[str] | None]
    default: Callable[[url_values.UrlContext], object]
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
        url_values.read_districts,
        url_values.write_each,
        lambda ctx: [],
        old_names=("district", "bezirke"),
    ),
    # First and last year, repeated key: zeitraum=2019&zeitraum=2024; default the data range.
    UrlKey(
        "zeitraum",
        EVERY_PAGE,
        url_values.read_years,
        url_values.write_years,
        lambda ctx: ctx.years,
        old_names=("period", "jahr"),
    ),
    # The data as known at a moment (a pinned link): 2025-03-31 = end of that day, or
    # 2025-03-31T14:05:00[.000001]; never after now.
    UrlKey(
        "stand",
        EVERY_PAGE,
        url_values.read_stand,
        url_values.write_stand,
        lambda ctx: None,
        old_names=("asof", "as_of"),
    ),
    # praesentation=1: presentation mode for a meeting-room screen.
    UrlKey(
        "praesentation",
        EVERY_PAGE,
        url_values.read_flag,
        url_values.write_flag,
        lambda ctx: False,
        old_names=("praesentationsmodus", "presentation"),
    ),
    # A measure id (v01_serviceportal): its detail above the page; stays on that page.
    UrlKey(
        "massnahme",
        EVERY_PAGE,
        url_values.one_of(lambda ctx: ctx.measures),
        url_values.write_one,
        lambda ctx: None,
        carried=False,
        old_names=("measure", "maßnahme"),
    ),
    # A presentation of chosen views, one link per step (folge=/indikator?indikator=…), and
    # the step on screen (schritt=2); see share/sequence.py.
    UrlKey("folge", EVERY_PAGE, _read_steps, url_values.write_each, lambda ctx: ()),
    UrlKey(
        "schritt", EVERY_PAGE, url_values.read_chart_page, url_values.write_one, lambda ctx: None
    ),
    # The masterplan shown on its page; default the first in catalog order.
    UrlKey(
        "masterplan",
        ("masterplan",),
        url_values.one_of(lambda ctx: ctx.masterplans),
        url_values.write_one,
        url_values.first(lambda ctx: ctx.masterplans),
        written_at_default=True,
        old_names=("mp",),
    ),
    # Which group of charts a masterplan with many indicators shows (seite=2: the second);
    # not carried to another page or masterplan.
    UrlKey(
        "seite",
        ("masterplan",),
        url_values.read_chart_page,
        url_values.write_one,
        lambda ctx: 1,
        carried=False,
        old_names=("page",),
    ),
    # The indicator shown on its page (and in the district chart); default the first in
    # catalog order.
    UrlKey(
        "indikator",
        ("indikator", "bezirke", "vergleich"),  # bezirke: district chart; vergleich: compared
        url_values.one_of(lambda ctx: ctx.indicators),
        url_values.write_one,
        url_values.first(lambda ctx: ctx.indicators),
        written_at_default=True,
        old_names=("indicator", "kpi"),
    ),
    # je1000=1: the indicator page's values per 1,000 inhabitants (its switch; an indicator
    # without that choice shows its values as they are).
    UrlKey(
        "je1000", ("indikator",), url_values.read_flag, url_values.write_flag, lambda ctx: False
    ),
    # The Technologiescout's sectors by technology field (default) or masterplan; a trend
    # id (t01_generative_ki) opens its detail there.
    UrlKey(
        "sektoren",
        TRENDS,
        url_values.one_of(lambda c: SECTOR_MODES),
        url_values.write_one,
        _first_mode,
    ),
    UrlKey(
        "trend",
        TRENDS,
        url_values.one_of(lambda c: c.trends),
        url_values.write_one,
        _none,
        carried=False,
    ),
    # The peer group of the comparison page (an id of data/peers.yaml); default the first.
    UrlKey(
        "vergleich",
        ("vergleich",),
        url_values.one_of(lambda ctx: ctx.peer_groups),
        url_values.write_one,
        url_values.first(lambda ctx: ctx.peer_groups),
        written_at_default=True,
        old_names=("gruppe", "peers"),
    ),
)


# -- derived from the table -----------------------------------------------------
def view_keys(page: str | None = None) -> tuple[str, ...]:
    """The keys ``page``'s view consists of (shared, then its own), in URL order;
    without ``page`` every key of the table (the state kept across pages)."""
    return tuple(key.name for key in KEYS if page is None or key.on(page))


def defaults(ctx: url_values.UrlContext) -> dict[str, object]:
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
    params: Mapping[str, list[str]],
    page: str,
    ctx: url_values.UrlContext,
    now: datetime | None = None,
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
