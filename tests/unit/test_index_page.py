"""The index page middleware (``ui.index_page``): page addresses get Streamlit's HTML with
the base-address script; everything else passes through byte for byte."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
from typing import Any

import pytest

from dortmund_kpi.share import urlstate
from dortmund_kpi.ui.index_page import SCRIPT, IndexPage, is_page_request, with_script

HTML = b'<!DOCTYPE html><html><head><script>window.a=1</script><script type="module"></script>'


def _scope(path: str, method: str = "GET", kind: str = "http") -> dict[str, Any]:
    headers = [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"x"'), (b"host", b"h")]
    return {"type": kind, "method": method, "path": path, "headers": headers}


def _serve(scope: dict[str, Any], status: int, content_type: bytes, parts: list[bytes]):
    """Run the middleware around an app answering ``parts``; what it sent, what the app saw."""
    seen: dict[str, Any] = {}
    sent: list[dict[str, Any]] = []

    async def app(inner_scope, receive, send):
        seen["headers"] = dict(inner_scope["headers"])
        headers = [(b"content-type", content_type), (b"etag", b'"x"')]
        headers.append((b"content-length", str(sum(map(len, parts))).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for i, part in enumerate(parts):
            more = i < len(parts) - 1
            await send({"type": "http.response.body", "body": part, "more_body": more})

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    # In a thread of its own: a browser test before this one may leave an event loop
    # running in the main thread (Playwright's sync API), and asyncio.run refuses then.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, IndexPage(app)(scope, receive, send)).result()
    return sent, seen


def test_the_script_knows_every_page_address_but_the_overview_s():
    slugs = json.loads(re.search(rb"var pages = (\[[^\]]*\])", SCRIPT).group(1))
    assert sorted(slugs) == sorted(s for s in urlstate.PAGES.values() if s)
    assert b"BACKEND_BASE_URL" in SCRIPT and b"MAIN_PAGE_BASE_URL" in SCRIPT


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/", True),
        ("/masterplan", True),
        ("/kpi/indikator/", True),
        ("/static/js/index.js", False),
        ("/_stcore/health", False),
        ("/masterplan/_stcore/health", False),
        ("/media/abc.png", False),
        ("/favicon.png", False),
        ("/component/x", False),
    ],
)
def test_page_addresses(path, page):
    assert is_page_request(_scope(path)) is page


def test_only_gets_of_http_are_pages():
    assert not is_page_request(_scope("/masterplan", method="POST"))
    assert not is_page_request(_scope("/masterplan", method="HEAD"))
    assert not is_page_request(_scope("/_stcore/stream", kind="websocket"))


def test_the_script_goes_before_streamlit_s_first_script():
    page = with_script(HTML)
    assert page.index(SCRIPT) == HTML.index(b"<script")
    assert page.replace(SCRIPT, b"") == HTML
    assert with_script(b"<html>no scripts</html>") == b"<html>no scripts</html>"


def test_the_page_is_german_from_its_first_byte():
    streamlit_s = b'<!DOCTYPE html><html lang="en"><head><script>x</script>'
    page = with_script(streamlit_s)
    assert page.startswith(b'<!DOCTYPE html><html lang="de"><head>')
    assert page.count(b"lang=") == 1 and page.endswith(b"<script>x</script>")


def test_a_page_s_html_is_rewritten_with_its_length_and_asked_uncompressed():
    html = b"text/html; charset=utf-8"
    sent, seen = _serve(_scope("/masterplan"), 200, html, [HTML[:20], HTML[20:]])
    start, body = sent
    assert body["body"] == with_script(HTML) and not body.get("more_body")
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(with_script(HTML))).encode()
    assert b"etag" not in headers  # the validator of the file, not of this page
    assert b"accept-encoding" not in seen["headers"] and b"if-none-match" not in seen["headers"]
    assert seen["headers"][b"host"] == b"h"


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/static/js/index.js", 200, b"text/html"),  # not a page address
        ("/masterplan", 404, b"text/html"),  # not a plain answer
        ("/masterplan", 200, b"application/json"),  # not HTML
    ],
)
def test_everything_else_passes_through_unchanged(path, status, content_type):
    sent, _seen = _serve(_scope(path), status, content_type, [HTML[:20], HTML[20:]])
    assert [m.get("body") for m in sent[1:]] == [HTML[:20], HTML[20:]]
    assert dict(sent[0]["headers"])[b"etag"] == b'"x"'
