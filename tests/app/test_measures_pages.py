"""Measures on every page: masterplan timeline, indicator links, overview counts, district
list, the ``massnahme`` detail, and a status change seen live and through a pinned link."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from dortmund_kpi import texts
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import ENV_DB, Settings
from dortmund_kpi.share import measure_files as measures
from dortmund_kpi.share.stand import format_stand
from dortmund_kpi.ui.tile_markup import MEASURES_CLASS as MEASURES
from tests.app.conftest import (
    array,
    assert_ok,
    figures,
    footer,
    go_to,
    open_page,
    qp,
    title,
    warnings,
)
from tests.conftest import FIXTURES


def buttons(at) -> list[str]:
    return [b.label for b in at.button]


def measure_lists(at) -> list[str]:
    """The HTML of every list of measures (``ui.tile_markup.measure_list_html``)."""
    return [h.proto.body for h in at.html if h.proto.body.startswith(f'<ul class="{MEASURES}"')]


def measure_links(at) -> list[str]:
    """The hrefs of the listed measures' links."""
    found = (re.findall(r'href="([^"]*)"', body) for body in measure_lists(at))
    return [html.unescape(href) for hrefs in found for href in hrefs]


def listed_measures(at) -> list[str]:
    """The listed measures by id, in order, from their links' ``massnahme``."""
    return [parse_qs(urlsplit(href).query)["massnahme"][0] for href in measure_links(at)]


def measure_lines(at) -> list[str]:
    """Each listed measure's line, as HTML."""
    return [line for body in measure_lists(at) for line in body.split("<li>")[1:]]


def markdown(at) -> str:
    """What the page writes: its Markdown and its measures' lines."""
    return " ".join([m.value for m in at.markdown] + measure_lines(at))


def subheaders(at) -> list[str]:
    return [s.value for s in at.header]


def test_masterplan_timeline_shows_its_measures(fixture_con) -> None:
    at = open_page("masterplan", {"masterplan": "verwaltung"})
    assert_ok(at)
    fig = figures(at, include_measures=True)["measures_verwaltung"]
    assert "Maßnahmen" in title(fig)
    bars = {trace["name"]: array(trace["y"]) for trace in fig["data"]}
    assert bars == {
        "◷ verzögert": ["⚠ Testmaßnahme Serviceportal"],
        "▶ in Umsetzung": ["Testmaßnahme Bürgerdienste"],
        texts.MEASURE_OVERDUE: ["⚠ Testmaßnahme Serviceportal"],  # outline and label
    }
    order = ["⚠ Testmaßnahme Serviceportal", "Testmaßnahme Bürgerdienste"]  # by deadline
    assert list(fig["layout"]["yaxis"]["categoryarray"]) == order
    overdue = next(t for t in fig["data"] if t["name"] == texts.MEASURE_OVERDUE)
    assert array(overdue["text"]) == [texts.MEASURE_OVERDUE]
    assert "Stand:" in footer(fig)
    assert texts.DEMO_BADGE in [a["text"].strip() for a in fig["layout"]["annotations"]]
    assert listed_measures(at) == ["t_v1", "t_v2"]
    assert texts.MEASURE_OVERDUE in markdown(at)


def test_masterplan_timeline_follows_the_plan() -> None:
    at = open_page("masterplan", {"masterplan": "bildung"})
    assert_ok(at)
    assert listed_measures(at) == ["t_b1", "t_b2"]


def test_indicator_page_lists_linked_measures() -> None:
    at = open_page("indikator", {"indikator": "online_dienstleistungen"})
    assert_ok(at)
    assert texts.MEASURES_LINKED in subheaders(at)
    assert listed_measures(at) == ["t_v1", "t_b2"]


def test_indicator_without_measures_says_so() -> None:
    at = open_page("indikator", {"indikator": "smart_city_rang"})
    assert_ok(at)
    assert texts.MEASURES_NONE_LINKED in [c.value for c in at.caption]
    assert listed_measures(at) == []


def test_overview_counts_by_status_and_overdue(fixture_con) -> None:
    at = open_page("uebersicht", {})
    assert_ok(at)
    assert texts.MEASURES_OVERVIEW in subheaders(at)
    table = next(df.value for df in at.dataframe if texts.MEASURE_OVERDUE in list(df.value.columns))
    rows = table.set_index(texts.FILTER_MASTERPLAN)
    assert list(rows.index) == ["Verwaltung", "Wirtschaft", "Bildung"]
    assert list(rows["Gesamt"]) == [2, 2, 2]
    assert list(rows[texts.MEASURE_OVERDUE]) == [1, 0, 1]
    assert rows.loc["Bildung", "■ gestoppt"] == 1
    assert listed_measures(at) == ["t_v1", "t_b2"]  # the overdue ones


