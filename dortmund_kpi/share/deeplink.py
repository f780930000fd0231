"""Keep a deep link across the sign-in redirect (no Streamlit here; ``editor`` wires it up).

Streamlit's OIDC callback (1.67) always redirects to the app's start page, in a
new session: the page and query string the editor had open are lost. So before
``st.login`` the view is remembered on the server, keyed by the browser, and the
start page takes it back once after the redirect.

The key is the browser's ``_streamlit_xsrf`` cookie, which Streamlit sets on
the health check every page load makes (XSRF protection is on in production). It
is a session cookie that the redirects of the sign-in keep (SameSite=Lax, top-level
GET navigations); its text changes with every response (a fresh random mask), but
the token under the mask stays the same, so the key is a hash of the unmasked
token. Only views that pass the URL contract (``urlstate``) are stored, few and
briefly (``MAX_ENTRIES``, ``TTL_SECONDS``), and each is handed out once.

Limits: the store lives in the memory of one server process; with several
instances the sign-in must return to the same one (sticky sessions), otherwise
the start page shows its link to the upload instead. Without the XSRF cookie
(protection switched off) nothing is remembered either.
"""

from __future__ import annotations

import binascii
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dortmund_kpi.share import urlstate

XSRF_COOKIE = "_streamlit_xsrf"
TTL_SECONDS = 15 * 60  # time to sign in at the identity provider (incl. a second factor)
MAX_ENTRIES = 1000  # browsers signing in at the same time; the oldest goes first
TOKEN_BYTES = 16  # Streamlit's XSRF token: 16 random bytes


def browser_key(xsrf_cookie: object) -> str | None:
    """A stable key for one browser from its XSRF cookie, or None when there is none.

    Streamlit writes the cookie as ``2|<mask hex>|<masked token hex>|<timestamp>``
    and re-masks it on every response; the token itself (mask XOR masked) is stable.
    """
    if not isinstance(xsrf_cookie, str) or len(xsrf_cookie) > 200:
        return None
    parts = xsrf_cookie.strip("\"'").split("|")
    if len(parts) != 4 or parts[0] != "2" or not parts[3].isdigit():
        return None
    try:
        mask = binascii.a2b_hex(parts[1])
        masked = binascii.a2b_hex(parts[2])
    except (binascii.Error, ValueError):
        return None
    if len(mask) != 4 or len(masked) != TOKEN_BYTES:
        return None
    token = bytes(b ^ mask[i % 4] for i, b in enumerate(masked))
    return hashlib.sha256(b"dortmund-kpi sign-in return\0" + token).hexdigest()


@dataclass(frozen=True)
class View:
    """A page and its query parameters, checked against the URL contract."""

    page: str
    query: tuple[tuple[str, str], ...]

    @property
    def params(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value in self.query:
            out.setdefault(key, []).append(value)
        return out

    @property
    def url(self) -> str:
        """Relative link, e.g. ``/indikator?indikator=x&bezirk=hoerde``."""
        path = urlstate.PAGES[self.page]
        return f"/{path}" + (f"?{urlencode(self.query)}" if self.query else "")


def safe_view(
    path: str,
    params: Mapping[str, list[str]],
    ctx: urlstate.UrlContext,
    defaults: Mapping[str, Any],
) -> View | None:
    """The view to return to after sign-in, or None when ``path`` is not one of our pages.

    ``path`` is a page path of the contract (``/``, ``/indikator``, ...); anything else
    (another host, ``..``, a scheme, a query) is refused. The parameters are parsed and
    written back by ``urlstate``: unknown keys and invalid values are dropped, so only
    a link the app could have written itself is stored.
    """
    if not isinstance(path, str) or len(path) > 100:
        return None
    pages = {f"/{p}" if p else "/": key for key, p in urlstate.PAGES.items()}
    page = pages.get(path)
    if page is None:
        return None
    parsed = urlstate.parse(params, page, ctx)
    query = urlstate.serialize(parsed.values, page, defaults)
    return View(page, tuple((key, value) for key, values in query.items() for value in values))


class PendingViews:
    """Views waiting for their browser to come back from sign-in: bounded, short-lived,
    each taken once. Thread-safe (every Streamlit session runs in its own thread)."""

    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, View]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, key: str, view: View) -> None:
        """Store ``view`` for the browser ``key`` (a newer sign-in replaces an older one)."""
        with self._lock:
            self._expire()
            self._entries.pop(key, None)
            self._entries[key] = (self._clock(), view)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def take(self, key: str) -> View | None:
        """The view stored for ``key``, removed from the store; None when none or expired."""
        with self._lock:
            self._expire()
            entry = self._entries.pop(key, None)
        return entry[1] if entry else None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._entries)

    def _expire(self) -> None:
        limit = self._clock() - self.ttl
        while self._entries:
            key, (stored, _) = next(iter(self._entries.items()))
            if stored > limit:
                break
            del self._entries[key]


# One store per server process (see the module docstring for several instances).
PENDING = PendingViews()
