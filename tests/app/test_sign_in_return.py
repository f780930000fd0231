"""A sign-in must not lose the deep link (PITFALLS 3.9).

Streamlit's OIDC callback redirects to the start page in a new session. Simulated
here as two AppTest sessions of one browser: the first opens a deep link and clicks
"sign in" (``st.login`` is replaced by a recorder: the identity provider is not part
of the test), the second starts signed in on the start page without parameters, as
the callback leaves it. Both see the same browser cookie (Streamlit's XSRF token,
re-masked on every response as the real server does); AppTest cannot send cookies,
so Streamlit's client context is replaced by one that carries them.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import streamlit
from streamlit.runtime import context as st_context
from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

from dortmund_kpi import texts
from dortmund_kpi.share import deeplink

from .conftest import DASHBOARD, PAGE_FILES, assert_ok, qp_all, warnings
from .test_editor_upload import AUTH, EDITORS

SIGNED_OUT = {"is_logged_in": False}
EDITOR = {
    "is_logged_in": True,
    "name": "Eva Editor",
    "email": "eva@dortmund.de",
    "email_verified": True,
}


class Browser:
    """One browser's cookies: its XSRF token stays, the cookie text changes per response."""

    def __init__(self, *, xsrf: bool = True) -> None:
        self.token = os.urandom(16) if xsrf else None

    def cookies(self) -> dict[str, str]:
        jar = {"_pk_id": "matomo.1"}
        if self.token:
            jar[deeplink.XSRF_COOKIE] = generate_xsrf_token_string(self.token)
        return jar


class Client:
    """Streamlit's ``ClientContext`` of the websocket handshake, for ``st.context.cookies``."""

    def __init__(self, browser: Browser) -> None:
        self.cookies = browser.cookies()
        self.headers: list[tuple[str, str]] = []
        self.remote_ip = None


@pytest.fixture
def logins(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """``st.login`` calls (the real one redirects to the identity provider)."""
    calls: list[Any] = []
    monkeypatch.setattr(streamlit, "login", lambda provider=None: calls.append(provider))
    deeplink.pending_views().clear()
    yield calls
    deeplink.pending_views().clear()


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch, logins: list[Any]):
    """``session(browser, user, page, params)``: a new AppTest session of ``browser``."""

    def open_session(
        browser: Browser, user: dict, page: str = "uebersicht", params: dict | None = None
    ) -> AppTest:
        client = Client(browser)  # a new page load: new websocket, cookie re-masked
        monkeypatch.setattr(st_context, "_get_client_context", lambda: client)
        at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
        at.secrets["auth"] = AUTH
        at.secrets["editors"] = EDITORS
        at.user = user
        if page == "uebersicht":
            at.query_params.update(params or {})
            return at.run()
        at.run()
        at.query_params.clear()
        at.query_params.update(params or {})
        at.switch_page(PAGE_FILES[page])
        return at.run()

    return open_session


def sign_in(at: AppTest) -> AppTest:
    button = next(b for b in at.button if b.label == texts.UPLOAD_SIGN_IN)
    return button.click().run()


def title(at: AppTest) -> str:
    return at.title[0].value


def test_sign_in_returns_to_the_deep_link_with_its_filters(session, logins):
    browser = Browser()
    before = session(
        browser, SIGNED_OUT, "daten", {"bezirk": ["Hörde", "eving"], "zeitraum": ["2020", "2023"]}
    )
    assert_ok(before)
    before.sidebar.multiselect[0].select("mengede").run()  # changed after opening the link
    sign_in(before)
    assert_ok(before)
    assert len(logins) == 1
    assert len(deeplink.pending_views()) == 1

    after = session(browser, EDITOR)  # the callback: start page, no parameters, signed in
    assert_ok(after)
    assert title(after) == texts.PAGE_TITLES["daten"]
    assert after.session_state["bezirk"] == ["hoerde", "eving", "mengede"]
    assert tuple(after.session_state["zeitraum"]) == (2020, 2023)
    assert qp_all(after) == {"bezirk": ["hoerde", "eving", "mengede"], "zeitraum": ["2020", "2023"]}
    assert len(after.get("file_uploader")) == 1, "the editor is back at the upload"
    assert warnings(after) == []

    assert len(deeplink.pending_views()) == 0
    again = session(browser, EDITOR)  # once only: the next visit of the start page stays
    assert_ok(again)
    assert title(again) == texts.PAGE_TITLES["uebersicht"]
    assert qp_all(again) == {}


def test_another_browser_does_not_get_the_view(session, logins):
    editor_browser, other = Browser(), Browser()
    sign_in(session(editor_browser, SIGNED_OUT, "daten", {"bezirk": "eving"}))

    stranger = session(other, EDITOR)
    assert_ok(stranger)
    assert title(stranger) == texts.PAGE_TITLES["uebersicht"]
    assert stranger.session_state["bezirk"] == []
    assert len(deeplink.pending_views()) == 1

    back = session(editor_browser, EDITOR)
    assert title(back) == texts.PAGE_TITLES["daten"]
    assert back.session_state["bezirk"] == ["eving"]


def test_no_return_while_signed_out_or_when_a_link_was_opened(session, logins):
    browser = Browser()
    sign_in(session(browser, SIGNED_OUT, "daten", {"zeitraum": ["2019", "2021"]}))

    cancelled = session(browser, SIGNED_OUT)  # sign-in given up: back on the start page
    assert title(cancelled) == texts.PAGE_TITLES["uebersicht"]
    linked = session(browser, EDITOR, params={"bezirk": "hoerde"})  # a link of its own
    assert title(linked) == texts.PAGE_TITLES["uebersicht"]
    assert linked.session_state["bezirk"] == ["hoerde"]
    assert len(deeplink.pending_views()) == 1

    back = session(browser, EDITOR)
    assert title(back) == texts.PAGE_TITLES["daten"]
    assert tuple(back.session_state["zeitraum"]) == (2019, 2021)


def test_only_a_valid_view_is_remembered(session, logins):
    browser = Browser()
    hostile = {
        "bezirk": ["<script>alert(1)</script>", "eving", "x" * 3000],
        "zeitraum": "'; DROP TABLE observations;--",
        "stand": "[klick](https://evil.example)",
        "foo": "bar",
    }
    before = session(browser, SIGNED_OUT, "daten", hostile)
    assert_ok(before)
    sign_in(before)
    key = deeplink.browser_key(browser.cookies()[deeplink.XSRF_COOKIE])
    view = deeplink.pending_views().take(key)
    assert view is not None and view.url == "/daten?bezirk=eving"
    deeplink.pending_views().remember(key, view)

    after = session(browser, EDITOR)
    assert_ok(after)
    assert title(after) == texts.PAGE_TITLES["daten"]
    assert qp_all(after) == {"bezirk": ["eving"]}
    assert warnings(after) == [], "nothing hostile came back"


def test_without_xsrf_cookie_sign_in_works_and_the_start_page_links_back(session, logins):
    browser = Browser(xsrf=False)
    sign_in(session(browser, SIGNED_OUT, "daten", {"bezirk": "eving"}))
    assert len(logins) == 1
    assert len(deeplink.pending_views()) == 0

    after = session(browser, EDITOR)
    assert_ok(after)
    assert title(after) == texts.PAGE_TITLES["uebersicht"]
    assert texts.EDITOR_WELCOME in [link.label for link in after.get("page_link")]
