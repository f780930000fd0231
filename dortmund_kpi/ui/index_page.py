"""The HTML page every address of the dashboard answers with: Streamlit's own ``index.html``
in German (``lang="de"``) plus one script that tells Streamlit's front end where its
server is.

Why: opened at a page's address (``/masterplan``, ``/indikator?indikator=...``), Streamlit's
front end does not know whether ``masterplan`` is a page or part of the server's path, so
it asks ``/masterplan/_stcore/health`` first, gets a 404 and asks ``/_stcore/health`` only
after its retry pause: about 100 ms before the page can even connect (measured in headless
Chromium, ``docs/performance.md``). The dashboard knows its pages' addresses
(``share.urlstate.PAGES``), so the script sets the server's base address for them
(``window.__streamlit``, read by the front end at start) and the first request connects. At
any other address (the overview at ``/``, an unknown path) nothing is set and Streamlit
finds its server as before; a path prefix in front (a proxy, ``server.baseUrlPath``) stays
part of the base address.

A pure ASGI middleware: only the HTML of page addresses is read and rewritten (a few KB);
static files, media, the websocket and everything else pass through untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from dortmund_kpi.share import urlstate

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

# Streamlit's own addresses: never a page, never rewritten.
_OWN_PARTS = ("_stcore", "static", "media", "component", "app")
# The request headers that would make the answer compressed or empty (304).
_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
# The answer's headers that no longer match the rewritten page.
_DROPPED_RESPONSE_HEADERS = {b"content-length", b"etag", b"last-modified", b"content-encoding"}
_MARK = b"<script"  # the script goes before Streamlit's first one
_LANG = re.compile(rb'<html lang="[^"]*"')


def base_script(slugs: list[str]) -> str:
    """The script: at ``<prefix>/<slug>`` (a page's address), the server is at ``<prefix>/``."""
    return (
        "<script>(function () {"
        f"var pages = {json.dumps(slugs)};"
        'var path = location.pathname.replace(/\\/+$/, "");'
        'var cut = path.lastIndexOf("/");'
        "if (pages.indexOf(decodeURIComponent(path.slice(cut + 1))) < 0) return;"
        'var base = location.origin + path.slice(0, cut) + "/";'
        "window.__streamlit = Object.assign({}, window.__streamlit,"
        " {BACKEND_BASE_URL: base, MAIN_PAGE_BASE_URL: base});"
        "})();</script>"
    )


SCRIPT = base_script([slug for slug in urlstate.PAGES.values() if slug]).encode()


def is_page_request(scope: MutableMapping[str, Any]) -> bool:
    """A GET of an address that can be a page (not one of Streamlit's own, not a file)."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return False
    parts = [part for part in str(scope.get("path", "")).split("/") if part]
    if any(part in _OWN_PARTS for part in parts):
        return False
    return not parts or "." not in parts[-1]


def with_script(html: bytes) -> bytes:
    """``html`` with the script before its first ``<script`` (unchanged if there is none)
    and in German from its first byte: Streamlit's file says ``lang="en"``, which a screen
    reader read with until the frame's script had run (``ui.frame`` keeps it German)."""
    html = _LANG.sub(b'<html lang="de"', html, count=1)
    at = html.find(_MARK)
    return html if at < 0 else html[:at] + SCRIPT + html[at:]


class IndexPage:
    """ASGI middleware: page addresses get Streamlit's HTML with the base-address script."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if not is_page_request(scope):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k not in _DROPPED_REQUEST_HEADERS]
        await self.app({**scope, "headers": headers}, receive, _Rewriter(send).send)


class _Rewriter:
    """Holds an HTML answer back until its last part, then sends it rewritten."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._start: Message | None = None
        self._body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            if not _is_html(message):
                self._start = None
                await self._send(message)
            return
        if self._start is None or message["type"] != "http.response.body":
            await self._send(message)
            return
        self._body.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = with_script(b"".join(self._body))
        headers = [(k, v) for k, v in self._start["headers"] if k not in _DROPPED_RESPONSE_HEADERS]
        headers.append((b"content-length", str(len(body)).encode()))
        await self._send({**self._start, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})


def _is_html(start: Message) -> bool:
    if start.get("status") != 200:
        return False
    content_type = dict(start.get("headers", [])).get(b"content-type", b"")
    return content_type.startswith(b"text/html")
