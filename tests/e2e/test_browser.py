"""The browser the suite drives is there: a missing Chromium fails loudly, never skips.

The ``browser`` fixture also fails with the install hint (shown as setup errors);
this test makes the cause the first FAILED line of the report.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM_HINT, chromium_path

pytestmark = pytest.mark.e2e


def test_chromium_is_installed():
    path = chromium_path()
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"Chromium not found at {path}. {CHROMIUM_HINT}", pytrace=False)
    result = subprocess.run(
        [path, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, f"{path} --version failed: {result.stderr}\n{CHROMIUM_HINT}"
    assert "chrom" in result.stdout.lower(), result.stdout
