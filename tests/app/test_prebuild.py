"""After an import the views being looked at are built on the new version before anyone
asks again (``ui.prebuild``, started by the read pool's follow thread)."""

from __future__ import annotations

import functools
import threading

import pytest

from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import ENV_DB, Settings
from dortmund_kpi.views import masterplan
from tests.app.conftest import assert_ok, drawings, open_page

WAIT_S = 60.0  # the follow thread looks every second; a loaded CI machine may be slow


def _wait_for(condition, timeout_s: float = WAIT_S) -> bool:
    done = threading.Event()
    for _ in range(int(timeout_s / 0.05)):
        if condition():
            return True
        done.wait(0.05)
    return condition()


def test_a_page_looked_at_is_built_on_a_new_version_before_its_next_visitor(
    db_copy: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    store = Store(db_copy.db_path)
    with store.write():
        pass  # published versions beside each other, as every import after `init` makes
    built: list[str] = []
    real = masterplan.build

    @functools.wraps(real)  # same module and name: the same cache key as the real one
    def counted(query, view):
        built.append(query.db_file)
        return real(query, view)

    monkeypatch.setattr(masterplan, "build", counted)
    first = open_page("masterplan")
    assert_ok(first)
    assert built == [str(store.current_file())]

    with store.write():
        pass  # an import publishes a new version; nobody opens a page
    new = str(store.current_file())
    assert _wait_for(lambda: new in built), "the new version's page data were not built"

    again = open_page("masterplan")  # the next visitor
    assert_ok(again)
    assert built.count(new) == 1  # found ready, not built a second time
    shown = [block.value for block in first.markdown] + drawings(first)  # titles and cards
    assert [block.value for block in again.markdown] + drawings(again) == shown
    assert len(drawings(first)) > 5