def test_district_page_lists_its_and_citywide_measures() -> None:
    at = open_page("bezirke", {"bezirk": "hoerde"})
    assert_ok(at)
    assert sorted(listed_measures(at)) == ["t_b1", "t_b2", "t_v1", "t_w1"]
    at = open_page("bezirke", {"bezirk": "innenstadt-west"})
    assert sorted(listed_measures(at)) == ["t_b1", "t_v1", "t_w1", "t_w2"]


def test_massnahme_link_opens_the_detail() -> None:
    at = open_page("masterplan", {"masterplan": "bildung", "massnahme": "t_b2"})
    assert_ok(at)
    heads = subheaders(at)
    assert heads[0] == f"{texts.MEASURE_DETAIL}: Testmaßnahme Endgeräte"
    assert any("überfällig seit 31.12.2023" in e.value for e in at.error)
    text = markdown(at)
    assert "Fachbereich Schule" in text and "2.500.000 €" in text and "Hörde" in text
    history = next(df.value for df in at.dataframe if "Statusmeldung vom" in df.value.columns)
    assert list(history["Status"]) == ["▶ in Umsetzung"]
    # linked indicators with their target status, each a link to its page
    links = [p.proto.label for p in at.get("page_link")]
    assert "Schulische Endgeräte insgesamt" in links
    assert qp(at, "massnahme") == ["t_b2"]
    assert qp(at, "masterplan") == ["bildung"]


def test_opening_a_measure_from_the_list_writes_the_link() -> None:
    """A listed measure's link is the page's view with the measure: followed (the frame's
    script makes it the session's rerun with that address), the detail opens above."""
    at = open_page("indikator", {"indikator": "online_dienstleistungen"})
    link = next(h for h in measure_links(at) if "massnahme=t_v1" in h)
    assert urlsplit(link).path == "indikator"  # the same page, relative to it
    params = parse_qs(urlsplit(link).query)
    assert params == {"indikator": ["online_dienstleistungen"], "massnahme": ["t_v1"]}
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert_ok(at)
    assert qp(at, "massnahme") == ["t_v1"]
    assert subheaders(at)[0] == f"{texts.MEASURE_DETAIL}: Testmaßnahme Serviceportal"
    assert [(e.icon, e.value) for e in at.error] == [("⚠", "überfällig seit 31.12.2020")]
    next(b for b in at.button if b.key == "measure_close").click()
    at.run()
    assert qp(at, "massnahme") == []
    assert not subheaders(at)[0].startswith(f"{texts.MEASURE_DETAIL}:")


def test_detail_is_not_carried_to_another_page() -> None:
    at = open_page("masterplan", {"masterplan": "verwaltung", "massnahme": "t_v1"})
    assert qp(at, "massnahme") == ["t_v1"]
    at = go_to(at, "daten")
    assert_ok(at)
    assert qp(at, "massnahme") == []


@pytest.mark.parametrize("value", ["gibt_es_nicht", "'; DROP TABLE measures; --", ""])
def test_unknown_measure_in_link_is_a_notice(value: str) -> None:
    at = open_page("uebersicht", {"massnahme": value})
    assert_ok(at)
    assert any("„massnahme“" in w for w in warnings(at))
    assert qp(at, "massnahme") == []


def test_old_key_spelling_is_migrated() -> None:
    at = open_page("uebersicht", {"measure": "t_w1"})
    assert_ok(at)
    assert qp(at, "massnahme") == ["t_w1"]


def test_masterplan_measures_download_is_reimportable(downloads) -> None:
    at = open_page("masterplan", {"masterplan": "wirtschaft"})
    button = next(b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_CSV)
    assert button.proto.deferred_file_id  # made on click, not on every run
    data = downloads(button.proto).content
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(measures.HEADER)
    assert [line.split(";")[0] for line in lines[1:]] == ["t_w1", "t_w2"]


