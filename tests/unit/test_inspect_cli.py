"""``dortmund-kpi inspect FILE [--zeitraum P] [--alle] [--json]``: output, JSON schema and
exit codes (0 recognised, 1 not an official table, 2 usage)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dortmund_kpi.ops.cli import main

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "tests" / "fixtures" / "official"
ITNRW = OFFICIAL / "itnrw_22811-01i_mindestsicherungsquote_2023.csv"
REGIONAL = OFFICIAL / "regionalstatistik_12411-01-01-4_ffcsv.csv"
TEMPLATE = ROOT / "tests" / "fixtures" / "kpi_fixture.csv"
GEOJSON = ROOT / "data" / "geo" / "stadtgrenze_dortmund.geojson"
RECORD_KEYS = {"gebiet": str, "schluessel": (str, type(None)), "zeitraum": str, "merkmale": dict}


def run(capsys, *args: str | Path) -> tuple[int, str, str]:
    code = main(["inspect", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def check_schema(payload: dict) -> None:
    assert isinstance(payload["layout"], str)
    assert isinstance(payload["records"], list)
    for record in payload["records"]:
        for key, kind in RECORD_KEYS.items():
            assert isinstance(record[key], kind), key
        assert record["wert"] is None or isinstance(record["wert"], int | float)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in record["merkmale"].items())


def test_json_of_the_itnrw_table(capsys):
    code, out, err = run(capsys, ITNRW, "--json")
    assert (code, err) == (0, "")
    payload = json.loads(out)
    check_schema(payload)
    assert payload["layout"] == "GENESIS-Tabelle 22811-01i (IT.NRW)"
    assert payload["quelle"] == "IT.NRW, Landesdatenbank NRW, Tabelle 22811-01i"
    [record] = payload["records"]
    assert {k: record[k] for k in ("gebiet", "schluessel", "zeitraum", "merkmale", "wert")} == {
        "gebiet": "Dortmund",
        "schluessel": "05913",
        "zeitraum": "2023",
        "merkmale": {},
        "wert": 17.5,
    }
    assert (record["zeile"], record["zeichen"], record["bezirk"]) == (352, None, "dortmund")


def test_json_with_every_region_and_the_signs(capsys):
    code, out, _ = run(capsys, ITNRW, "--json", "--alle")
    payload = json.loads(out)
    check_schema(payload)
    assert code == 0 and len(payload["records"]) == 434
    kranenburg = next(r for r in payload["records"] if r["schluessel"] == "05154040")
    assert (kranenburg["wert"], kranenburg["zeichen"]) == (None, ".")
    assert [s["zeile"] for s in payload["uebersprungen"]] == [30, 32, 441]


def test_json_of_the_flat_file_with_an_assigned_year(capsys):
    code, out, _ = run(capsys, REGIONAL, "--json", "--zeitraum", "2024")
    payload = json.loads(out)
    check_schema(payload)
    total = next(r for r in payload["records"] if r["merkmale"] == {"Geschlecht": "Insgesamt"})
    assert (code, total["gebiet"], total["zeitraum"], total["wert"]) == (
        0,
        "Dortmund",
        "2024",
        603462,
    )


def test_the_summary_names_layout_regions_periods_dimensions_and_columns(capsys):
    code, out, _ = run(capsys, REGIONAL)
    assert code == 0
    assert "Layout:      GENESIS-Flatfile 12411-01-01-4 (Regionalstatistik)" in out
    assert "Gebiete:     489 (Dortmund erkannt, 0 Stadtbezirke, 488 weitere)" in out
    assert "Zeiträume:   2024-12-31 (Stichtag)" in out
    assert "  Geschlecht: weiblich, männlich, Insgesamt" in out
    assert "  Bevölkerungsstand (Anzahl)" in out
    assert "Datensätze (Dortmund und Stadtbezirke; --alle: alle Gebiete): 3" in out
    assert "| Dortmund | 05913 | 2024-12-31 | 603.462 |" in out


def test_the_summary_lists_skipped_cells_with_file_and_line(capsys):
    _, out, _ = run(capsys, ITNRW)
    assert "Werte:       431 mit Zahlenwert, 3 Zellen ohne Wert" in out
    assert f"  {ITNRW}:441: Wohnort außerhalb von NRW" in out


@pytest.mark.parametrize(
    ("path", "says"),
    [
        (TEMPLATE, "Format der Importvorlage"),
        (GEOJSON, "GeoJSON-Datei"),
        (ROOT / "nicht-da.csv", "Datei nicht gefunden"),
        (ROOT / "data", "keine normale Datei"),
    ],
)
def test_what_is_no_official_table_exits_1_with_one_line(capsys, path, says):
    code, out, err = run(capsys, path)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and says in err and err.startswith(str(path))


def test_a_period_the_file_does_not_hold(capsys):
    code, out, err = run(capsys, REGIONAL, "--zeitraum", "2023")
    assert (code, out) == (1, "")
    assert "keine Datensätze im Zeitraum 2023 (Zeiträume der Datei: 2024-12-31)" in err


def test_usage_errors_exit_2(capsys):
    assert run(capsys, REGIONAL, "--zeitraum", "irgendwann")[0] == 2
    with pytest.raises(SystemExit) as caught:
        main(["inspect"])
    assert caught.value.code == 2


def test_garbage_as_a_real_command_without_traceback(tmp_path):
    garbage = tmp_path / "müll.csv"
    garbage.write_bytes(b"\x00\x01\x02 Tabelle: 1;2;3\n\xff\xfe")
    env = {k: v for k, v in os.environ.items() if k != "DORTMUND_KPI_DEBUG"}
    env |= {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "dortmund_kpi", "inspect", str(garbage)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "NUL-Bytes" in proc.stderr


def test_help_and_the_db_option_in_either_place(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["inspect", "--help"])
    out, _ = capsys.readouterr()
    assert caught.value.code == 0 and out.startswith("Aufruf: dortmund-kpi inspect")
    assert "--zeitraum" in out and "--alle" in out and "--json" in out
    for args in (["--db", "x.duckdb", "inspect", str(ITNRW)], ["inspect", str(ITNRW), "--db", "x"]):
        assert main(args) == 0  # the database is not opened
        assert "GENESIS-Tabelle 22811-01i (IT.NRW)" in capsys.readouterr().out
