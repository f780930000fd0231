"""Operating-system errors in German (the system's own text is English)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from dortmund_kpi import os_text


def test_a_missing_or_forbidden_file_is_named_in_german(tmp_path: Path) -> None:
    with pytest.raises(OSError) as missing:
        (tmp_path / "fehlt.csv").read_bytes()
    assert os_text.reason(missing.value) == "Datei nicht gefunden"
    assert os_text.reason(PermissionError(errno.EACCES, "Permission denied")) == (
        "keine Berechtigung"
    )


def test_an_unusual_error_keeps_the_systems_text_after_a_german_lead() -> None:
    assert os_text.reason(OSError(errno.EXDEV, "Invalid cross-device link")) == (
        "Systemfehler: Invalid cross-device link"
    )
    assert os_text.reason(OSError("no errno")).startswith("Systemfehler: ")


def test_other_errors_are_described_by_their_first_line() -> None:
    broken = ValueError("Zeile 3, Spalte 7: unerwartetes Zeichen\nweitere Einzelheiten")
    assert os_text.describe(broken) == "Zeile 3, Spalte 7: unerwartetes Zeichen"
    assert os_text.describe(FileNotFoundError(errno.ENOENT, "x")) == "Datei nicht gefunden"