def test_masterplan_measures_xlsx_has_its_metadata_and_imports_again(
    downloads, db_copy: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "XLSX mit Metadaten" says what it holds (it had only the measures); the importer
    passes the sheet "Metadaten" over, so the file still imports unchanged."""
    from openpyxl import load_workbook

    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    at = open_page("masterplan", {"masterplan": "wirtschaft"})
    button = next(b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_XLSX)
    content = downloads(button.proto).content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Maßnahmen", "Metadaten"]
    meta = dict(list(book["Metadaten"].iter_rows(values_only=True))[1:])
    labels = texts.METADATA_LABELS
    assert meta[labels["content"]] == "Maßnahmen, Wirtschaft"
    assert meta[labels["source"]] == texts.MEASURES_SOURCE
    assert meta[labels["stand"]] != "–" and meta[labels["kind"]] in (texts.DEMO, texts.OFFICIAL)
    assert "/masterplan?" in meta[labels["permalink"]] and "stand=" in meta[labels["permalink"]]
    again = tmp_path / "massnahmen.xlsx"
    again.write_bytes(content)
    result = run_import([again], db_copy)
    assert result.measures is not None
    assert (result.measures.inserted, result.measures.changed) == (0, 0)
    assert result.measures.unchanged == 2


# -- a status change: live at once, the earlier status through a pinned link ---------
@pytest.fixture
def changed_status(db_copy: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with Store(db_copy.db_path).connect_read() as con:
        before = read.data_stand(con)
        names = read.district_names(con)
        frame = measure_db.measure_export_rows(con)
    frame.loc[frame["id"] == "t_v1", "status"] = "abgeschlossen"
    frame.loc[frame["id"] == "t_v1", "status_date"] = pd.Timestamp("2025-01-15")
    update = tmp_path / "status.csv"
    update.write_bytes(measures.to_csv(frame, names))
    run_import([update], db_copy)
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    return format_stand(before)


def test_status_change_live_and_pinned(changed_status: str) -> None:
    live = open_page("masterplan", {"masterplan": "verwaltung", "massnahme": "t_v1"})
    assert_ok(live)
    history = next(df.value for df in live.dataframe if "Statusmeldung vom" in df.value.columns)
    assert list(history["Status"]) == ["◷ verzögert", "✓ abgeschlossen"]
    assert not any("überfällig" in e.value for e in live.error)
    names = {t["name"] for t in figures(live, include_measures=True)["measures_verwaltung"]["data"]}
    assert "✓ abgeschlossen" in names

    pinned = open_page(
        "masterplan", {"masterplan": "verwaltung", "massnahme": "t_v1", "stand": changed_status}
    )
    assert_ok(pinned)
    history = next(df.value for df in pinned.dataframe if "Statusmeldung vom" in df.value.columns)
    assert list(history["Status"]) == ["◷ verzögert"]
    assert any("überfällig" in e.value for e in pinned.error)
    names = {
        t["name"] for t in figures(pinned, include_measures=True)["measures_verwaltung"]["data"]
    }
    assert "✓ abgeschlossen" not in names and "◷ verzögert" in names


def test_indicator_xlsx_has_a_measures_sheet(downloads) -> None:
    from openpyxl import load_workbook

    at = open_page("indikator", {"indikator": "online_dienstleistungen"})
    button = next(b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_XLSX)
    book = load_workbook(io.BytesIO(downloads(button.proto).content))  # made on click
    assert book.sheetnames == ["Daten", texts.MEASURES_TITLE, "Metadaten"]
    rows = list(book[texts.MEASURES_TITLE].iter_rows(values_only=True))
    assert rows[0][0] == texts.MEASURE_COLUMNS["title"]
    assert [r[0] for r in rows[1:]] == ["Testmaßnahme Serviceportal", "Testmaßnahme Endgeräte"]


def test_editor_uploads_a_measures_file(db_copy: Settings, monkeypatch: pytest.MonkeyPatch):
    from tests.app.test_editor_upload import SECRETS, data_page

    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    # An editor on the allow-list with a verified address (the upload fails closed).
    user = {"is_logged_in": True, "name": "Eva Editor", "email": "eva@dortmund.de"}
    at = data_page(secrets=SECRETS, user=user | {"email_verified": True})
    content = (FIXTURES / "measures" / "valid" / "messy.csv").read_bytes()
    at.file_uploader[0].set_value(("massnahmen.csv", content, "text/csv")).run()
    assert_ok(at)
    assert [i.value for i in at.info if "Prüfung bestanden" in i.value] == [
        "Prüfung bestanden: 2 Zeilen – Maßnahmen neu: 1, geändert: 1, unverändert: 0. "
        "Jetzt importieren?"
    ]
    next(b for b in at.button if b.label == texts.UPLOAD_CONFIRM).click().run()
    assert_ok(at)
    assert [s.value for s in at.success] == [
        "Import abgeschlossen (Maßnahmen neu: 1, geändert: 1, unverändert: 0). "
        "Die Ansicht zeigt die neuen Daten."
    ]
    with Store(db_copy.db_path).connect_read() as con:
        current = measure_db.measures(con).set_index("id")
        log = read.import_log(con)
    assert current.loc["t_v1", "status"] == "in Umsetzung"
    assert "neu-1" in current.index
    assert log["user_name"].iloc[0] == "Eva Editor"


def test_data_page_offers_the_measures_template(downloads) -> None:
    at = open_page("daten", {})
    assert_ok(at)
    button = next(
        b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_MEASURES_TEMPLATE
    )
    assert downloads(button.proto.url).content == measures.template_csv()


def test_overdue_is_judged_on_the_pinned_day(db_copy: Settings, monkeypatch) -> None:
    """t_b2 (deadline 31.12.2023, still open) was not overdue in mid-2023, but is today."""
    import duckdb

    with duckdb.connect(str(db_copy.db_path)) as con:  # as if imported in 2020
        con.execute("UPDATE measures SET valid_from = TIMESTAMP '2020-01-01 12:00:00'")
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    live = open_page("uebersicht", {})
    assert listed_measures(live) == ["t_v1", "t_b2"]
    pinned = open_page("uebersicht", {"stand": "2023-06-01"})
    assert_ok(pinned)
    assert listed_measures(pinned) == ["t_v1"]
    plan = open_page("masterplan", {"masterplan": "bildung", "stand": "2023-06-01"})
    fig = figures(plan, include_measures=True)["measures_bildung"]
    assert texts.MEASURE_OVERDUE not in {t["name"] for t in fig["data"]}
    labels = [a["text"] for a in fig["layout"]["annotations"]]
    assert "Stand 01.06.2023" in labels  # the dotted line marks the pinned day


def test_titles_from_files_are_shown_as_text(db_copy: Settings, tmp_path: Path, monkeypatch):
    title = "**Fett** [Klick](https://example.org) <b>x</b>"
    path = tmp_path / "m.csv"
    header = ";".join(measures.HEADER[:9])
    path.write_text(
        f"{header}\nt_md;verwaltung;{title};CIO;01.01.2024;31.12.2099;geplant;01.01.2024;"
        "online_termine\n",
        encoding="utf-8",
    )
    run_import([path], db_copy)
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    at = open_page("masterplan", {"masterplan": "verwaltung", "massnahme": "t_md"})
    assert_ok(at)
    escaped = "\\*\\*Fett\\*\\* \\[Klick\\](https\u2060://example.org) \\<b\\>x\\</b\\>"
    listed = measure_lists(at)[0]
    as_text = "**Fett** [Klick](https://example.org) &lt;b&gt;x&lt;/b&gt;</a>"  # HTML: text
    assert as_text in listed and "<b>" not in listed and 'example.org"' not in listed
    assert subheaders(at)[0] == f"{texts.MEASURE_DETAIL}: {escaped}"
    fig = figures(at, include_measures=True)["measures_verwaltung"]
    labels = {y for t in fig["data"] for y in array(t["y"])}
    assert "**Fett** [Klick](https://example.org) &lt;b&gt;x&lt;/b&gt;" in labels


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("uebersicht", {}),
        ("masterplan", {"masterplan": "verwaltung"}),
        ("indikator", {"indikator": "online_dienstleistungen"}),
        ("bezirke", {"bezirk": "innenstadt-west"}),
    ],
)
def test_demo_measures_are_labelled_wherever_they_appear(page: str, params: dict) -> None:
    """Demo measures read like decisions of the city unless each list says they are
    examples and each line carries the demo badge (issue 15)."""
    at = open_page(page, params)
    assert_ok(at)
    assert any(texts.MEASURES_DEMO in c.value for c in at.caption)
    lines = [m for m in measure_lines(at) if texts.MEASURE_COLUMNS["deadline"] in m]
    assert lines and all(texts.DEMO_BADGE in line for line in lines)
