"""Our markup reaches ``st.html`` as it is (``ui.widgets.html``): given a plain string,
Streamlit dedents and strips it on every run, a pass over every character of every
drawing (a twentieth of the server's work with 20 masterplan visitors at once)."""

from __future__ import annotations

import pytest
from streamlit.elements import html as st_html

from dortmund_kpi.ui import widgets
from tests.app.conftest import assert_ok, open_page


def _refuse(text: object) -> str:
    raise AssertionError(f"st.html dedented markup: {str(text)[:80]!r}")


@pytest.mark.parametrize("page", widgets.PAGE_FILES)
def test_no_page_has_its_markup_dedented(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st_html, "clean_text", _refuse)
    at = open_page(page, charts_open=False)
    assert_ok(at)
    assert at.get("html"), "the page sends markup"
