"""Public mode (``serve --oeffentlich``): a database holding internal indicators, measures
and trends; every page, every URL key with internal ids, every download and the slides
of every page are scanned for every internal name and id: zero hits.

The database is made by the real ``init`` from a copy of data/ whose catalog marks three
indicators ``intern``, one with values of other municipalities (the demo measures and
trends hold internal ones of their own),
plus a trends file whose public trend links an internal measure and indicator.
"""

from __future__ import annotations

import html
import io
import json
import shutil
import zipfile

import pandas as pd
import pytest
from google.protobuf import text_format

from dortmund_kpi import texts
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import ENV_DATA_DIR, ENV_DB, ENV_PUBLIC, Settings, get_settings
from dortmund_kpi.share import deck, urlstate
from tests.app.conftest import assert_ok, open_page
from tests.conftest import FIXTURES

# beschaeftigtenquote: with values of other municipalities (the comparison page)
INTERNAL_INDICATORS = ("coworking_orte", "it_support_je_schule", "beschaeftigtenquote")
LINKING = FIXTURES / "trends" / "public_mode.csv"  # a public trend linking internal items


@pytest.fixture(scope="module")
def public_db(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("public")
    data = root / "data"
    shutil.copytree(get_settings().data_dir, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    catalog = data / "catalog.yaml"
    lines = catalog.read_text(encoding="utf-8").splitlines()
    current = None
    for n, line in enumerate(lines):
        if line.startswith("  - id: "):
            current = line.split(": ", 1)[1].strip()
        if current in INTERNAL_INDICATORS and line.strip() == "visibility: oeffentlich":
            lines[n] = line.replace("oeffentlich", "intern")
    catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(data_dir=data, db_path=root / "kpi.duckdb")
    init_database(settings)
    run_import([LINKING, FIXTURES / "measures" / "public_mode.csv"], settings)
    return settings


@pytest.fixture(scope="module")
def internal(public_db: Settings) -> dict[str, set[str]]:
    """Every internal id and name, read from the whole database (not in public mode)."""
    with Store(public_db.db_path).connect_read(public=False) as con:
        ind = read.indicator_list(con)
        ms = measure_db.measures(con)
        tr = trend_db.trends(con)
    ind, ms, tr = (
        ind[ind.visibility == "intern"],
        ms[ms.visibility == "intern"],
        tr[tr.visibility == "intern"],
    )
    out = {
        "indicators": set(ind["id"]),
        "measures": set(ms["id"]),
        "trends": set(tr["id"]),
        "names": set(ind["name"]) | set(ind["short_name"]) | set(ms["title"]) | set(tr["name"]),
    }
    assert out["indicators"] == set(INTERNAL_INDICATORS)
    assert len(out["measures"]) == 3 and len(out["trends"]) == 6
    return out


@pytest.fixture
def public_app(public_db: Settings, app_db: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv(ENV_DB, str(public_db.db_path))
    monkeypatch.setenv(ENV_DATA_DIR, str(public_db.data_dir))
    monkeypatch.setenv(ENV_PUBLIC, "1")
    return public_db


def needles(internal: dict[str, set[str]], except_ids: set[str] = frozenset()) -> set[str]:
    ids = (internal["indicators"] | internal["measures"] | internal["trends"]) - except_ids
    return ids | internal["names"]


def variants(text: str) -> set[str]:
    """A needle as it may appear: as is, JSON-escaped, HTML/XML-escaped, Markdown-escaped."""
    markdown = "".join("\\" + ch if ch in "\\`*_[]<>#|~$" else ch for ch in text)
    return {text, json.dumps(text)[1:-1], html.escape(text, quote=False), markdown}


def hits(text: str, found: set[str]) -> list[str]:
    return sorted(n for n in found if any(v in text for v in variants(n)))


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def page_text(at, downloads) -> str:
    """Everything the page sends to the browser: every element's message (strings as
    UTF-8), every table's values, and the bytes behind every download button."""
    parts = []
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        value = getattr(node, "value", None) if node.type in ("arrow_data_frame", "table") else None
        if isinstance(value, pd.DataFrame):
            parts.append(value.to_csv())
    for button in at.get("download_button"):
        parts.append(file_text(downloads(button.proto).content))
    return "\n".join(parts)


def file_text(data: bytes) -> str:
    if data[:2] == b"PK":  # XLSX or PPTX: the XML of every part
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return data.decode("utf-8", "replace")


LINKS = {
    "uebersicht": {},
    "masterplan": {"masterplan": "wirtschaft"},
    "indikator": {"indikator": "online_antraege"},
    "bezirke": {"bezirk": "hoerde"},
    "daten": {},
    "trends": {"sektoren": "masterplan"},
    "vergleich": {"vergleich": "ruhr", "indikator": "gigabit_haushalte"},
}


@pytest.mark.parametrize("page", list(LINKS))
def test_pages_show_no_internal_item(page, public_app, internal, downloads) -> None:
    at = open_page(page, LINKS[page])
    assert_ok(at)
    text = page_text(at, downloads)
    assert len(text) > 1000
    assert hits(text, needles(internal)) == []


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("trends", {"trend": "p01_oeffentlich"}),
        ("masterplan", {"masterplan": "wirtschaft", "massnahme": "p_mass"}),
        ("indikator", {"indikator": "startups_digital"}),
    ],
)
def test_public_items_linking_internal_ones_name_only_public_ones(
    page, params, public_app, internal, downloads
) -> None:
    """A public trend or measure that links internal measures or indicators shows only
    its public links (the public measure links an internal indicator, the public trend an
    internal measure and indicator)."""
    at = open_page(page, params)
    assert_ok(at)
    text = page_text(at, downloads)
    assert "Öffentliche" in text
    assert hits(text, needles(internal)) == []


def test_import_log_tells_no_counts_files_or_people(public_app) -> None:
    at = open_page("daten")
    log = next(f.value for f in at.dataframe if "geändert" in f.value.columns)
    assert len(log) > 3
    assert log[["Zeilen", "neu", "geändert", "unverändert"]].isna().all().all()
    assert set(log["Person"]) == {""} and set(log["Dateien"]) == {""}


def test_public_items_are_still_shown(public_app, downloads) -> None:
    at = open_page("trends", {"trend": "p01_oeffentlich"})
    assert_ok(at)
    text = page_text(at, downloads)
    assert "Öffentlicher Testtrend" in text and "Serviceportal" in text
    assert "Online-Terminvergabe" in page_text(open_page("masterplan"), downloads)


INTERNAL_LINKS = [
    ("indikator", "indikator", "coworking_orte"),
    ("bezirke", "indikator", "coworking_orte"),
    ("indikator", "indikator", "it_support_je_schule"),
    ("vergleich", "indikator", "beschaeftigtenquote"),
    ("masterplan", "massnahme", "w06_innovationsorte"),
    ("uebersicht", "massnahme", "b04_it_support"),
    ("trends", "trend", "t07_low_code"),
    ("trends", "trend", "i01_geheim"),
]


@pytest.mark.parametrize(("page", "key", "value"), INTERNAL_LINKS)
def test_a_link_with_an_internal_id_is_an_unknown_id(
    page, key, value, public_app, internal, downloads
) -> None:
    """The page says what it says for any unknown id (the value the link holds is
    echoed like any unknown one), and shows nothing else of the item."""
    at = open_page(page, {key: value})
    assert_ok(at)
    unknown = open_page(page, {key: "gibt_es_nicht"})
    notice = texts.URL_NOTICE.format(key=key, value="{}")
    shown = [w.value for w in at.warning] + [i.value for i in at.info]
    expected = [w.value for w in unknown.warning] + [i.value for i in unknown.info]
    assert [s.replace(value, "{}") for s in shown] == [
        s.replace("gibt_es_nicht", "{}") for s in expected
    ]
    assert any(notice.split("{}")[0] in s for s in shown), shown
    assert hits(page_text(at, downloads), needles(internal, {value})) == []


def test_slides_of_every_page_show_no_internal_item(public_app, internal) -> None:
    urls = [urlstate.url_for(p, {k: [v] for k, v in values.items()}) for p, values in LINKS.items()]
    urls.append("/trends?trend=p01_oeffentlich")
    with Store(public_app.db_path).connect_read() as con:
        slides = [  # the summary slides included: they come first with details
            s for url in urls for s in deck.slides_for(con, deck.parse_view(con, url), True)
        ]
        pptx, _ = deck.deck_for_urls(con, urls, details=True)
        with pytest.raises(deck.BadLink):  # an internal id is an invalid value, like any
            deck.deck_for_urls(con, ["/indikator?indikator=coworking_orte"])
    assert len(slides) > 20
    parts = [file_text(pptx)]
    for s in slides:
        parts += [s.title, s.subtitle, s.source]
        parts += [t.to_csv() for t in (s.table, s.series, s.bars) if t is not None]
        parts += [s.figure.to_json()] if s.figure is not None else []
    assert hits("\n".join(parts), needles(internal)) == []


def test_editor_upload_is_off(public_app, monkeypatch) -> None:
    from dortmund_kpi.ui import editor

    monkeypatch.setattr(editor, "sign_in_configured", lambda: True)
    at = open_page("daten")
    assert_ok(at)
    assert texts.UPLOAD_TITLE not in [s.value for s in at.header]


def test_no_table_holds_rows_of_internal_indicators(public_app, internal) -> None:
    """Every table with an indicator column (values, mappings, values of other
    municipalities) holds only public indicators' rows on a public connection."""
    with Store(public_app.db_path).connect_read() as con:
        tables = con.execute(
            "SELECT DISTINCT table_name FROM information_schema.columns "
            "WHERE column_name = 'indicator_id'"
        ).fetchall()
        query = "SELECT DISTINCT indicator_id FROM {}"
        found = {
            name: {r[0] for r in con.execute(query.format(name)).fetchall()} for (name,) in tables
        }
    assert {"observations", "peer_observations", "import_mappings"} <= set(found)
    assert {name: ids & internal["indicators"] for name, ids in found.items()} == {
        name: set() for name in found
    }
    assert "beschaeftigtenquote" not in found["peer_observations"]
