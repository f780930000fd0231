"""Filter changes redraw only the sections that show them (``ui.partial``), and the
address bar, the share dialog and the slides still follow every filter.

What the server sends is read off the websocket: every element of a run arrives as a
``Delta`` at its position (``delta_path``), or as a ``ref_hash`` naming an element the
browser has cached; a delta drawn by a fragment carries its ``fragment_id``. A full rerun
sends the whole page again (title, filters, measures: positions outside every section).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page
from pptx import Presentation
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import (
    assert_no_error,
    h1,
    open_page,
    period_years,
    rerun,
    select_district,
    selected_districts,
    static_chart,
    static_tips,
)

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Sent:
    kind: str  # element or block type, "ref_hash" for an element the browser has cached
    fragment: str  # the fragment that drew it ("" outside fragments, or unknown)
    path: tuple[int, ...]  # its position: container (0 main, 1 sidebar), index, ...


class Deltas:
    """The elements the server sends to one page."""

    def __init__(self, page: Page) -> None:
        self.received: list[Sent] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        path = tuple(msg.metadata.delta_path)
        if kind == "ref_hash":
            self.received.append(Sent(kind, "", path))
        elif kind == "delta":
            delta = msg.delta
            kind = delta.WhichOneof("type")
            if kind in ("new_element", "add_block"):
                kind = getattr(delta, kind).WhichOneof("type")
            self.received.append(Sent(kind, delta.fragment_id, path))

    def take(self) -> list[Sent]:
        taken, self.received = self.received, []
        return taken

    def sections(self, page: Page, count: int, timeout_s: float = 60) -> list[Sent]:
        """What ``count`` sections sent: the sections of one change rerun one after the
        other, each a script run of its own, so the first may end before the next starts."""
        deadline = time.monotonic() + timeout_s
        while len({s.fragment for s in self.received if s.fragment}) < count:
            if time.monotonic() > deadline:
                break
            page.wait_for_timeout(50)
        return self.take()


def sections_only(sent: list[Sent]) -> set[str]:
    """The fragments that drew ``sent``; fails when anything lies outside them (a
    position that no fragment's element holds, e.g. the title or the filters)."""
    assert sent, "the change drew nothing"
    fragments = {s.fragment for s in sent if s.fragment}
    roots = {s.path[:2] for s in sent if s.fragment}
    outside = [(s.kind, s.path) for s in sent if s.path[:2] not in roots]
    assert outside == [], f"elements outside the sections were sent: {outside}"
    return fragments


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _share_link(page: Page) -> str:
    page.get_by_role("button", name="Link teilen").click()
    code = page.get_by_role("dialog").locator("code").first
    code.wait_for()
    live = code.inner_text()
    page.keyboard.press("Escape")
    return live


def _slide_texts(page: Page) -> str:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Als Folie (PPTX)").first.click()
    deck = Presentation(io.BytesIO(info.value.path().read_bytes()))
    return " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


def _series_names(page: Page) -> list[str]:
    """The areas of the series' points as drawn, in order."""
    return list(dict.fromkeys(tip.split("\n")[0] for tip in static_tips(page, "series")))


def test_district_change_on_the_indicator_page_redraws_only_its_sections(
    page: Page, app_server: AppServer, browser: Browser
):
    deltas = Deltas(page)
    open_page(page, app_server.base_url, "/indikator?indikator=online_antraege")
    static_chart(page, "series")
    title = h1(page)
    full = deltas.take()
    assert any(s.kind == "heading" and not s.fragment for s in full), "a load is a full run"

    select_district(page, "Hörde")
    static_chart(page, "series")
    # series; map to metadata; the linked measures (their links carry the view); share
    assert len(sections_only(deltas.sections(page, 4))) == 4
    assert h1(page) == title
    assert "Hörde" in _series_names(page)
    assert_no_error(page)

    # The address bar, the share dialog and the slides follow the partial rerun.
    assert _query(page) == {"indikator": ["online_antraege"], "bezirk": ["hoerde"]}
    live = _share_link(page)
    assert parse_qs(urlsplit(live).query).get("bezirk") == ["hoerde"], live
    assert "Hörde" in _slide_texts(page)

    # The address reproduces the view in a new session.
    other = new_context(browser)
    try:
        fresh = other.new_page()
        open_page(fresh, "", page.url)
        static_chart(fresh, "series")
        assert (h1(fresh), selected_districts(fresh)) == (title, ["Hörde"])
        assert _series_names(fresh) == _series_names(page)
    finally:
        other.close()


def test_overview_redraws_its_tiles_for_a_district_and_the_matrix_for_years(
    page: Page, app_server: AppServer
):
    deltas = Deltas(page)
    open_page(page, app_server.base_url, "/")
    deltas.take()

    select_district(page, "Hörde")
    # The tiles, the overdue measures (their links carry the view) and the share section;
    # the matrix shows the whole city.
    assert len(sections_only(deltas.sections(page, 3))) == 3
    assert "Kacheln für Hörde" in page.locator("[data-testid='stMain']").inner_text()
    assert _query(page) == {"bezirk": ["hoerde"]}

    lo, hi = period_years(page)
    thumb = page.locator("[data-testid='stSlider'] input[type='range']").first
    thumb.focus()
    with rerun(page):
        page.keyboard.press("ArrowRight")
    assert len(sections_only(deltas.sections(page, 4))) == 4  # tiles, matrix, measures, share
    assert period_years(page) == (lo + 1, hi)
    assert _query(page) == {"bezirk": ["hoerde"], "zeitraum": [str(lo + 1), str(hi)]}
    assert_no_error(page)
