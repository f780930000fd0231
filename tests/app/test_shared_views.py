"""A page whose data do not depend on the district filter is built once for every
district chosen (``views.common.depends_on``, ``ui.data.page_data``)."""

from __future__ import annotations

import functools

import pytest

from dortmund_kpi.ui import data
from dortmund_kpi.views import comparison
from tests.app.conftest import assert_ok, open_page, qp


def test_the_comparison_page_is_built_once_for_any_district(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    views = []
    real = comparison.build

    @functools.wraps(real)  # keeps the declared fields (and the cache key's name)
    def counted(query, view):
        views.append(view)
        return real(query, view)

    monkeypatch.setattr(comparison, "build", counted)
    data.clear()  # no page data of earlier tests
    first = open_page("vergleich", {"bezirk": "hoerde"})
    assert_ok(first)
    second = open_page("vergleich", {"bezirk": "eving"})
    assert_ok(second)
    assert len(views) == 1 and views[0].districts == ()  # built once, for no district
    assert [m.value for m in second.markdown] == [m.value for m in first.markdown]
    assert qp(second, "bezirk") == ["eving"]  # the link still carries the filter
