"""Malformed link values: a German warning naming the key, no exception, the default for
that key only, every other valid key of the same link still applied and written back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from .conftest import assert_ok, figures, open_page, qp_all, warnings

FULL = (2018, 2025)  # the fixture's data range (slider default)
LONG = "x" * 5000


@dataclass(frozen=True)
class Case:
    id: str
    page: str
    params: dict
    bad_key: str
    state: dict  # expected session values after the run
    url: dict = field(default_factory=dict)  # expected query parameters written back
    empty: bool = False  # the bad value is blank: the "leerer Wert" notice


CASES = [
    Case(
        "bezirk-unknown",
        "indikator",
        {"bezirk": "nowhere", "zeitraum": ["2020", "2023"], "indikator": "schulen_wlan"},
        "bezirk",
        {"bezirk": [], "zeitraum": (2020, 2023), "indikator": "schulen_wlan"},
        {"zeitraum": ["2020", "2023"], "indikator": ["schulen_wlan"]},
    ),
    Case(
        "bezirk-empty",
        "indikator",
        {"bezirk": "", "indikator": "mobilfunk_5g"},
        "bezirk",
        {"bezirk": [], "zeitraum": FULL, "indikator": "mobilfunk_5g"},
        {"indikator": ["mobilfunk_5g"]},
        empty=True,
    ),
    Case(
        "bezirk-one-of-two-unknown",
        "indikator",
        {"bezirk": ["nowhere", "Hörde"], "indikator": "wlan_hotspots"},
        "bezirk",
        {"bezirk": ["hoerde"], "zeitraum": FULL, "indikator": "wlan_hotspots"},
        {"bezirk": ["hoerde"], "indikator": ["wlan_hotspots"]},
    ),
    Case(
        "bezirk-city-is-no-district",
        "bezirke",
        {"bezirk": "Dortmund", "zeitraum": ["2019", "2024"]},
        "bezirk",
        {"bezirk": [], "zeitraum": (2019, 2024)},
        {"zeitraum": ["2019", "2024"]},
    ),
    Case(
        "bezirk-very-long",
        "daten",
        {"bezirk": LONG, "zeitraum": ["2020", "2021"]},
        "bezirk",
        {"bezirk": [], "zeitraum": (2020, 2021)},
        {"zeitraum": ["2020", "2021"]},
    ),
    Case(
        "bezirk-unicode-junk",
        "bezirke",
        {"bezirk": "\u202e💥\u200b☃", "zeitraum": ["2021", "2024"]},
        "bezirk",
        {"bezirk": [], "zeitraum": (2021, 2024)},
        {"zeitraum": ["2021", "2024"]},
    ),
    Case(
        "bezirk-sql",
        "indikator",
        {"bezirk": "'; DROP TABLE districts;--", "indikator": "glasfaser_haushalte"},
        "bezirk",
        {"bezirk": [], "zeitraum": FULL, "indikator": "glasfaser_haushalte"},
        {"indikator": ["glasfaser_haushalte"]},
    ),
    Case(
        "zeitraum-not-a-number",
        "indikator",
        {"zeitraum": "abc", "bezirk": "eving", "indikator": "glasfaser_haushalte"},
        "zeitraum",
        {"bezirk": ["eving"], "zeitraum": FULL, "indikator": "glasfaser_haushalte"},
        {"bezirk": ["eving"], "indikator": ["glasfaser_haushalte"]},
    ),
    Case(
        "zeitraum-out-of-range",
        "indikator",
        {"zeitraum": ["1900", "2999"], "indikator": "schulen_wlan", "bezirk": "mengede"},
        "zeitraum",
        {"bezirk": ["mengede"], "zeitraum": FULL, "indikator": "schulen_wlan"},
        {"bezirk": ["mengede"], "indikator": ["schulen_wlan"]},
    ),
    Case(
        "zeitraum-one-year-out-of-range",
        "bezirke",
        {"zeitraum": ["2019", "2031"], "bezirk": "brackel"},
        "zeitraum",
        {"bezirk": ["brackel"], "zeitraum": FULL},
        {"bezirk": ["brackel"]},
    ),
    Case(
        "zeitraum-three-years",
        "bezirke",
        {"zeitraum": ["2019", "2020", "2021"], "bezirk": "hoerde"},
        "zeitraum",
        {"bezirk": ["hoerde"], "zeitraum": FULL},
        {"bezirk": ["hoerde"]},
    ),
    Case(
        "zeitraum-empty",
        "bezirke",
        {"zeitraum": "", "bezirk": "hoerde"},
        "zeitraum",
        {"bezirk": ["hoerde"], "zeitraum": FULL},
        {"bezirk": ["hoerde"]},
        empty=True,
    ),
    Case(
        "zeitraum-unicode-junk",
        "daten",
        {"zeitraum": ["2020💥", "Ⅻ"], "bezirk": "aplerbeck"},
        "zeitraum",
        {"bezirk": ["aplerbeck"], "zeitraum": FULL},
        {"bezirk": ["aplerbeck"]},
    ),
    Case(
        "masterplan-unknown",
        "masterplan",
        {"masterplan": "xyz", "bezirk": "hoerde", "zeitraum": ["2019", "2024"]},
        "masterplan",
        {"bezirk": ["hoerde"], "zeitraum": (2019, 2024), "masterplan": "verwaltung"},
        {"bezirk": ["hoerde"], "zeitraum": ["2019", "2024"], "masterplan": ["verwaltung"]},
    ),
    Case(
        "masterplan-empty",
        "masterplan",
        {"masterplan": "", "zeitraum": ["2020", "2022"]},
        "masterplan",
        {"bezirk": [], "zeitraum": (2020, 2022), "masterplan": "verwaltung"},
        {"zeitraum": ["2020", "2022"], "masterplan": ["verwaltung"]},
        empty=True,
    ),
    Case(
        "masterplan-old-key-unknown",
        "masterplan",
        {"mp": "Bïldung", "bezirk": "eving"},
        "masterplan",
        {"bezirk": ["eving"], "zeitraum": FULL, "masterplan": "verwaltung"},
        {"bezirk": ["eving"], "masterplan": ["verwaltung"]},
    ),
    Case(
        "indikator-sql",
        "indikator",
        {"indikator": "DROP TABLE indicators;--", "zeitraum": ["2020", "2022"]},
        "indikator",
        {"bezirk": [], "zeitraum": (2020, 2022), "indikator": "online_dienstleistungen"},
        {"zeitraum": ["2020", "2022"], "indikator": ["online_dienstleistungen"]},
    ),
    Case(
        "indikator-sql-quote",
        "indikator",
        {"indikator": "glasfaser_haushalte' OR '1'='1", "bezirk": "brackel"},
        "indikator",
        {"bezirk": ["brackel"], "zeitraum": FULL, "indikator": "online_dienstleistungen"},
        {"bezirk": ["brackel"], "indikator": ["online_dienstleistungen"]},
    ),
    Case(
        "indikator-very-long",
        "indikator",
        {"indikator": LONG, "bezirk": "mengede"},
        "indikator",
        {"bezirk": ["mengede"], "zeitraum": FULL, "indikator": "online_dienstleistungen"},
        {"bezirk": ["mengede"], "indikator": ["online_dienstleistungen"]},
    ),
    Case(
        "indikator-unicode-junk",
        "indikator",
        {"indikator": "🙂\u202eglasfaser", "zeitraum": ["2021", "2025"]},
        "indikator",
        {"bezirk": [], "zeitraum": (2021, 2025), "indikator": "online_dienstleistungen"},
        {"zeitraum": ["2021", "2025"], "indikator": ["online_dienstleistungen"]},
    ),
    Case(
        "indikator-empty-old-key",
        "indikator",
        {"kpi": "", "bezirk": "hombruch"},
        "indikator",
        {"bezirk": ["hombruch"], "zeitraum": FULL, "indikator": "online_dienstleistungen"},
        {"bezirk": ["hombruch"], "indikator": ["online_dienstleistungen"]},
        empty=True,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_value_warns_and_falls_back_for_that_key_only(case: Case) -> None:
    at = open_page(case.page, case.params)
    assert_ok(at)

    shown = warnings(at)
    assert shown, "a malformed link value must be explained"
    assert all(f"„{case.bad_key}“" in text for text in shown), shown
    assert all(len(text) < 400 for text in shown), "the bad value is shortened in the notice"
    kind = "leeren Wert" if case.empty else "ungültigen Wert"
    assert any(kind in text for text in shown), shown

    for key, expected in case.state.items():
        value = at.session_state[key]
        assert (tuple(value) if key == "zeitraum" else value) == expected, key
    assert qp_all(at) == case.url
    if case.page == "masterplan":
        assert figures(at), "the default masterplan is shown"
    if case.page == "indikator":
        assert "series" in figures(at), "the default indicator is shown"


def test_notice_disappears_once_the_user_acts() -> None:
    at = open_page("indikator", {"indikator": "xyz", "bezirk": "hoerde"})
    assert len(warnings(at)) == 1
    at.sidebar.multiselect[0].select("eving").run()
    assert_ok(at)
    assert warnings(at) == []
    assert qp_all(at) == {"bezirk": ["hoerde", "eving"], "indikator": ["online_dienstleistungen"]}


def test_unknown_keys_and_foreign_page_keys_are_dropped_silently() -> None:
    at = open_page(
        "indikator", {"foo": "bar", "masterplan": "bildung", "indikator": "schulen_wlan"}
    )
    assert_ok(at)
    assert warnings(at) == []
    assert qp_all(at) == {"indikator": ["schulen_wlan"]}


def test_values_beyond_the_limit_are_not_dropped_silently() -> None:
    """A link may repeat ``bezirk``; whatever is not applied must be explained."""
    at = open_page("bezirke", {"bezirk": ["Eving"] * 12 + ["Hörde"]})
    assert_ok(at)
    applied = at.session_state["bezirk"]
    assert applied[0] == "eving"
    if "hoerde" not in applied:
        assert any("„bezirk“" in text for text in warnings(at)), "Hörde was dropped silently"


def test_a_presentation_list_names_the_step_it_dropped_on_its_first_view() -> None:
    """A link to a list opens its first step (another page): the link of another site
    the list left out is still named there, and only there."""
    steps = ["/indikator?indikator=schulen_wlan", "https://evil.example/x", "/bezirke"]
    at = open_page("uebersicht", {"praesentation": "1", "folge": steps})
    assert_ok(at)
    assert qp_all(at)["folge"] == [steps[0], steps[2]]
    assert at.session_state["indikator"] == "schulen_wlan"  # on the first step's view
    assert [w for w in warnings(at) if "„folge“" in w and "evil.example" in w], warnings(at)
    at.run()
    assert warnings(at) == []


INJECTIONS = [
    ("indikator", "bezirk", "[Jetzt anmelden](https://evil.example/login)"),
    ("masterplan", "masterplan", "![](https://evil.example/pixel.png)"),
    ("indikator", "indikator", "[Hinweis der Stadt](https://evil.example)"),
    ("bezirke", "zeitraum", "[2020](https://evil.example)"),
]


@pytest.mark.parametrize(("page", "key", "value"), INJECTIONS, ids=[i[1] for i in INJECTIONS])
def test_link_values_are_shown_as_text_not_as_markdown(page: str, key: str, value: str) -> None:
    """The notice quotes the bad value; a crafted link must not put a working link or an
    external image into the city's dashboard (``st.warning`` renders Markdown)."""
    at = open_page(page, {key: value})
    assert_ok(at)
    shown = warnings(at)
    assert shown and all(f"„{key}“" in text for text in shown)
    for text in shown:
        outside_code = re.sub(r"`[^`]*`", "", text)
        assert "](" not in outside_code, f"rendered as Markdown: {text}"
