"""``init`` loads the published tables of ``data/official/sources.yaml`` as official values,
through the path of ``dortmund-kpi import FILE --indikator``: the Breitbandatlas 2021 of
Dortmund (gigabit 66,65 %, FTTH/B 6,45 %) with the publisher's source line and licence,
``amtlich``. A broken manifest entry stops ``init`` with the manifest's line, and nothing
is written. The shipped official figures fit their indicators' frequency.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.ingest.mapping import fit_period
from dortmund_kpi.ingest.official import Options, origin, run_official_import
from dortmund_kpi.ingest.readers import read_csv_bytes
from dortmund_kpi.ingest.sources.read import parse_assigned
from dortmund_kpi.ops.cli import main
from dortmund_kpi.periods import parse_period
from dortmund_kpi.settings import ENV_DATA_DIR, Settings, get_settings
from tests.conftest import make_settings

BREITBAND = "breitbandatlas_gemeinde_bezirke_privat_2021_mitte_NRW_excerpt.csv"
BREITBAND_SOURCE = "Bundesnetzagentur, Breitbandatlas | Gigabit-Grundbuch"
LICENCE = "frei nutzbar mit Namensnennung „Breitbandatlas | Gigabit-Grundbuch“"
GIGABIT = "leitungsg. Technologien ≥ 1000 Mbit/s"
FTTH = "FTTH/B ≥ 1000 Mbit/s"


def city_2021(settings: Settings) -> list[tuple]:
    with Store(settings.db_path).connect_read() as con:
        return con.execute(
            "SELECT indicator_id, value, source, is_official FROM current_observations "
            "WHERE area = 'dortmund' AND period = '2021' "
            "AND indicator_id IN ('gigabit_haushalte', 'glasfaser_haushalte') ORDER BY 1"
        ).fetchall()


def test_init_loads_the_breitbandatlas_values_as_official(empty_db: Settings) -> None:
    source = f"{BREITBAND_SOURCE}; {LICENCE}"
    assert city_2021(empty_db) == [
        ("gigabit_haushalte", 66.65, source, True),
        ("glasfaser_haushalte", 6.45, source, True),
    ]
    with Store(empty_db.db_path).connect_read() as con:
        logged = con.execute("SELECT message FROM import_log WHERE files = ?", [BREITBAND])
        (message,) = logged.fetchall()[0]
    assert message == (
        f"{BREITBAND_SOURCE}: Indikator gigabit_haushalte, Spalte „{GIGABIT}“, Filter: keine, "
        f"Zeitraum 2021 | Indikator glasfaser_haushalte, Spalte „{FTTH}“, Filter: keine, "
        "Zeitraum 2021"
    )


def test_no_demo_value_beside_the_breitbandatlas_values(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "kpi.duckdb")
    result = init_database(settings)
    rows = city_2021(settings)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("gigabit_haushalte", 66.65, True),
        ("glasfaser_haushalte", 6.45, True),
    ]
    # two Breitbandatlas values and INKAR's Beschäftigtenquote 2023
    assert result.official == official_rows() + 3
    with Store(settings.db_path).connect_read() as con:
        demo = con.execute(
            "SELECT count(*) FROM current_observations WHERE NOT is_official AND source LIKE ?",
            ["Demodaten%"],
        ).fetchone()[0]
    assert demo == result.demo > 0  # the rest stays labelled demo


def official_rows() -> int:
    text = (get_settings().official_dir / "digitale_kennzahlen_dortmund.csv").read_text("utf-8")
    return len(text.strip().splitlines()) - 1


def data_copy(tmp_path: Path, manifest: str | None) -> Settings:
    """The shipped data folder with ``manifest`` as sources.yaml (None: without one)."""
    data = tmp_path / "data"
    shutil.copytree(get_settings().data_dir, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    target = data / "official" / "sources.yaml"
    if manifest is None:
        target.unlink()
    else:
        target.write_text(manifest, encoding="utf-8")
    return Settings(data_dir=data, db_path=tmp_path / "copy.duckdb")


def test_init_gives_what_the_import_command_gives(empty_db: Settings, tmp_path: Path) -> None:
    """The same values, periods and publisher as ``import FILE --indikator … --zeitraum 2021``
    into a database built without the manifest."""
    settings = data_copy(tmp_path, None)
    init_database(settings, demo=False)
    assert [r[3] for r in city_2021(settings)] == []
    table = settings.official_dir / "sources" / BREITBAND
    for indicator, column in (("gigabit_haushalte", GIGABIT), ("glasfaser_haushalte", FTTH)):
        options = Options(indicator=indicator, spalte=column, zeitraum=parse_assigned("2021"))
        run_official_import(table, settings, options)
    imported = [(r[0], r[1], origin(r[2]), r[3]) for r in city_2021(settings)]
    assert imported == [(r[0], r[1], origin(r[2]), r[3]) for r in city_2021(empty_db)]


ENTRY = """tabellen:
  - datei: sources/{file}
    zuordnungen:
      - indikator: {indicator}
        {key}: "{value}"
        zeitraum: "{period}"
