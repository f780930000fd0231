"""A tile's "?" explanation behaves as a popup: one at a time, closed by a click elsewhere
or by Escape, the keyboard focus back on its "?"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from dortmund_kpi.ui.tile_markup import HELP_CLASS
from tests.e2e.conftest import AppServer
from tests.e2e.helpers import h1, open_page

pytestmark = pytest.mark.e2e

OPEN = f"details.{HELP_CLASS}[open]"


def test_tile_help_opens_one_at_a_time_and_closes_like_a_popup(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, "/")
    helps = page.locator(f"[data-testid='stMain'] details.{HELP_CLASS}")
    first, second = helps.nth(0), helps.nth(1)

    first.locator("summary").click()
    assert page.locator(OPEN).count() == 1
    first.locator("p").first.click()  # reading it (a click inside) keeps it open
    assert first.evaluate("d => d.open")

    second.locator("summary").click()  # another one: only that one is open
    assert not first.evaluate("d => d.open") and second.evaluate("d => d.open")

    page.get_by_role("heading", level=1, name=h1(page)).click()  # a click elsewhere
    assert page.locator(OPEN).count() == 0

    first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert first.evaluate("d => d.open")
    page.keyboard.press("Escape")
    assert page.locator(OPEN).count() == 0
    assert first.locator("summary").evaluate("s => s === document.activeElement")
