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

The store is a folder beside the database (``PendingViews``), so every replica
that serves the database sees it: the redirect back from the identity provider
may reach another replica than the one that remembered the view (its own died,
was restarted, or the proxy has no affinity). Streamlit's own sign-in state
travels in cookies signed with ``[auth] cookie_secret``, which all replicas
share through ``secrets.toml``. Without the XSRF cookie (protection switched
off) nothing is remembered.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from dortmund_kpi.settings import get_settings
from dortmund_kpi.share import url_values, urlstate

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
    ctx: url_values.UrlContext,
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
    each taken once, shared by every process that serves the same database.

    One small file per browser in ``directory`` (beside the database, see
    ``Settings.signin_dir``), written as the store writes: to a temporary file, made
    durable, then renamed into place, so a reader sees a whole entry or none. Taking
    renames the file to a name of its own first: of two replicas taking at once, only
    one gets it. The file's modification time is when it was stored.
    """

    def __init__(
        self,
        directory: Path,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.time,  # wall clock: comparable across processes
    ) -> None:
        self.directory = Path(directory)
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock

    def remember(self, key: str, view: View) -> None:
        """Store ``view`` for the browser ``key`` (a newer sign-in replaces an older one).

        Raises OSError when the folder cannot be written (the caller signs in anyway).
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"page": view.page, "query": [list(q) for q in view.query]})
        tmp = self.directory / f".tmp-{os.getpid()}-{secrets.token_hex(8)}"
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            now = self._clock()
            os.utime(tmp, (now, now))
            os.replace(tmp, self._file(key))
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._sweep()

    def take(self, key: str) -> View | None:
        """The view stored for ``key``, removed from the store; None when none or expired."""
        claim = self.directory / f".taken-{os.getpid()}-{secrets.token_hex(8)}"
        try:
            os.rename(self._file(key), claim)  # atomic: one taker wins
        except OSError:  # none stored (or no folder): nothing to return to
            return None
        try:
            if claim.stat().st_mtime <= self._clock() - self.ttl:
                return None
            data = json.loads(claim.read_text(encoding="utf-8"))
            return View(str(data["page"]), tuple((str(k), str(v)) for k, v in data["query"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # damaged by hand: forgotten like an expired one
        finally:
            with contextlib.suppress(OSError):
                claim.unlink()

    def clear(self) -> None:
        for _, path in self._entries():
            with contextlib.suppress(OSError):
                path.unlink()

    def __len__(self) -> int:
        limit = self._clock() - self.ttl
        return sum(1 for stored, _ in self._entries() if stored > limit)

    def _file(self, key: str) -> Path:
        """One file name per key, whatever the key's text (no path can come of it)."""
        return self.directory / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".json")

    def _entries(self) -> list[tuple[float, Path]]:
        found = []
        with contextlib.suppress(FileNotFoundError):
            for path in self.directory.glob("*.json"):
                with contextlib.suppress(FileNotFoundError):  # taken meanwhile
                    found.append((path.stat().st_mtime, path))
        return sorted(found)

    def _sweep(self) -> None:
        """Drop expired entries, then the oldest beyond ``max_entries``."""
        entries = self._entries()
        limit = self._clock() - self.ttl
        expired = [path for stored, path in entries if stored <= limit]
        alive = [path for stored, path in entries if stored > limit]
        for path in expired + alive[: max(0, len(alive) - self.max_entries)]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        for leftover in self.directory.glob(".t*-*"):  # of writers or takers that died
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < time.time() - self.ttl:
                    leftover.unlink()


def pending_views() -> PendingViews:
    """The store of the database this process serves (shared by all its replicas)."""
    return PendingViews(get_settings().signin_dir)