"""


def manifest(
    *,
    file: str = BREITBAND,
    indicator: str = "gigabit_haushalte",
    key: str = "spalte",
    value: str = GIGABIT,
    period: str = "2021",
) -> str:
    return ENTRY.format(file=file, indicator=indicator, key=key, value=value, period=period)


BROKEN = [
    pytest.param(
        manifest(value="≥ 10000 Mbit/s"),
        [
            f"sources.yaml:2: zuordnungen: {BREITBAND} lässt sich so nicht laden",
            f"{BREITBAND}:301: spalte: --spalte '≥ 10000 Mbit/s' passt zu keiner Wertspalte",
        ],
        id="column",
    ),
    pytest.param(
        manifest(value="1000 Mbit/s"),
        [f"{BREITBAND}:301: spalte: --spalte '1000 Mbit/s' passt zu mehreren Wertspalten"],
        id="column-ambiguous",
    ),
    pytest.param(
        manifest(indicator="gigabit"),
        ["sources.yaml:4: indikator: unbekannter Indikator 'gigabit'"],
        id="indicator",
    ),
    pytest.param(
        manifest(key="spalten"),
        ["sources.yaml:5: spalten: unbekanntes Feld „spalten“ (erlaubt: indikator, spalte,"],
        id="field",
    ),
    pytest.param(
        manifest(file="fehlt.csv"),
        ["sources.yaml:2: datei: Datei 'sources/fehlt.csv' nicht gefunden"],
        id="file",
    ),
    pytest.param(
        manifest(period="Mitte 2021"),
        ["sources.yaml:6: zeitraum: 'Mitte 2021' ist kein Zeitraum"],
        id="period",
    ),
    pytest.param(
        manifest().replace('        zeitraum: "2021"\n', ""),
        [f"{BREITBAND}:301: zeitraum: die Datei nennt keinen Zeitraum: mit --zeitraum angeben"],
        id="no-period",
    ),
    pytest.param(
        manifest(indicator="glasfaser_haushalte", value=FTTH, period="2024"),
        [
            "zeitraum: doppelter Eintrag für glasfaser_haushalte/dortmund/2024 (schon in ",
            "sources.yaml:1: tabellen: ein Wert darf nur an einer Stelle stehen",
        ],
        id="twice",
    ),
    pytest.param("tabellen: [\n", ["sources.yaml:2: yaml: kein gültiges YAML"], id="yaml"),
    pytest.param("- datei: x.csv\n", ["sources.yaml:1: tabellen: erwartet „tabellen:“"], id="top"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_a_broken_manifest_entry_stops_init_with_its_line(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    settings = data_copy(tmp_path, text)
    with pytest.raises(ImportFailed) as failed:
        init_database(settings, demo=False)
    shown = "\n".join(str(issue) for issue in failed.value.issues)
    for part in expected:
        assert part in shown, shown
    assert not Store(settings.db_path).exists()  # nothing written


def test_init_command_names_the_broken_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = data_copy(tmp_path, manifest(indicator="gigabit"))
    monkeypatch.setenv(ENV_DATA_DIR, str(settings.data_dir))
    code = main(["init", "--db", str(settings.db_path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{settings.official_sources_path}:4: indikator: unbekannter Indikator 'gigabit' "
        "(siehe dortmund-kpi indicators)",
        "Abgebrochen: 1 Problem, nichts wurde geschrieben.",
    ]


def test_shipped_figures_fit_their_indicators_frequency() -> None:
    """A yearly indicator holds years (a Stichtag at a year's end is that year), never a
    month beside the yearly value: the rule ``import`` applies to official tables."""
    settings = get_settings()
    frequency = {i.id: i.frequency for i in load_catalog(settings.catalog_path).indicators}
    for path in sorted(settings.official_dir.glob("*.csv")):
        frame = read_csv_bytes(path.read_bytes(), str(path)).frame()
        for line, (indicator, text) in enumerate(
            zip(frame["indikator"], frame["zeitraum"], strict=True), 2
        ):
            period = parse_period(text)
            assert period is not None, (path.name, line, text)
            fitted = fit_period(period.label, frequency[indicator], None)
            assert fitted == period.label, (path.name, line, indicator, text)
