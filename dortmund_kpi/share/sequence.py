"""A presentation as a sequence of chosen views: the URL keys ``folge`` and ``schritt``.

``folge`` repeats, one view link per step, in the order they are shown
(``folge=/indikator?indikator=glasfaser_haushalte&folge=/bezirke?bezirk=hoerde``);
``schritt`` is the step on screen (1 = the first). With ``praesentation=1`` the arrow
keys move within the list instead of through the pages in navigation order. Each item is
a whole view: its page and filters, as the share dialog's link has them (absolute links
are cut to path and query, so a list made on one server plays on another).

``steps`` is the reader of ``folge`` in the key table (``share.urlstate.KEYS``), which
imports this module (so this one imports nothing of it); ``step_params`` makes the link
of a step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit

FOLGE, SCHRITT, PRESENTING = "folge", "schritt", "praesentation"
MAX_STEPS = 50  # as many as a link's repeated values (url_values.MAX_RAW_VALUES)
MAX_ITEM_CHARS = 2000  # a view link is a few hundred characters; more is not a view
OVERVIEW_PATHS = ("", "uebersicht")  # the overview answers at / and at /uebersicht
# Keys of the presentation itself: not part of a step's view (no list inside a list).
_OWN = (FOLGE, SCHRITT, PRESENTING)


def item(link: str, paths: Iterable[str]) -> str | None:
    """A view link as a step: ``/path?query`` of one of the app's page ``paths``, without
    the presentation's own keys; ``None`` for anything else (another site's path, a
    script, text)."""
    text = link.strip()
    if not text or len(text) > MAX_ITEM_CHARS or not text.isprintable():
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("", "http", "https") or (parts.netloc and not parts.scheme):
        return None
    path = parts.path.strip("/").rsplit("/", 1)[-1] if parts.scheme else parts.path.strip("/")
    if path in OVERVIEW_PATHS:
        path = ""
    if path not in set(paths) or (not parts.scheme and not text.startswith("/")):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _OWN]
    return f"/{path}" + (f"?{urlencode(query)}" if query else "")


def steps(raw: list[str], paths: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reader of ``folge`` (``urlstate`` wraps it): the steps, and the texts that are
    not view links of this app (each becomes a notice)."""
    known, found, rejected = tuple(paths), [], []
    if len(raw) > MAX_STEPS:
        rejected.append(f"{len(raw)} Werte")
    for text in raw[:MAX_STEPS]:
        step = item(text, known)
        if step is None:
            rejected.append(text)
        else:
            found.append(step)
    return tuple(found), tuple(rejected)


def step_params(steps: tuple[str, ...], number: int, pages: Mapping[str, str]) -> tuple[str, dict]:
    """Page key and query parameters of step ``number`` (1 = the first) of ``steps``: its
    view, and the presentation with its list and position."""
    parts = urlsplit(steps[number - 1])
    path = parts.path.strip("/")
    page = next(key for key, p in pages.items() if p == path)
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        params.setdefault(key, []).append(value)
    own = {PRESENTING: ["1"], FOLGE: list(steps), SCHRITT: [str(number)]}
    return page, params | own
