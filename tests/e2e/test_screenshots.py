"""scripts/screenshots.py renders every page to a small, non-blank PNG."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image
from playwright.sync_api import Browser

from tests.e2e.conftest import REPO_ROOT, AppServer

pytestmark = pytest.mark.e2e

FILES = ["uebersicht.png", "masterplan.png", "indikator.png", "bezirke.png", "daten.png"]
FILES += ["massnahmen.png", "massnahme.png"]  # the measures timeline and a measure's detail
FILES += ["trends.png", "trend.png"]  # the Technologiescout and a trend's detail
FILES += ["vergleich.png"]  # the comparison with other cities


def load_script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "screenshots.py"
    spec = importlib.util.spec_from_file_location("dortmund_kpi_screenshots", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_screenshots_of_every_page(app_server: AppServer, browser: Browser, tmp_path: Path):
    script = load_script()
    written = script.capture(app_server.base_url, tmp_path, browser=browser)
    assert sorted(p.name for p in written) == sorted(FILES)
    for name in FILES:
        path = tmp_path / name
        assert path.stat().st_size < 300 * 1024, f"{name}: {path.stat().st_size} bytes"
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.width == 1440, (name, image.size)
            assert image.height >= 900, (name, image.size)
            rgb = image.convert("RGB")
            colours = rgb.getcolors(maxcolors=1 << 20) or []
            assert len(colours) > 16, f"{name} looks blank: {len(colours)} colours"
            dark = sum(n for n, px in colours if max(px) < 128)
            assert dark > 0.002 * rgb.width * rgb.height, f"{name}: hardly any text drawn"
