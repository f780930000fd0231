"""The accessibility statement (BITV 2.0): reachable from every page, with the feedback
contact the operator set (``DORTMUND_KPI_FEEDBACK``), and a hint when none is set."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dortmund_kpi import texts
from dortmund_kpi.settings import ENV_FEEDBACK
from dortmund_kpi.ui.widgets import WORD_JOINER
from tests.app.conftest import DASHBOARD, assert_ok, open_page

STATEMENT_FILE = "screens/statement.py"


def _statement() -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.run()
    at.switch_page(STATEMENT_FILE)
    return at.run()


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("contact", "shown"),
    [
        # The shown address keeps a word joiner: Markdown must not link it on its own.
        ("barrierefrei@stadtdo.de", f"barrierefrei{WORD_JOINER}@stadtdo.de](mailto:barrierefrei@"),
        ("https://www.dortmund.de/feedback", "(https://www.dortmund.de/feedback)"),
    ],
)
def test_statement_names_the_feedback_contact(
    monkeypatch: pytest.MonkeyPatch, contact: str, shown: str
) -> None:
    monkeypatch.setenv(ENV_FEEDBACK, contact)
    at = _statement()
    assert_ok(at)
    assert at.title[0].value == texts.STATEMENT_TITLE
    assert shown in _markdown(at)
    assert texts.STATEMENT_ENFORCEMENT in _markdown(at)


def test_statement_without_contact_tells_the_operator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_FEEDBACK, raising=False)
    at = _statement()
    assert_ok(at)
    assert texts.STATEMENT_NO_CONTACT in _markdown(at)


@pytest.mark.parametrize("page", ["uebersicht", "daten"])
def test_every_page_links_the_statement(page: str) -> None:
    at = open_page(page)
    assert_ok(at)
    links = [link.proto.label for link in at.get("page_link")]
    assert texts.FOOTER_STATEMENT in links
