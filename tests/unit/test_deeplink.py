"""Remembering a view across the sign-in redirect: browser key, validation, the store."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string
from streamlit.web.server.starlette.starlette_server_config import XSRF_COOKIE_NAME

from dortmund_kpi.districts import DistrictMatcher, load_districts
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share.deeplink import XSRF_COOKIE, PendingViews, View, browser_key, safe_view
from dortmund_kpi.share.url_values import UrlContext
from dortmund_kpi.share.urlstate import PAGES

CTX = UrlContext(
    masterplans=("verwaltung", "wirtschaft", "bildung"),
    indicators=("online_dienstleistungen", "glasfaser_haushalte"),
    districts=DistrictMatcher(load_districts(get_settings().districts_path)),
    years=(2018, 2025),
)
DEFAULTS = {
    "bezirk": [],
    "zeitraum": (2018, 2025),
    "masterplan": "verwaltung",
    "indikator": "online_dienstleistungen",
    "stand": None,
    "praesentation": False,
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def view(page: str = "indikator", **params: str) -> View:
    return View(page, tuple(params.items()))


# -- the browser key ----------------------------------------------------------------
def test_the_cookie_is_the_one_streamlit_sets():
    """Checked against the installed Streamlit: its name and format are not public API."""
    assert XSRF_COOKIE == XSRF_COOKIE_NAME
    assert generate_xsrf_token_string(os.urandom(16)).startswith("2|")


def test_same_browser_same_key_although_streamlit_remasks_the_cookie():
    token = os.urandom(16)
    first = generate_xsrf_token_string(token, 1_700_000_000)
    second = generate_xsrf_token_string(token, 1_700_000_000)
    assert first != second  # Streamlit writes a new random mask on every response
    assert browser_key(first) == browser_key(second) is not None


def test_other_browser_other_key_and_the_token_is_not_the_key():
    a, b = os.urandom(16), os.urandom(16)
    key = browser_key(generate_xsrf_token_string(a))
    assert key != browser_key(generate_xsrf_token_string(b))
    assert a.hex() not in key


@pytest.mark.parametrize(
    "cookie",
    [
        None,
        "",
        42,
        "2|zz|00|1",
        "2|00000000|00|1",  # token too short
        "2|0000000|" + "00" * 16 + "|1",  # odd mask
        "2|00000000|" + "00" * 16 + "|x",
        "1|00000000|" + "00" * 16 + "|1",
        "00" * 16,  # version 1 tokens are not written by Streamlit 1.67
        "2|00000000|" + "00" * 16 + "|1|extra",
        "2|" + "0" * 400,
    ],
)
def test_malformed_cookies_give_no_key(cookie):
    assert browser_key(cookie) is None


# -- only views of the contract are stored ---------------------------------------------
def test_view_is_parsed_and_written_by_the_contract():
    found = safe_view(
        "/indikator",
        {
            "indikator": ["glasfaser_haushalte"],
            "bezirk": ["Hörde", "<script>alert(1)</script>", "eving"],
            "zeitraum": ["2020", "2023"],
            "foo": ["bar"],
            "masterplan": ["bildung"],  # not a key of this page
        },
        CTX,
        DEFAULTS,
    )
    assert found == View(
        "indikator",
        (
            ("bezirk", "hoerde"),
            ("bezirk", "eving"),
            ("zeitraum", "2020"),
            ("zeitraum", "2023"),
            ("indikator", "glasfaser_haushalte"),
        ),
    )
    assert found.url == (
        "/indikator?bezirk=hoerde&bezirk=eving&zeitraum=2020&zeitraum=2023"
        "&indikator=glasfaser_haushalte"
    )
    assert found.params == {
        "bezirk": ["hoerde", "eving"],
        "zeitraum": ["2020", "2023"],
        "indikator": ["glasfaser_haushalte"],
    }


def test_hostile_values_are_dropped_not_stored():
    found = safe_view(
        "/daten",
        {
            "bezirk": ["'; DROP TABLE districts;--", "x" * 5000],
            "zeitraum": ["[2020](https://evil.example)"],
            "stand": ["javascript:alert(1)"],
            "\u202eevil": ["1"],
        },
        CTX,
        DEFAULTS,
    )
    assert found == View("daten", ())
    assert found.url == "/daten"


@pytest.mark.parametrize("path", [*(f"/{p}" if p else "/" for p in PAGES.values())])
def test_every_page_path_is_accepted(path):
    found = safe_view(path, {}, CTX, DEFAULTS)
    assert found is not None and found.url.split("?")[0] == path


@pytest.mark.parametrize(
    "path",
    [
        "",
        "indikator",  # not a path
        "//evil.example",
        "https://evil.example/",
        "/indikator/../daten",
        "/../daten",
        "/indikator?indikator=x",
        "/indikator#x",
        "/INDIKATOR",
        "/uebersicht",  # the default page is served at /
        "/oauth2callback",
        "/_stcore/health",
        "javascript:alert(1)",
        "/daten\r\nLocation: https://evil.example",
        "/" + "a" * 500,
        None,
    ],
)
def test_hostile_paths_are_refused(path):
    assert safe_view(path, {"bezirk": ["hoerde"]}, CTX, DEFAULTS) is None


# -- the store ------------------------------------------------------------------------
def test_a_view_is_taken_once(tmp_path: Path):
    store = PendingViews(tmp_path)
    store.remember("a", view(indikator="x"))
    assert store.take("a") == view(indikator="x")
    assert store.take("a") is None
    assert store.take("unknown") is None


def test_a_newer_sign_in_of_the_same_browser_replaces_the_older(tmp_path: Path):
    store = PendingViews(tmp_path)
    store.remember("a", view(indikator="x"))
    store.remember("a", view("daten"))
    assert len(store) == 1
    assert store.take("a") == view("daten")


def test_views_expire(tmp_path: Path):
    clock = Clock()
    store = PendingViews(tmp_path, ttl=600, clock=clock)
    store.remember("a", view(indikator="x"))
    clock.now += 300
    store.remember("b", view(indikator="y"))
    clock.now += 299
    assert store.take("a") == view(indikator="x")  # 599 s old: still there
    clock.now += 2
    assert len(store) == 1  # "b" is 301 s old
    clock.now += 300
    assert store.take("b") is None
    assert len(store) == 0


def test_the_store_is_bounded_and_drops_the_oldest(tmp_path: Path):
    store = PendingViews(tmp_path, max_entries=3)
    for name in "abcde":
        store.remember(name, view(indikator=name))
    assert len(store) == 3
    assert store.take("a") is None and store.take("b") is None
    assert [store.take(k) for k in "cde"] == [view(indikator=k) for k in "cde"]


def test_replacing_refreshes_the_age(tmp_path: Path):
    clock = Clock()
    store = PendingViews(tmp_path, ttl=100, clock=clock)
    store.remember("a", view(indikator="1"))
    store.remember("b", view(indikator="2"))
    clock.now += 60
    store.remember("a", view(indikator="3"))  # now the newest
    clock.now += 50
    assert store.take("b") is None  # 110 s old
    assert store.take("a") == view(indikator="3")


def test_concurrent_sessions_each_get_their_own_view_once(tmp_path: Path):
    store = PendingViews(tmp_path)
    keys = [f"browser-{i}" for i in range(200)]
    for key in keys:
        store.remember(key, view(indikator=key))
    taken: list[View | None] = []

    def take_all(store: PendingViews) -> None:
        for key in keys:
            taken.append(store.take(key))

    # each thread its own store object, as each replica has: they share only the folder
    threads = [
        threading.Thread(target=take_all, kwargs={"store": PendingViews(tmp_path)})
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    got = [v for v in taken if v is not None]
    assert sorted(v.query[0][1] for v in got) == sorted(keys)


def test_a_view_remembered_by_one_replica_is_taken_by_another(tmp_path: Path):
    """Replicas are processes: the sign-in may start on one and return to another."""
    db = tmp_path / "kpi.duckdb"
    remember = (
        "from dortmund_kpi.share.deeplink import View, pending_views\n"
        "pending_views().remember('browser', View('daten', (('bezirk', 'eving'),)))\n"
    )
    env = {**os.environ, "DORTMUND_KPI_DB": str(db)}
    subprocess.run([sys.executable, "-c", remember], env=env, check=True, timeout=60)
    store = PendingViews(get_settings(db).signin_dir)
    assert store.take("browser") == View("daten", (("bezirk", "eving"),))
    assert store.take("browser") is None
    assert get_settings(db).signin_dir.parent == tmp_path  # beside the database


def test_an_unreadable_entry_is_forgotten_not_raised(tmp_path: Path):
    store = PendingViews(tmp_path)
    store.remember("a", view(indikator="x"))
    next(tmp_path.glob("*.json")).write_text("{kaputt", encoding="utf-8")
    assert store.take("a") is None
    assert len(store) == 0
